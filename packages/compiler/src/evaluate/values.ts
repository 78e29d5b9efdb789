/**
 * The numbers evaluation computes with: a value is a finite number or a `Null` saying why it is
 * missing (missing data, division by zero, a unit mismatch…); never NaN or Infinity.
 */
import { METRIC_AGGREGATIONS } from '@kra-lang/semantics';

/**
 * Why a value is missing. `emptyCell` marks a value missing because the data leaves a cell
 * empty (docs/evaluation.md, "Missing data"): no total, roll-up or aggregate over members is
 * computed around it.
 */
export class Null {
    constructor(readonly reason: string, readonly emptyCell = false) { }
}

export type Value = number | Null;

export const isNull = (value: unknown): value is Null => value instanceof Null;

/** Rounds away binary noise (0.81 / 0.01 = 81.00000000000001) so comparisons with targets are exact. */
export function tidy(value: number): number {
    const rounded = Number(value.toPrecision(12));
    return rounded === 0 ? 0 : rounded;
}

export function finite(value: number, reason = 'the result is out of range'): Value {
    return Number.isFinite(value) ? tidy(value) : new Null(reason);
}

/** A metric's values combined as its aggregation says (`aggregate by`), by the kernel's table. */
export function aggregate(how: string, values: readonly number[]): Value {
    if (values.length === 0) {
        return new Null('no values');
    }
    const aggregation = METRIC_AGGREGATIONS.get(how);
    return aggregation ? aggregation.combine(values) : new Null(`unknown aggregation '${how}'`);
}
