/**
 * The numbers evaluation computes with: a value is a finite number or a `Null` saying why it is
 * missing (missing data, division by zero, a unit mismatch…); never NaN or Infinity.
 */

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

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile with linear interpolation between closest ranks (as spreadsheets' PERCENTILE.INC). */
export function percentile(values: readonly number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function aggregate(how: string, values: readonly number[]): Value {
    if (values.length === 0) {
        return new Null('no values');
    }
    switch (how) {
        case 'sum': return values.reduce((a, b) => a + b, 0);
        case 'avg': return values.reduce((a, b) => a + b, 0) / values.length;
        case 'min': return Math.min(...values);
        case 'max': return Math.max(...values);
        case 'median': return median(values);
        case 'last': return values[values.length - 1];
        default: return new Null(`unknown aggregation '${how}'`);
    }
}
