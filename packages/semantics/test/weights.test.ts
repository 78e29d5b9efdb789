import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { rebalancedWeights, roundShare, shareOfWhole, percentOf, weightShares, weightTotal } from '../src/index.js';

const PERCENT = { kind: 'ratio', factor: 0.01 };
const RATIO = { kind: 'ratio', factor: 1 };
const SECONDS = { kind: 'time', factor: 1 };

describe('weight in percent', () => {
    test('a plain number is percent; a ratio unit converts by its factor; other units are no share', () => {
        expect(percentOf(30)).toBe(30);
        expect(percentOf(30, PERCENT)).toBe(30);
        expect(percentOf(0.3, RATIO)).toBe(30);
        expect(percentOf(30, SECONDS)).toBeUndefined();
        expect(percentOf(Number.NaN)).toBeUndefined();
    });
});

describe('shares', () => {
    test('weights that add up to 100 are their own shares', () => {
        expect(weightShares([60, 40])).toEqual([60, 40]);
    });

    test('two KRAs at 30% each carry half of the score each', () => {
        expect(weightShares([30, 30])).toEqual([50, 50]);
        expect(shareOfWhole(weightShares([30, 30])[0], weightShares([null, null])[1])).toBe(25);
    });

    test('no weights: equal shares; a missing or negative weight among weighted ones counts 0', () => {
        expect(weightShares([null, undefined, null])).toEqual([roundShare(100 / 3), roundShare(100 / 3), roundShare(100 / 3)]);
        expect(weightShares([50, null])).toEqual([100, 0]);
        expect(weightShares([50, -10, 50])).toEqual([50, 0, 50]);
        expect(weightShares([0, 0])).toEqual([0, 0]);
        expect(weightShares([])).toEqual([]);
        expect(weightShares([1e308, 1e308])).toEqual([50, 50]);
    });

    test('shares add up to 100 whenever some weight is positive, and keep the weights in proportion', () => {
        fc.assert(fc.property(fc.array(fc.option(fc.double({ min: -50, max: 500, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 8 }), weights => {
            const shares = weightShares(weights);
            const positive = weights.some(weight => weight !== null && weight > 0);
            const none = weights.every(weight => weight === null);
            const sum = shares.reduce((total, share) => total + share, 0);
            if (positive || none) {
                expect(sum).toBeCloseTo(100, 6);
            } else {
                expect(sum).toBe(0);
            }
            weights.forEach((weight, index) => {
                if (!none && (weight === null || weight <= 0)) {
                    expect(shares[index]).toBe(0);
                }
            });
        }));
    });

    test('weight totals count the weighted parts', () => {
        expect(weightTotal([30, null, 0.1 + 0.2])).toEqual({ count: 3, weighted: 2, total: 30.3 });
        expect(weightTotal([null])).toEqual({ count: 1, weighted: 0, total: null });
    });

    test('a rebalance adds up to exactly 100 at two decimals', () => {
        expect(rebalancedWeights([30, 30, 30])).toEqual([33.34, 33.33, 33.33]);
        expect(rebalancedWeights([60, 60])).toEqual([50, 50]);
        expect(rebalancedWeights([0, 0])).toBeUndefined();
        expect(rebalancedWeights([-1, 50])).toBeUndefined();
        fc.assert(fc.property(fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 1, maxLength: 8 }), weights => {
            const scaled = rebalancedWeights(weights)!;
            expect(scaled.reduce((total, weight) => total + weight, 0)).toBeCloseTo(100, 9);
        }));
    });
});
