/**
 * What a formula yields, unit-wise, and the unit rule of each operator. The checker infers units
 * over the syntax tree with these rules, the compiler writes the result into the model, and the
 * evaluator refuses exactly what they refuse: one rule, three readers.
 */
import { compatibleUnits, divideUnits, multiplyUnits, unitText, type CompoundUnit } from './units.js';

/** A formula's unit: not known (a metric without a unit), a plain number, or a unit. */
export type UnitType =
    | { readonly type: 'unknown' }
    | { readonly type: 'number' }
    | { readonly type: 'unit'; readonly unit: CompoundUnit };

export const UNKNOWN: UnitType = { type: 'unknown' };
export const NUMBER: UnitType = { type: 'number' };

export function unitType(unit: CompoundUnit): UnitType {
    return { type: 'unit', unit };
}

/** How a message names a formula's unit. */
export function unitTypeText(type: UnitType): string {
    switch (type.type) {
        case 'unknown': return 'unknown';
        case 'number': return 'a plain number';
        case 'unit': return unitText(type.unit);
    }
}

/**
 * The unit a rule gives, and what is wrong when the operands do not mix: `problem` says it in
 * words (`adds seconds and USD, which do not mix`) and `operand` is the index of the operand
 * that does not fit.
 */
export interface UnitOutcome {
    readonly type: UnitType;
    readonly problem?: { readonly operand: number; readonly message: string };
}

/**
 * `a + b`, `a - b`, a comparison, the branches of an `if`, `min`/`max` of several values: every
 * operand in one unit. A plain number takes the others' unit (`talk + 30`); an unknown unit is
 * given the benefit of the doubt.
 */
export function sameUnit(types: readonly UnitType[], verb: string): UnitOutcome {
    let result: UnitType = UNKNOWN;
    let known: UnitType | undefined;
    for (const [index, type] of types.entries()) {
        if (type.type === 'unknown') {
            continue;
        }
        if (type.type === 'number') {
            if (result.type === 'unknown') {
                result = type;
            }
            continue;
        }
        if (known?.type === 'unit' && !compatibleUnits(known.unit, type.unit)) {
            return { type: UNKNOWN, problem: { operand: index, message: `${verb} ${unitTypeText(known)} and ${unitTypeText(type)}, which do not mix` } };
        }
        known ??= type;
        if (result.type !== 'unit') {
            result = type;
        }
    }
    // An unknown operand among known ones leaves the result as the known ones say.
    return { type: result };
}

/** `a * b`: units multiply (`talk * talk` is seconds²); a plain number scales. */
export function productUnit(left: UnitType, right: UnitType): UnitOutcome {
    if (left.type === 'unknown' || right.type === 'unknown') {
        return { type: UNKNOWN };
    }
    if (left.type === 'number') {
        return { type: right };
    }
    if (right.type === 'number') {
        return { type: left };
    }
    return { type: unitType(multiplyUnits(left.unit, right.unit)) };
}

/** `a / b` and `safe_ratio(a, b)`: units divide (`cost / hours` is USD per hours); a plain number scales. */
export function quotientUnit(left: UnitType, right: UnitType): UnitOutcome {
    if (left.type === 'unknown' || right.type === 'unknown') {
        return { type: UNKNOWN };
    }
    if (right.type === 'number') {
        return { type: left };
    }
    if (left.type === 'number') {
        return { type: unitType(divideUnits({ terms: [] }, right.unit)) };
    }
    return { type: unitType(divideUnits(left.unit, right.unit)) };
}

/**
 * Whether a formula's unit can be stated in the unit a KPI declares; a plain number or an
 * unknown unit can be stated in any.
 */
export function statableIn(formula: UnitType, declared: CompoundUnit): boolean {
    return formula.type !== 'unit' || compatibleUnits(formula.unit, declared);
}
