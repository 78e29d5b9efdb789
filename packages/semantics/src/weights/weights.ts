/**
 * Weights and the share of a score each part carries. One definition, used by `kra check`
 * (weights/*), the compiled model (`effectiveWeight`), `kra eval` (KRA and role scores) and the
 * editor (hover, inlay hints, code lens):
 *
 * - A weight is a percentage. `30%` and a plain `30` are 30; `0.3 ratio` is 30 (any unit of the
 *   ratio kind converts by its factor). A weight in any other unit is no share and counts as none.
 * - A part's **share** is its weight normalised within its parent: its weight over the sum of
 *   its siblings' weights, times 100. Weights that add up to 100% (what weights/sum asks for)
 *   are their own shares. Weights that do not (two KRAs at 30% each) still split the parent's
 *   score in their proportion (50% each), because a weighted score divides by the sum of the
 *   weights: that is the share the part really carries.
 * - When no part has a weight, the parts share equally. A part without a weight among weighted
 *   ones, and a negative weight, count 0. When the weights add up to 0, every share is 0.
 * - A KPI's share of its role's score is its KRA's share of the role times its own share of
 *   the KRA, over 100.
 */

/** The kind and factor of a unit: `%` is `{ kind: 'ratio', factor: 0.01 }`. */
export interface WeightUnit {
    readonly kind: string;
    readonly factor: number;
}

/** Rounds away floating-point noise (0.1 + 0.2), so that every consumer shows and compares the same number. */
export function roundShare(value: number): number {
    return Number.isFinite(value) ? Math.round(value * 1e9) / 1e9 : value;
}

/**
 * A share in percent (a weight, a rating level's threshold): a number without a unit is percent
 * already; a ratio unit converts by its factor (`0.3 ratio` is 30, `30%` is 30). Undefined for a
 * value in a unit that is no share (`30 s`), or one that is no finite number.
 */
export function percentOf(value: number, unit?: WeightUnit | null): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
        return undefined;
    }
    if (!unit) {
        return value;
    }
    return unit.kind === 'ratio' ? roundShare(value * unit.factor * 100) : undefined;
}

/**
 * Each part's share of its parent, in percent, from the parts' weights in percent (null or
 * undefined: no weight). See the module comment for the definition.
 */
export function weightShares(weights: ReadonlyArray<number | null | undefined>): number[] {
    if (weights.every(weight => weight === null || weight === undefined)) {
        return weights.map(() => roundShare(100 / weights.length));
    }
    const counted = weights.map(weight => (typeof weight === 'number' && weight > 0 ? weight : 0));
    // Scaled by the largest first, so that absurd weights (1e308) cannot overflow the sum.
    const largest = Math.max(...counted);
    if (!(largest > 0) || !Number.isFinite(largest)) {
        return counted.map(weight => (largest === Infinity && weight === Infinity ? roundShare(100 / counted.filter(w => w === Infinity).length) : 0));
    }
    const scaled = counted.map(weight => weight / largest);
    const total = scaled.reduce((sum, weight) => sum + weight, 0);
    return scaled.map(weight => roundShare(weight * 100 / total));
}

/** The share of the whole a part carries: its parent's share of the whole times its share of the parent. */
export function shareOfWhole(parentShare: number, shareOfParent: number): number {
    return roundShare(parentShare * shareOfParent / 100);
}

/** What the weights of a parent's parts add up to. */
export interface WeightTotal {
    /** Parts (KPIs of a KRA, KRAs of a role). */
    readonly count: number;
    /** Parts with a weight in percent. */
    readonly weighted: number;
    /** The sum of those weights, in percent; null when no part has one. */
    readonly total: number | null;
}

/** The sum of the weights given (null or undefined: no weight), without floating-point noise. */
export function weightTotal(weights: ReadonlyArray<number | null | undefined>): WeightTotal {
    const given = weights.filter((weight): weight is number => typeof weight === 'number');
    return {
        count: weights.length,
        weighted: given.length,
        total: given.length === 0 ? null : roundShare(given.reduce((sum, weight) => sum + weight, 0))
    };
}

/**
 * Weights rescaled to add up to exactly 100, at two decimals at most, in their proportion; the
 * largest takes the rounding. What a "rebalance the weights" fix writes. Undefined when the
 * weights cannot be scaled (none, a negative one, or a sum of 0).
 */
export function rebalancedWeights(weights: readonly number[]): number[] | undefined {
    const sum = weights.reduce((total, weight) => total + weight, 0);
    if (weights.length === 0 || weights.some(weight => !Number.isFinite(weight) || weight < 0) || sum <= 0) {
        return undefined;
    }
    const scaled = weights.map(weight => Number((weight * 100 / sum).toFixed(2)));
    const rest = Number((100 - scaled.reduce((total, weight) => total + weight, 0)).toFixed(2));
    const largest = scaled.indexOf(Math.max(...scaled));
    scaled[largest] = Number((scaled[largest] + rest).toFixed(2));
    return scaled;
}
