import { ast, qualifiedName, resolveUnit, type UnitInference } from '@kra-lang/language';
import { perUnit, unitTerms, unitText, type CompoundUnit, type UnitType } from '@kra-lang/semantics';
import type { ExpressionNode, PredicateNode, StructuredUnit, Window } from './model.js';

/** A unit as the model states it: its text and its terms. */
export function structuredUnit(unit: CompoundUnit): StructuredUnit {
    return { text: unitText(unit), terms: unitTerms(unit) };
}

function inferred(type: UnitType): StructuredUnit | null {
    return type.type === 'unit' ? structuredUnit(type.unit) : null;
}

/**
 * The unit a KPI or variant itself declares (`unit seconds`, `unit USD per h`); null for none.
 * A unit that does not resolve (kra build --allow-errors) keeps the names as written.
 */
export function declaredUnitOf(definition: ast.Kpi | ast.Variant): StructuredUnit | null {
    if (!definition.unit) {
        return null;
    }
    const unit = resolveUnit(definition.unit.ref);
    const per = definition.perUnit && resolveUnit(definition.perUnit.ref);
    if (unit && (!definition.perUnit || per)) {
        return structuredUnit(perUnit(unit, per || undefined));
    }
    const terms = [{ unit: unitId(definition.unit)!, power: 1 }, ...(definition.perUnit ? [{ unit: unitId(definition.perUnit)!, power: -1 }] : [])];
    return { text: terms.map(term => term.unit).join(' per '), terms };
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
        return { kind: 'metric', id: '', inferredUnit: null };
    }
    const inferredUnit = inferred(units.infer(expression));
    if (ast.isNumberLiteral(expression)) {
        return { kind: 'number', value: finite(expression.value), unit: unitId(expression.unit), inferredUnit };
    }
    if (ast.isMeasureRef(expression)) {
        const target = expression.measure.ref;
        const id = target ? qualifiedName(target) : expression.measure.$refText;
        return ast.isKpi(target) ? { kind: 'kpi', id, inferredUnit } : { kind: 'metric', id, inferredUnit };
    }
    if (ast.isBinaryExpression(expression)) {
        return {
            kind: 'binary',
            operator: expression.operator ?? '+',
            left: expressionTree(expression.left, units),
            right: expressionTree(expression.right, units),
            inferredUnit
        };
    }
    if (ast.isNegatedExpression(expression)) {
        return { kind: 'negate', operand: expressionTree(expression.operand, units), inferredUnit };
    }
    if (ast.isFunctionCall(expression)) {
        const args = expression.args.map(arg => expressionTree(arg, units));
        return expression.filter
            ? { kind: 'call', function: expression.function ?? '', args, filter: predicateTree(expression.filter, units), inferredUnit }
            : { kind: 'call', function: expression.function ?? '', args, inferredUnit };
    }
    if (ast.isIfExpression(expression)) {
        return {
            kind: 'if',
            condition: predicateTree(expression.condition, units),
            then: expressionTree(expression.whenTrue, units),
            else: expressionTree(expression.whenFalse, units),
            inferredUnit
        };
    }
    const windowed = expression as ast.WindowedExpression;
    if (!completeWindow(windowed.window)) {
        // A window that a syntax error cut short (`x over rolling`) is left out.
        return expressionTree(windowed.expression, units);
    }
    return { kind: 'window', window: windowOf(windowed.window), expression: expressionTree(windowed.expression, units), inferredUnit };
}

/** The condition of an `if` or a `where`; a part a syntax error left out compares nothing (`= ` of two empty metrics). */
function predicateTree(predicate: ast.Predicate | undefined, units: UnitInference): PredicateNode {
    if (ast.isAndPredicate(predicate) || ast.isOrPredicate(predicate)) {
        // `a and b and c` parses as (a and b) and c: one list, as the connective is associative.
        const kind = ast.isAndPredicate(predicate) ? 'and' : 'or';
        const operands = predicate.operands.map(operand => predicateTree(operand, units))
            .flatMap(operand => (operand.kind === kind ? operand.operands : [operand]));
        return { kind, operands };
    }
    if (ast.isNotPredicate(predicate)) {
        return { kind: 'not', operand: predicateTree(predicate.operand, units) };
    }
    return {
        kind: 'compare',
        operator: predicate?.operator ?? '=',
        left: expressionTree(predicate?.left, units),
        right: expressionTree(predicate?.right, units)
    };
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
    if (ast.isPreviousGrainWindow(window)) {
        return { kind: 'previous', grain: window.grain };
    }
    if (ast.isSameGrainLastYearWindow(window)) {
        return { kind: 'same-last-year', grain: window.grain };
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
        case 'call': {
            const [first, ...rest] = node.args.map(formulaText);
            const where = node.filter ? ` where ${predicateText(node.filter)}` : '';
            return `${node.function}(${[...(first === undefined ? [] : [first + where]), ...rest].join(', ')})`;
        }
        case 'if':
            return `if ${predicateText(node.condition)} then ${formulaText(node.then)} else ${formulaText(node.else)}`;
        case 'window':
            return `${wrap(node.expression, 3)} over ${windowText(node.window)}`;
        case 'binary': {
            const precedence = PRECEDENCE[node.operator];
            // Left-associative: the right operand needs parentheses at equal precedence.
            return `${wrap(node.left, precedence)} ${node.operator} ${wrap(node.right, precedence + 1)}`;
        }
    }
}

const PREDICATE_PRECEDENCE = { or: 1, and: 2, not: 3, compare: 4 } as const;

/** A condition in canonical text: parentheses only where `and` or `or` inside `not`, or `or` inside `and`, needs them. */
export function predicateText(node: PredicateNode, minimum = 0): string {
    const text = node.kind === 'compare'
        ? `${formulaText(node.left)} ${node.operator} ${formulaText(node.right)}`
        : node.kind === 'not'
            ? `not ${predicateText(node.operand, PREDICATE_PRECEDENCE.not)}`
            : node.operands.map(operand => predicateText(operand, PREDICATE_PRECEDENCE[node.kind])).join(` ${node.kind} `);
    return PREDICATE_PRECEDENCE[node.kind] < minimum ? `(${text})` : text;
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
        case 'previous': return `previous ${window.grain}`;
        case 'same-last-year': return `same ${window.grain} last year`;
    }
}
