/**
 * Comparators of targets, thresholds and rating levels: what `at least 85%` means and how it
 * reads. The language's keywords (`at least` parses as `least`) and the compiled model's ids
 * (`at-least`) both map here.
 */

export type Comparator = 'at-least' | 'at-most' | 'above' | 'below' | 'exactly';

export const COMPARATORS: readonly Comparator[] = ['at-least', 'at-most', 'above', 'below', 'exactly'];

/** The comparator keyword as the grammar stores it (`least` for `at least`). */
export type ComparatorKeyword = 'least' | 'most' | 'above' | 'below' | 'exactly';

/** The model's comparator for each grammar keyword. */
export const COMPARATOR_OF_KEYWORD: Readonly<Record<ComparatorKeyword, Comparator>> = {
    least: 'at-least', most: 'at-most', above: 'above', below: 'below', exactly: 'exactly'
};

/** The model's comparator for a grammar keyword; undefined for anything else. */
export function comparatorOf(keyword: string): Comparator | undefined {
    return Object.hasOwn(COMPARATOR_OF_KEYWORD, keyword) ? COMPARATOR_OF_KEYWORD[keyword as ComparatorKeyword] : undefined;
}

/** The words of a comparator, as the language writes them. */
export const COMPARATOR_WORDS: Readonly<Record<Comparator, string>> = {
    'at-least': 'at least', 'at-most': 'at most', above: 'above', below: 'below', exactly: 'exactly'
};

/** Two numbers equal but for floating-point noise (a relative 1e-9). */
export function nearlyEqual(a: number, b: number): boolean {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Whether `actual` meets `comparator target`. Values equal but for floating-point noise count
 * as equal: `at least 0.3` is met by 0.1 + 0.2, and `above 0.3` is not.
 */
export function meets(comparator: Comparator, actual: number, target: number): boolean {
    const equal = nearlyEqual(actual, target);
    switch (comparator) {
        case 'at-least': return equal || actual > target;
        case 'at-most': return equal || actual < target;
        case 'above': return !equal && actual > target;
        case 'below': return !equal && actual < target;
        case 'exactly': return equal;
    }
}

/** Whether `actual` lies in the band between `low` and `high` (inclusive, in either order). */
export function withinBand(actual: number, low: number, high: number): boolean {
    return meets('at-least', actual, Math.min(low, high)) && meets('at-most', actual, Math.max(low, high));
}

/** The same bound with its sense reversed (`at least` ↔ `at most`): what a condition reads as on the opposite direction. */
export const MIRRORED_COMPARATOR: Readonly<Record<Comparator, Comparator>> = {
    'at-least': 'at-most', 'at-most': 'at-least', above: 'below', below: 'above', exactly: 'exactly'
};

/** The comparator that holds for exactly the values this one leaves out (`at least` → `below`); `exactly` has none that is a comparator. */
export const COMPLEMENT_COMPARATOR: Readonly<Record<Comparator, Comparator>> = {
    'at-least': 'below', 'at-most': 'above', above: 'at-most', below: 'at-least', exactly: 'exactly'
};

/** Whether the comparator bounds values from below (`at least`, `above`). */
export function isLowerBound(comparator: Comparator): boolean {
    return comparator === 'at-least' || comparator === 'above';
}
