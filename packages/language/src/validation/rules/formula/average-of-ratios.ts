import { AstUtils } from 'langium';
import {
    isBinaryExpression, isFunctionCall, isKpi, isMeasureRef, isNegatedExpression, isWindowedExpression, type Expression, type Kpi
} from '../../../generated/ast.js';
import { isRatioUnit, unitText } from '@kra-lang/semantics';
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

/**
 * A ratio found in a formula: its numerator and denominator as text, and how the formula
 * scales it (`aht / 60`), so the fix can keep the scaling around the ratio of the sums.
 */
interface Ratio {
    readonly numerator: string;
    readonly denominator: string;
    readonly around: (ratio: string) => string;
}

/** Whether an expression reads a metric or KPI (a denominator that is one is a ratio; a constant is a scaling). */
function readsMeasure(expression: Expression): boolean {
    return isMeasureRef(expression) || AstUtils.streamAst(expression).some(isMeasureRef);
}

/**
 * The ratio an expression is, whatever its unit (a percentage, seconds per call, money per
 * hour): a quotient of measures (`safe_ratio(a, b)`, `a / b`), looking through KPI references,
 * windows, a minus sign and scaling by constants. Undefined when it is not one.
 */
function ratioOf(expression: Expression, seen: Set<Kpi> = new Set()): Ratio | undefined {
    if (isWindowedExpression(expression)) {
        const window = textOf(expression.window);
        const inner = ratioOf(expression.expression, seen);
        // A window applies to the operand just before it: group anything longer than a name or a call.
        const grouped = (part: string) => /^[\w.]+$|^\w+\(.*\)$/.test(part) ? part : `(${part})`;
        return inner && { ...inner, numerator: `${grouped(inner.numerator)} over ${window}`, denominator: `${grouped(inner.denominator)} over ${window}` };
    }
    if (isMeasureRef(expression)) {
        const target = expression.measure.ref;
        if (!isKpi(target) || !target.formula || seen.has(target)) {
            return undefined;
        }
        seen.add(target);
        return ratioOf(target.formula, seen);
    }
    if (isNegatedExpression(expression)) {
        const inner = ratioOf(expression.operand, seen);
        return inner && { ...inner, around: ratio => `-${inner.around(ratio)}` };
    }
    if (isFunctionCall(expression) && expression.function === 'safe_ratio' && expression.args.length === 2) {
        return readsMeasure(expression.args[1])
            ? { numerator: textOf(expression.args[0]), denominator: textOf(expression.args[1]), around: ratio => ratio }
            : undefined;
    }
    if (isBinaryExpression(expression) && (expression.operator === '/' || expression.operator === '*')) {
        const { left, right, operator } = expression;
        if (operator === '/' && readsMeasure(right)) {
            return { numerator: textOf(left), denominator: textOf(right), around: ratio => ratio };
        }
        // Scaling by a constant keeps a ratio a ratio: `aht / 60`, `100 * fcr`.
        if (!readsMeasure(right)) {
            const inner = ratioOf(left, seen);
            return inner && { ...inner, around: ratio => `${inner.around(ratio)} ${operator} ${textOf(right)}` };
        }
        if (operator === '*' && !readsMeasure(left)) {
            const inner = ratioOf(right, seen);
            return inner && { ...inner, around: ratio => `${textOf(left)} * ${inner.around(ratio)}` };
        }
    }
    return undefined;
}

/** `sum(x)`, unless x is a sum already; `sum(x where …)` keeps the call's filter. */
function summed(part: string, where: string): string {
    return /^sum\(.*\)$/.test(part) && !where ? part : `sum(${part}${where})`;
}

export const averageOfRatios = defineRule({
    id: 'formula/average-of-ratios',
    summary: 'A formula averages, sums or takes the median of a ratio (a percentage, a time per call, any quotient of measures) across members instead of taking the ratio of the sums.',
    severity: 'warning',
    category: 'fast',
    local: true,
    checks: {
        FunctionCall(call, context) {
            const verb = VERBS[call.function];
            const argument = call.args[0];
            if (!verb || !argument || call.args.length !== 1) {
                return;
            }
            const ratio = ratioOf(argument);
            // The rows a filter picks are the rows both sums take.
            const where = call.filter ? ` where ${textOf(call.filter)}` : '';
            let what: string;
            let fix: string;
            if (ratio) {
                what = `a ratio of \`${ratio.numerator}\` to \`${ratio.denominator}\``;
                fix = `\`${ratio.around(`safe_ratio(${summed(ratio.numerator, where)}, ${summed(ratio.denominator, where)})`)}\``;
            } else {
                const type = new UnitInference().infer(argument);
                if (type.type !== 'unit' || !isRatioUnit(type.unit)) {
                    return;
                }
                what = unitText(type.unit) === 'ratio' ? 'a ratio' : `a ratio in \`${unitText(type.unit)}\``;
                fix = `\`safe_ratio(sum(numerator${where}), sum(denominator${where}))\`, with the metrics the ratio is made of`;
            }
            context.report({
                node: call,
                message: `${describe(call)}: the formula ${verb} \`${textOf(argument)}\`, ${what}, across members (teams, agents, days): ${WHY[call.function]}. `
                    + `Take the ratio of the sums instead: ${fix}.`
            });
        }
    }
});
