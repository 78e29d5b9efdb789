import {
    isBinaryExpression, isFunctionCall, isKpi, isMeasureRef, type Expression
} from '../../../generated/ast.js';
import { UnitInference } from '../../../formulas/units.js';
import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';
import { textOf } from '../units/quantities.js';

const VERBS: Readonly<Record<string, string>> = {
    avg: 'averages',
    median: 'takes the median of',
    sum: 'adds up'
};

const WHY: Readonly<Record<string, string>> = {
    avg: 'every member counts the same, so a team with 10 contacts weighs as much as one with 1,000',
    median: "it gives the middle member's ratio, not the ratio of the whole",
    sum: 'ratios do not add up: three teams at 80% do not make 240%'
};

/** Numerator and denominator of a simple quotient, looking through a reference to a KPI. */
function quotientParts(expression: Expression): [Expression, Expression] | undefined {
    const target = isMeasureRef(expression) ? expression.measure.ref : undefined;
    const quotient = isKpi(target) ? target.formula : expression;
    if (isFunctionCall(quotient) && quotient.function === 'safe_ratio' && quotient.args.length === 2) {
        return [quotient.args[0], quotient.args[1]];
    }
    if (isBinaryExpression(quotient) && quotient.operator === '/') {
        return [quotient.left, quotient.right];
    }
    return undefined;
}

export const averageOfRatios = defineRule({
    id: 'formula/average-of-ratios',
    summary: 'A formula averages, sums or takes the median of a ratio or percent across members instead of taking the ratio of the sums.',
    severity: 'warning',
    category: 'fast',
    checks: {
        FunctionCall(call, context) {
            const verb = VERBS[call.function];
            const argument = call.args[0];
            if (!verb || !argument || call.args.length !== 1) {
                return;
            }
            const type = new UnitInference().infer(argument);
            if (type.type !== 'unit' || type.unit.kind !== 'ratio') {
                return;
            }
            const parts = quotientParts(argument);
            const fix = parts
                ? `\`safe_ratio(sum(${textOf(parts[0])}), sum(${textOf(parts[1])}))\``
                : '`safe_ratio(sum(numerator), sum(denominator))`, with the metrics the ratio is made of';
            context.report({
                node: call,
                message: `${describe(call)}: the formula ${verb} \`${textOf(argument)}\`, a ratio (\`${type.unit.name}\`), across members (teams, agents, days): ${WHY[call.function]}. `
                    + `Take the ratio of the sums instead: ${fix}.`
            });
        }
    }
});
