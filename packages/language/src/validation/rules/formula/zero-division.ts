import type { AstNode } from 'langium';
import {
    isAndPredicate, isBinaryExpression, isComparePredicate, isFunctionCall, isIfExpression, isKpi, isNotPredicate, isNumberLiteral,
    isOrPredicate, isVariant, type ComparePredicate, type Expression, type Predicate
} from '../../../generated/ast.js';
import { singleUnit } from '@kra-lang/semantics';
import { UnitInference } from '../../../formulas/units.js';
import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';
import { expressionRange, textOf } from '../units/quantities.js';

/** A count can be 0 in a period (no calls, no responses); so can a count() of members. */
function canBeZero(denominator: Expression): boolean {
    if (isNumberLiteral(denominator)) {
        return denominator.value === 0;
    }
    if (isFunctionCall(denominator) && denominator.function === 'max'
        && denominator.args.some(arg => isNumberLiteral(arg) && arg.value > 0)) {
        return false; // max(calls, 1) never reaches 0
    }
    const type = new UnitInference().infer(denominator);
    return type.type === 'unit' && singleUnit(type.unit)?.kind === 'count';
}

function normalised(text: string): string {
    let result = text.replace(/\s+/g, '');
    while (/^\(.*\)$/.test(result)) {
        result = result.slice(1, -1);
    }
    return result;
}

const MIRRORED: Readonly<Record<string, string>> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '=': '=', '!=': '!=' };

/**
 * Whether `predicate` rules out a zero `denominator` when it is `holds` (true in the `then`
 * branch, false in the `else` branch): one of the parts of an `and` that holds, or of an `or`
 * that fails, is enough; `not` turns the question round.
 */
function predicateGuards(predicate: Predicate | undefined, holds: boolean, denominator: string): boolean {
    if (isNotPredicate(predicate)) {
        return predicateGuards(predicate.operand, !holds, denominator);
    }
    if ((isAndPredicate(predicate) && holds) || (isOrPredicate(predicate) && !holds)) {
        return predicate.operands.some(operand => predicateGuards(operand, holds, denominator));
    }
    return isComparePredicate(predicate) && comparisonGuards(predicate, holds, denominator);
}

/** Whether a comparison of the denominator with a number rules out zero when it is `holds`. */
function comparisonGuards(comparison: ComparePredicate, holds: boolean, denominator: string): boolean {
    const { left, right, operator } = comparison;
    if (!left || !right || !operator) {
        return false;
    }
    let op = operator;
    let limit: Expression = right;
    if (normalised(textOf(right)) === denominator) {
        op = MIRRORED[operator] as typeof operator;
        limit = left;
    } else if (normalised(textOf(left)) !== denominator) {
        return false;
    }
    if (!isNumberLiteral(limit)) {
        return false;
    }
    const c = limit.value;
    if (holds) {
        return (op === '>' && c >= 0) || (op === '>=' && c > 0) || (op === '!=' && c === 0);
    }
    return (op === '=' && c === 0) || (op === '<=' && c >= 0) || (op === '<' && c > 0);
}

/** Inside `safe_ratio(…)`, or in the branch of an `if` that rules out a zero denominator. */
function guarded(division: AstNode, denominator: string): boolean {
    let child: AstNode = division;
    for (let current = division.$container; current && !isKpi(current) && !isVariant(current); child = current, current = current.$container) {
        if (isFunctionCall(current) && current.function === 'safe_ratio') {
            return true;
        }
        if (isIfExpression(current) && child.$containerProperty !== 'condition'
            && predicateGuards(current.condition, child.$containerProperty === 'whenTrue', denominator)) {
            return true;
        }
    }
    return false;
}

export const zeroDivision = defineRule({
    id: 'formula/zero-division',
    summary: 'A formula divides with `/` by a count that can be zero, without safe_ratio or an `if … > 0` guard.',
    severity: 'warning',
    category: 'fast',
    checks: {
        BinaryExpression(division, context) {
            const denominator = division.right;
            if (division.operator !== '/' || !denominator || !division.left || !canBeZero(denominator)) {
                return;
            }
            const d = textOf(denominator);
            if (guarded(division, normalised(d))) {
                return;
            }
            if (isNumberLiteral(denominator)) {
                context.report({
                    node: denominator,
                    message: `${describe(division)}: the formula divides by 0, which is always an error. Divide by the quantity that was meant.`
                });
                return;
            }
            const n = textOf(division.left);
            const grouped = (expression: Expression, text: string) => isBinaryExpression(expression) ? `(${text})` : text;
            context.report({
                node: denominator,
                range: expressionRange(denominator),
                message: `${describe(division)}: the formula divides by \`${d}\`, a count that can be 0 in a period (no calls, no responses), and dividing by zero is an error. `
                    + `Use safe_ratio(a, b), which gives no value instead of an error when b is 0: \`safe_ratio(${n}, ${d})\`; `
                    + `or say what a zero means: \`if ${grouped(denominator, d)} > 0 then ${grouped(division.left, n)} / ${grouped(denominator, d)} else 0\`.`
            });
        }
    }
});
