/**
 * Weight shares for scoring a KRA from its KPIs. Kept apart so that one shared definition of
 * weight shares can replace it whole.
 */

/** Weights as given; equal shares when none is given; a missing one among given ones counts 0 (as the compiler does). */
export function shares(weights: ReadonlyArray<number | null>): number[] {
    if (weights.every(weight => weight === null)) {
        return weights.map(() => 100 / Math.max(1, weights.length));
    }
    // A negative weight (an error kra check reports; kra eval --allow-errors) counts as none.
    return weights.map(weight => Math.max(0, weight ?? 0));
}
