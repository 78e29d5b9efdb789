/** Which way a KPI should move: `higher is better`, `lower is better`, `within band is better`. */
import type { Comparator } from './comparators.js';

export type Direction = 'higher-is-better' | 'lower-is-better' | 'within-band';

/** The direction keyword as the grammar stores it (`higher` for `higher is better`). */
export type DirectionKeyword = 'higher' | 'lower' | 'within';

/** The model's direction for each grammar keyword. */
export const DIRECTION_OF_KEYWORD: Readonly<Record<DirectionKeyword, Direction>> = {
    higher: 'higher-is-better', lower: 'lower-is-better', within: 'within-band'
};

/** The model's direction for a grammar keyword; undefined for anything else. */
export function directionOf(keyword: string | undefined | null): Direction | undefined {
    return keyword && Object.hasOwn(DIRECTION_OF_KEYWORD, keyword) ? DIRECTION_OF_KEYWORD[keyword as DirectionKeyword] : undefined;
}

export const DIRECTION_WORDS: Readonly<Record<Direction, string>> = {
    'higher-is-better': 'higher is better',
    'lower-is-better': 'lower is better',
    'within-band': 'within band is better'
};

/** The way a comparator asks the KPI to go: `at least` wants higher values; `exactly` wants neither. */
export function wantedDirection(comparator: Comparator): 'higher-is-better' | 'lower-is-better' | undefined {
    switch (comparator) {
        case 'at-least':
        case 'above':
            return 'higher-is-better';
        case 'at-most':
        case 'below':
            return 'lower-is-better';
        case 'exactly':
            return undefined;
    }
}
