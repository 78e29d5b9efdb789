import { GrammarUtils } from 'langium';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe, fieldLabel } from '../../describe.js';
import type { AstNode } from 'langium';

function checkFields(node: AstNode, context: RuleContext): void {
    const meta = context.services.shared.AstReflection.getTypeMetaData(node.$type);
    for (const property of Object.values(meta.properties)) {
        if (Array.isArray(property.defaultValue)) {
            continue;
        }
        const occurrences = GrammarUtils.findNodesForProperty(node.$cstNode, property.name);
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
