import { AstUtils, GrammarAST, isCompositeCstNode, type AstNode, type CstNode } from 'langium';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe, fieldLabel } from '../../describe.js';
import { fieldGivenTwice } from '../../../parser/kra-parser.js';

/**
 * The CST nodes that give each field of `node`, in source order: what
 * `GrammarUtils.findNodesForProperty(node.$cstNode, field)` returns for every field, found in one
 * walk over the node's text instead of one walk per field.
 */
export function fieldNodes(node: AstNode): Map<string, CstNode[]> {
    const fields = new Map<string, CstNode[]>();
    const visit = (cst: CstNode, above: readonly string[], first: boolean) => {
        let inside = above;
        if (!first) {
            const feature = featureOf(cst.grammarSource);
            if (feature !== undefined && !above.includes(feature)) {
                // findNodesForProperty stops at the first node of a field on each path.
                const list = fields.get(feature);
                if (list) {
                    list.push(cst);
                } else {
                    fields.set(feature, [cst]);
                }
                inside = [...above, feature];
            }
        }
        if (isCompositeCstNode(cst) && cst.astNode === node) {
            for (const child of cst.content) {
                visit(child, inside, false);
            }
        }
    };
    if (node.$cstNode) {
        visit(node.$cstNode, [], true);
    }
    return fields;
}

/** The feature of the assignment a grammar element is part of, per element (there are few). */
const FEATURES = new WeakMap<object, string | null>();

function featureOf(element: GrammarAST.AbstractElement | undefined): string | undefined {
    if (!element) {
        return undefined;
    }
    let feature = FEATURES.get(element);
    if (feature === undefined) {
        feature = AstUtils.getContainerOfType(element, GrammarAST.isAssignment)?.feature ?? null;
        FEATURES.set(element, feature);
    }
    return feature ?? undefined;
}

function checkFields(node: AstNode, context: RuleContext): void {
    // Only a node the parser gave a field twice can have one (in a file without syntax errors,
    // whose recovery may build what the parser did not assign).
    const { lexerErrors, parserErrors } = context.document.parseResult;
    if (!fieldGivenTwice(node) && lexerErrors.length === 0 && parserErrors.length === 0) {
        return;
    }
    const meta = context.services.shared.AstReflection.getTypeMetaData(node.$type);
    const fields = fieldNodes(node);
    for (const property of Object.values(meta.properties)) {
        if (Array.isArray(property.defaultValue)) {
            continue;
        }
        const occurrences = fields.get(property.name) ?? [];
        if (occurrences.length > 1) {
            const last = occurrences[occurrences.length - 1];
            context.report({
                node,
                range: last.range,
                message: `${describe(node)} gives '${fieldLabel(property.name)}' ${occurrences.length} times; only the last one counts. Keep one.`,
                data: { property: property.name }
            });
        }
    }
}

export const duplicateField = defineRule({
    id: 'structure/duplicate-field',
    summary: 'A field that takes one value is given more than once in a declaration.',
    severity: 'error',
    category: 'fast',
    local: true,
    checks: {
        Organisation: checkFields,
        Objective: checkFields,
        Metric: checkFields,
        Client: checkFields,
        RatingScale: checkFields,
        Department: checkFields,
        Role: checkFields,
        Kra: checkFields,
        Kpi: checkFields,
        Variant: checkFields
    }
});
