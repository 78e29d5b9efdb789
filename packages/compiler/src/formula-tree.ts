import { ast, qualifiedName, UnitInference, unitLabel, type UnitType } from '@kra-lang/language';
import type { ExpressionNode, Window } from './model.js';

function unitName(type: UnitType): string | null {
    return type.type === 'unknown' || type.type === 'number' ? null : unitLabel(type);
}

/** The unit id a reference names (`s` → `seconds`), or the text as written when unresolved. */
export function unitId(reference: { ref?: ast.Unit; $refText: string } | undefined): string | null {
    if (!reference) {
        return null;
    }
    return reference.ref?.name ?? reference.$refText;
}

/**
 * The typed expression tree of a formula; every node carries the unit it yields. A part that a
 * syntax error left missing (kra build --allow-errors) becomes a reference to no name, as an
 * unresolved name does.
 */
export function expressionTree(expression: ast.Expression | undefined, units: UnitInference): ExpressionNode {
    if (!expression || (ast.isNumberLiteral(expression) && typeof expression.value !== 'number')) {
        return { kind: 'metric', id: '', resolvedUnit: null };
    }
    const resolvedUnit = unitName(units.infer(expression));
    if (ast.isNumberLiteral(expression)) {
        return { kind: 'number', value: finite(expression.value), unit: unitId(expression.unit), resolvedUnit };
    }
    if (ast.isMeasureRef(expression)) {
        const target = expression.measure.ref;
        const id = target ? qualifiedName(target) : expression.measure.$refText;
        return ast.isKpi(target) ? { kind: 'kpi', id, resolvedUnit } : { kind: 'metric', id, resolvedUnit };
    }
    if (ast.isBinaryExpression(expression)) {
        return {
            kind: 'binary',
            operator: expression.operator ?? '+',
            left: expressionTree(expression.left, units),
            right: expressionTree(expression.right, units),
            resolvedUnit
        };
    }
    if (ast.isNegatedExpression(expression)) {
        return { kind: 'negate', operand: expressionTree(expression.operand, units), resolvedUnit };
    }
    if (ast.isFunctionCall(expression)) {
        return { kind: 'call', function: expression.function ?? '', args: expression.args.map(arg => expressionTree(arg, units)), resolvedUnit };
    }
    if (ast.isIfExpression(expression)) {
        return {
            kind: 'if',
            condition: {
                operator: expression.condition?.operator ?? '=',
                left: expressionTree(expression.condition?.left, units),
                right: expressionTree(expression.condition?.right, units)
            },
            then: expressionTree(expression.whenTrue, units),
            else: expressionTree(expression.whenFalse, units),
            resolvedUnit
        };
    }
    const windowed = expression as ast.WindowedExpression;
    if (!completeWindow(windowed.window)) {
        // A window that a syntax error cut short (`x over rolling`) is left out.
        return expressionTree(windowed.expression, units);
    }
    return { kind: 'window', window: windowOf(windowed.window), expression: expressionTree(windowed.expression, units), resolvedUnit };
}

/** A number JSON can hold: a 400-digit literal is Infinity. */
function finite(value: number): number {
    return Number.isFinite(value) ? value : Number.isNaN(value) ? 0 : Math.sign(value) * Number.MAX_VALUE;
}

function completeWindow(window: ast.Window | undefined): window is ast.Window {
    if (ast.isRollingWindow(window)) {
        return typeof window.size === 'number' && window.grain !== undefined;
    }
    return ast.isToDateWindow(window) ? window.grain !== undefined : window !== undefined;
}

function windowOf(window: ast.Window): Window {
    if (ast.isRollingWindow(window)) {
        return { kind: 'rolling', size: finite(window.size), grain: window.grain };
    }
    if (ast.isToDateWindow(window)) {
        return { kind: 'to-date', grain: window.grain };
    }
    if (ast.isPreviousPeriodWindow(window)) {
        return { kind: 'previous-period' };
    }
    return { kind: 'same-period-last-year' };
}

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

/**
 * The formula in canonical text: one space around binary operators, parentheses only where
 * precedence or left associativity needs them, numbers as they convert, units by their id.
 */
export function formulaText(node: ExpressionNode): string {
    switch (node.kind) {
        case 'number':
            return node.unit === null ? String(node.value) : node.unit === 'percent' ? `${node.value}%` : `${node.value} ${node.unit}`;
        case 'metric':
        case 'kpi':
            return node.id;
        case 'negate':
            return `-${wrap(node.operand, 3)}`;
        case 'call':
            return `${node.function}(${node.args.map(formulaText).join(', ')})`;
        case 'if':
            return `if ${formulaText(node.condition.left)} ${node.condition.operator} ${formulaText(node.condition.right)} then ${formulaText(node.then)} else ${formulaText(node.else)}`;
        case 'window':
            return `${wrap(node.expression, 3)} over ${windowText(node.window)}`;
        case 'binary': {
            const precedence = PRECEDENCE[node.operator];
            // Left-associative: the right operand needs parentheses at equal precedence.
            return `${wrap(node.left, precedence)} ${node.operator} ${wrap(node.right, precedence + 1)}`;
        }
    }
}

function wrap(node: ExpressionNode, minimum: number): string {
    // A window binds to a single operand: tighter than `*`, looser than a sign or a name.
    const own = node.kind === 'binary' ? PRECEDENCE[node.operator] : node.kind === 'if' ? 0 : node.kind === 'window' ? 2.5 : 3;
    const text = formulaText(node);
    return own < minimum ? `(${text})` : text;
}

function windowText(window: Window): string {
    switch (window.kind) {
        case 'rolling': return `rolling ${window.size} ${window.grain}`;
        case 'to-date': return `${window.grain} to date`;
        case 'previous-period': return 'previous period';
        case 'same-period-last-year': return 'same period last year';
    }
}
