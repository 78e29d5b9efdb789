import { describePath } from '@kra-lang/semantics';
import { defineRule } from '../../rule.js';
import { describeImportProblem } from '../../../workspace/import-resolver.js';
import type { Import } from '../../../generated/ast.js';
import type { RuleContext } from '../../rule.js';
import type { ImportProblem } from '../../../workspace/import-resolver.js';

function importRule(id: string, summary: string, kinds: ReadonlyArray<ImportProblem['kind']>) {
    return defineRule({
        id,
        summary,
        severity: 'error',
        category: 'fast',
        checks: {
            Import(node: Import, context: RuleContext) {
                const resolution = context.services.workspace.ImportResolver.resolve(context.document, node);
                if (!resolution.ok && kinds.includes(resolution.problem.kind)) {
                    context.report({ node, property: 'path', message: describeImportProblem(node.path, resolution.problem) });
                }
            }
        }
    });
}

export const importPath = importRule('structure/import-path',
    'An import path is not a relative path to a .kra file.', ['not-relative', 'not-kra', 'not-a-path']);

export const importOutsideRoot = importRule('structure/import-outside-root',
    'An import points outside the workspace root.', ['outside-root']);

export const importNotFound = importRule('structure/import-not-found',
    'An import names a file that is not in the workspace.', ['not-found']);

export const importCycle = defineRule({
    id: 'structure/import-cycle',
    summary: 'Files import each other in a cycle.',
    severity: 'error',
    category: 'slow',
    checks: {
        Import(node, context) {
            const resolution = context.services.workspace.ImportResolver.resolve(context.document, node);
            if (!resolution.ok) {
                return;
            }
            const cycle = context.services.workspace.DeclarationIndex.importCycle(context.document, resolution.document);
            if (cycle) {
                context.report({
                    node,
                    property: 'path',
                    message: cycle.length === 2
                        ? `${cycle[0]} imports itself. Remove this import: a file always sees its own declarations.`
                        : `Import cycle: ${describePath(cycle, 'files')}. Move the shared declarations into a file that both import.`
                });
            }
        }
    }
});
