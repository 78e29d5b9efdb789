import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
    comparatorOf, COMPARATORS, COMPLEMENT_COMPARATOR, directionOf, DIRECTION_WORDS, formatFixed, formatNumber, formatPercent,
    formatQuantity, goalText, isLowerBound, meets, MIRRORED_COMPARATOR, targetText, timingText, wantedDirection, withinBand,
    changeBasisOf, type GoalShape, type QuantityWords
} from '../src/index.js';

interface Q { value: number; symbol: string | null }
const q = (value: number, symbol: string | null = '%'): Q => ({ value, symbol });
const words: QuantityWords<Q> = { text: quantity => formatQuantity(quantity.value, quantity.symbol), value: quantity => quantity.value };

describe('quantities', () => {
    test('a percent sign stands right after its number; other units after a space', () => {
        expect(formatQuantity(85, '%')).toBe('85%');
        expect(formatQuantity(360, 's')).toBe('360 s');
        expect(formatQuantity(3.8, 'GBP', { decimals: 2 })).toBe('3.80 GBP');
        expect(formatQuantity(12, null)).toBe('12');
        expect(formatQuantity(12, '')).toBe('12');
    });

    test('numbers carry no floating-point noise and no negative zero', () => {
        expect(formatNumber(0.1 + 0.2)).toBe('0.3');
        expect(formatNumber(-0)).toBe('0');
        expect(formatNumber(1234.5678, 3)).toBe('1230');
        expect(formatFixed(-0.04, 1)).toBe('0.0');
        expect(formatFixed(-0.06, 1)).toBe('-0.1');
        expect(formatNumber(Infinity)).toBe('Infinity');
    });

    test('percentages show at most two decimals by default', () => {
        expect(formatPercent(100 / 3)).toBe('33.33%');
        expect(formatPercent(30.000000000000004)).toBe('30%');
        expect(formatPercent(81.44, { decimals: 1 })).toBe('81.4%');
        expect(formatPercent(183.333, { significant: 3 })).toBe('183%');
    });
});

describe('comparators', () => {
    test('grammar keywords map to the model comparators, and read as the language writes them', () => {
        expect(comparatorOf('least')).toBe('at-least');
        expect(comparatorOf('most')).toBe('at-most');
        expect(comparatorOf('toString')).toBeUndefined();
        expect(goalText({ kind: 'at-least', value: q(85) }, words)).toBe('at least 85%');
        expect(goalText({ kind: 'below', value: q(5, 's') }, words)).toBe('below 5 s');
    });

    test('meets treats values equal but for floating-point noise as equal', () => {
        expect(meets('at-least', 0.1 + 0.2, 0.3)).toBe(true);
        expect(meets('above', 0.1 + 0.2, 0.3)).toBe(false);
        expect(meets('exactly', 0.1 + 0.2, 0.3)).toBe(true);
        expect(meets('at-most', 0.31, 0.3)).toBe(false);
        expect(meets('below', 0.29, 0.3)).toBe(true);
        expect(withinBand(80, 85, 75)).toBe(true);
        expect(withinBand(86, 75, 85)).toBe(false);
    });

    test('a comparator and its complement split every value between them', () => {
        fc.assert(fc.property(fc.constantFrom(...COMPARATORS.filter(c => c !== 'exactly')), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), (comparator, actual, target) => {
            expect(meets(comparator, actual, target)).not.toBe(meets(COMPLEMENT_COMPARATOR[comparator], actual, target));
        }));
    });

    test('a mirrored comparator bounds the other side', () => {
        for (const comparator of COMPARATORS.filter(c => c !== 'exactly')) {
            expect(isLowerBound(MIRRORED_COMPARATOR[comparator])).toBe(!isLowerBound(comparator));
            expect(MIRRORED_COMPARATOR[MIRRORED_COMPARATOR[comparator]]).toBe(comparator);
        }
    });
});

describe('direction', () => {
    test('directions read as the language writes them, and comparators want one', () => {
        expect(DIRECTION_WORDS[directionOf('within')!]).toBe('within band is better');
        expect(DIRECTION_WORDS[directionOf('lower')!]).toBe('lower is better');
        expect(directionOf(undefined)).toBeUndefined();
        expect(wantedDirection('above')).toBe('higher-is-better');
        expect(wantedDirection('at-most')).toBe('lower-is-better');
        expect(wantedDirection('exactly')).toBeUndefined();
    });
});

describe('goals and targets', () => {
    test('bands, changes and staged targets', () => {
        expect(goalText({ kind: 'between', low: q(75), high: q(85) }, words)).toBe('between 75% and 85%');
        expect(goalText({ kind: 'between', low: q(75), high: q(85) }, words, false)).toBe('75% and 85%');
        expect(goalText({ kind: 'change', change: q(15), basis: changeBasisOf('year')! }, words)).toBe('+15% year over year');
        expect(goalText({ kind: 'change', change: q(-5), basis: 'previous-period' }, words)).toBe('-5% over previous period');
        expect(goalText({ kind: 'change', change: q(-30, 's'), basis: 'baseline' }, words)).toBe('-30 s from baseline');
        const staged = {
            goal: { kind: 'at-least', value: q(78) } as GoalShape<Q>,
            timing: { deadline: null, period: '2026-Q3', each: null },
            stages: [{ value: q(80), timing: { deadline: '2026-12-31', period: null, each: null } }]
        };
        expect(targetText(staged, words)).toBe('at least 78% in 2026-Q3, 80% by 2026-12-31');
        expect(targetText({ ...staged, timing: null, stages: [] }, words)).toBe('at least 78%');
        expect(timingText({ deadline: null, period: null, each: 'month' })).toBe('each month');
        expect(timingText(null)).toBe('');
    });
});
