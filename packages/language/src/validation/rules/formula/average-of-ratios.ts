import {
    isBinaryExpression, isFunctionCall, isKpi, isMeasureRef, isWindowedExpression, type Expression
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

/** Numerator and denominator of a simple quotient, as text, looking through a KPI reference and a window. */
function quotientParts(expression: Expression): [string, string] | undefined {
    if (isWindowedExpression(expression)) {
        const window = textOf(expression.window);
        const parts = quotientParts(expression.expression);
        // A window applies to the operand just before it: group anything longer than a name or a call.
        const grouped = (part: string) => /^[\w.]+$|^\w+\(.*\)$/.test(part) ? part : `(${part})`;
        return parts && [`${grouped(parts[0])} over ${window}`, `${grouped(parts[1])} over ${window}`];
    }
    const target = isMeasureRef(expression) ? expression.measure.ref : undefined;
    const quotient = isKpi(target) ? target.formula : expression;
    if (isFunctionCall(quotient) && quotient.function === 'safe_ratio' && quotient.args.length === 2) {
        return [textOf(quotient.args[0]), textOf(quotient.args[1])];
    }
    if (isBinaryExpression(quotient) && quotient.operator === '/') {
        return [textOf(quotient.left), textOf(quotient.right)];
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
                ? `\`safe_ratio(sum(${parts[0]}), sum(${parts[1]}))\``
                : '`safe_ratio(sum(numerator), sum(denominator))`, with the metrics the ratio is made of';
            context.report({
                node: call,
                message: `${describe(call)}: the formula ${verb} \`${textOf(argument)}\`, ${type.unit.name === 'ratio' ? 'a ratio' : `a ratio in \`${type.unit.name}\``}, across members (teams, agents, days): ${WHY[call.function]}. `
                    + `Take the ratio of the sums instead: ${fix}.`
            });
        }
    }
});
