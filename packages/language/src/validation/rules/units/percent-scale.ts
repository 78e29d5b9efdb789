import { isBinaryExpression, isNumberLiteral, type Expression, type NumberLiteral } from '../../../generated/ast.js';
import { isRatioUnit } from '@kra-lang/semantics';
import { UnitInference } from '../../../formulas/units.js';
import { astNodes } from '../../../model/ast-walk.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';
import { isPercentUnit, isWholeRatioUnit, statedUnit, statedValues, textOf, type Definition } from './quantities.js';

function isPlainHundred(expression: Expression): expression is NumberLiteral {
    return isNumberLiteral(expression) && !expression.unit && expression.value === 100;
}

function check(definition: Definition, context: RuleContext): void {
    const declared = statedUnit(definition);
    const percent = isPercentUnit(declared);
    const ratio = isWholeRatioUnit(declared);
    if (!percent && !ratio) {
        return;
    }
    const unitText = percent ? '%' : 'ratio';
    if (definition.formula) {
        const inference = new UnitInference();
        for (const node of astNodes(definition.formula)) {
            if (!isBinaryExpression(node) || node.operator !== '*') {
                continue;
            }
            const [hundred, other] = isPlainHundred(node.right) ? [node.right, node.left] : isPlainHundred(node.left) ? [node.left, node.right] : [];
            const type = other && inference.infer(other);
            if (hundred && type?.type === 'unit' && isRatioUnit(type.unit)) {
                context.report({
                    node: hundred,
                    message: `${describe(definition)}: the formula multiplies \`${textOf(other)}\`, a ratio (0 to 1), by 100, but the 'unit' is \`${unitText}\`, `
                        + (percent
                            ? 'which already shows a ratio as a percent (0.85 is shown as 85%): this shows 8500%. '
                            : 'whose values run from 0 to 1: this gives 85 where 0.85 is meant. ')
                        + `Remove \`* 100\`; for a number on a 0-100 scale of its own, declare \`unit score\` instead.`
                });
            }
        }
    }
    const ratioMaximum = typeof context.options.ratioMaximum === 'number' ? context.options.ratioMaximum : 1;
    for (const { quantity, field } of statedValues(definition)) {
        if (quantity.unit || typeof quantity.value !== 'number') {
            continue; // a value with a unit says what it means
        }
        const value = quantity.value;
        if (percent && value > 0 && value < 1) {
            context.report({
                node: quantity,
                property: 'value',
                message: `${describe(definition)}: the value ${value} in '${field}' has no unit, so on this % KPI it means ${value}%, not ${+(value * 100).toFixed(6)}%. `
                    + `Write the unit to say which: \`${+(value * 100).toFixed(6)}%\` if a ratio of ${value} is meant, or \`${value}%\`.`
            });
        } else if (ratio && value > ratioMaximum) {
            context.report({
                node: quantity,
                property: 'value',
                message: `${describe(definition)}: the value ${value} in '${field}' has no unit, so on this \`ratio\` KPI (values from 0 to 1) it means ${value} times the whole, ${+(value * 100).toFixed(6)}%. `
                    + `If ${value}% is meant, write \`${+(value / 100).toFixed(6)}\` or \`${value}%\`; if the ratio really exceeds 1 (a current ratio), declare \`unit score\` or raise this rule's \`ratioMaximum\` option.`
            });
        }
    }
}

export const percentScale = defineRule({
    id: 'units/percent-scale',
    summary: 'A 0-1 ratio is mixed with a 0-100 percent: a ratio multiplied by 100 on a % KPI, 0.85 on a % KPI, or 85 on a ratio KPI.',
    severity: 'warning',
    category: 'fast',
    local: true,
    options: {
        ratioMaximum: {
            type: 'number',
            description: 'The largest plain value a `ratio` KPI may state (target, threshold, baseline, benchmark) before the rule takes it for a percent written without `%`.',
            default: 1,
            minimum: 1
        }
    },
    checks: {
        Kpi: check,
        Variant: check
    }
});
