import { defineRule } from '../../rule.js';

export const singleOrganisation = defineRule({
    id: 'structure/single-organisation',
    summary: 'A workspace declares more than one organisation.',
    severity: 'error',
    category: 'fast',
    scope: 'workspace',
    checks: {
        Organisation(node, context) {
            const workspace = context.services.shared.workspace.WorkspaceManager;
            const root = workspace.rootOf(context.document.uri).toString();
            // Only this workspace's: `kra check a b` loads two workspaces side by side.
            const all = context.services.shared.workspace.IndexManager.allElements('Organisation')
                .filter(description => workspace.rootOf(description.documentUri).toString() === root)
                .toArray();
            if (all.length > 1) {
                const others = all.filter(description => description.node !== node);
                context.report({
                    node,
                    property: 'name',
                    message: `Organisation '${node.name}': a workspace describes one organisation, but ${all.length} are declared. Keep one and import its file where needed; split other organisations into their own workspaces.`,
                    relatedInformation: others.flatMap(other => other.nameSegment
                        ? [{ location: { uri: other.documentUri.toString(), range: other.nameSegment.range }, message: `organisation '${other.name}' is also declared here` }]
                        : [])
                });
            }
        }
    }
});
