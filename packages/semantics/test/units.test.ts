import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
    aggregatesOverMembers, arityText, compatibleUnits, COUNT_UNIT, declarableText, divideUnits, FORMULA_FUNCTIONS, isNoValue, isRatioUnit,
    METRIC_AGGREGATIONS, multiplyUnits, NUMBER, percentile, perUnit, productUnit, quotientUnit, RATIO_UNIT, sameUnit, singleUnit,
    statableIn, unitFactor, unitFromTerms, unitOf, unitSymbol, unitTerms, unitText, unitType, UNKNOWN,
    type CompoundUnit, type UnitDefinition, type UnitType
} from '../src/index.js';

const base = (id: string, kind: string, symbol: string | null = null): UnitDefinition => ({ id, base: id, kind, factor: 1, symbol });
const multiple = (id: string, of: UnitDefinition, factor: number, symbol: string | null = null): UnitDefinition =>
    ({ id, base: of.base, kind: of.kind, factor: factor * of.factor, symbol });

const SECONDS = base('seconds', 'time', 's');
const MINUTES = multiple('minutes', SECONDS, 60, 'min');
const HOURS = multiple('hours', SECONDS, 3600, 'h');
const PERCENT = multiple('percent', RATIO_UNIT, 0.01, '%');
const SCORE = base('score', 'score');
const USD = base('USD', 'currency');
const EUR = base('EUR', 'currency');
const CALLS = base('calls', 'count');
const AGENTS = base('agents', 'count', 'agent');
const SHIFTS = base('shifts', 'count');
const TCO2 = base('tco2', 'emissions');
const ALL = [SECONDS, MINUTES, HOURS, RATIO_UNIT, PERCENT, SCORE, USD, EUR, COUNT_UNIT, CALLS, AGENTS, SHIFTS, TCO2];

const u = unitOf;
const per = (a: UnitDefinition, b: UnitDefinition) => perUnit(a, b);
const times = (a: CompoundUnit, b: CompoundUnit) => multiplyUnits(a, b);

describe('compound units', () => {
    test('a quotient keeps its units; units of one base cancel into a ratio', () => {
        expect(unitText(per(USD, HOURS))).toBe('USD per hours');
        expect(unitTerms(per(USD, HOURS))).toEqual([{ unit: 'USD', power: 1 }, { unit: 'hours', power: -1 }]);
        expect(unitText(divideUnits(u(MINUTES), u(SECONDS)))).toBe('ratio');
        expect(divideUnits(u(MINUTES), u(SECONDS)).terms).toEqual([]);
        expect(unitText(times(u(SECONDS), u(SECONDS)))).toBe('seconds^2');
        expect(unitText(divideUnits(unitOf(RATIO_UNIT), u(SECONDS)))).toBe('1 per seconds');
    });

    test('a count drops out beside a dimension; a ratio or score beside anything else', () => {
        expect(unitText(per(SECONDS, CALLS))).toBe('seconds'); // AHT
        expect(unitText(times(per(SECONDS, CALLS), u(CALLS)))).toBe('seconds');
        expect(unitText(times(u(PERCENT), u(USD)))).toBe('USD');
        expect(unitText(times(u(PERCENT), u(CALLS)))).toBe('calls');
        expect(unitText(per(SCORE, CALLS))).toBe('score'); // audit points per audit
        expect(unitText(divideUnits(u(CALLS), u(HOURS)))).toBe('calls per hours'); // a rate keeps what it counts
        expect(compatibleUnits(divideUnits(u(CALLS), u(HOURS)), divideUnits(u(COUNT_UNIT), u(MINUTES)))).toBe(true);
        expect(unitText(times(u(PERCENT), u(PERCENT)))).toBe('ratio');
    });

    test('counts never cancel: a quotient of counts is kept, and reads as a ratio over like items', () => {
        expect(unitText(per(CALLS, SHIFTS))).toBe('calls per shifts');
        expect(unitText(per(COUNT_UNIT, COUNT_UNIT))).toBe('ratio');
        expect(unitTerms(per(COUNT_UNIT, COUNT_UNIT))).toEqual([{ unit: 'count', power: 1 }, { unit: 'count', power: -1 }]);
        expect(isRatioUnit(per(COUNT_UNIT, COUNT_UNIT))).toBe(true);
        expect(isRatioUnit(per(CALLS, AGENTS))).toBe(true);
        expect(isRatioUnit(u(CALLS))).toBe(false);
        expect(isRatioUnit(u(PERCENT))).toBe(true);
    });

    test('a factor is the product of the units\' factors to their powers', () => {
        expect(unitFactor(per(USD, HOURS))).toBe(1 / 3600);
        expect(unitFactor(u(PERCENT))).toBe(0.01);
        expect(unitFactor(times(u(MINUTES), u(MINUTES)))).toBe(3600);
        expect(unitFactor({ terms: [] })).toBe(1);
    });

    test('symbols and declarable forms', () => {
        expect(unitSymbol(u(PERCENT))).toBe('%');
        expect(unitSymbol(per(USD, HOURS))).toBe('USD/h');
        expect(unitSymbol(per(CALLS, AGENTS))).toBe('calls/agent');
        expect(declarableText(per(USD, HOURS))).toBe('USD per hours');
        expect(declarableText(u(SECONDS))).toBe('seconds');
        expect(declarableText({ terms: [] })).toBe('ratio');
        expect(declarableText(times(u(SECONDS), u(SECONDS)))).toBeUndefined();
        expect(singleUnit(per(USD, HOURS))).toBeUndefined();
        expect(singleUnit(u(USD))).toBe(USD);
    });

    test('the model\'s plain terms resolve through a unit table, or not at all', () => {
        const table = new Map(ALL.map(unit => [unit.id, unit]));
        expect(unitFromTerms(unitTerms(per(USD, HOURS)), id => table.get(id))).toEqual(per(USD, HOURS));
        expect(unitFromTerms([{ unit: 'furlongs', power: 1 }], id => table.get(id))).toBeUndefined();
    });
});

describe('compatibility: what can be added, compared and stated for one another', () => {
    test.each([
        // [a, b, compatible]
        ['6 min and 360 s', u(MINUTES), u(SECONDS), true],
        ['percent and ratio', u(PERCENT), unitOf(RATIO_UNIT), true],
        ['a score and a ratio (NPS)', u(SCORE), u(PERCENT), true],
        ['USD and EUR', u(USD), u(EUR), false],
        ['seconds and percent', u(SECONDS), u(PERCENT), false],
        ['a count and a percent', u(CALLS), u(PERCENT), false],
        ['a unit declared `is count` and `count`', u(CALLS), unitOf(COUNT_UNIT), true],
        ['two counts of the organisation\'s own', u(CALLS), u(AGENTS), false],
        ['seconds per call and seconds (AHT)', per(SECONDS, CALLS), u(MINUTES), true],
        ['calls per shift and calls (docs §8)', per(CALLS, COUNT_UNIT), u(CALLS), true],
        ['calls per agent and count', per(COUNT_UNIT, COUNT_UNIT), unitOf(COUNT_UNIT), true],
        ['calls per agent and calls per agent', per(CALLS, AGENTS), per(CALLS, AGENTS), true],
        ['a quotient of counts and a percent (a share)', per(CALLS, AGENTS), u(PERCENT), true],
        ['calls per agent and agents', per(CALLS, AGENTS), u(AGENTS), false],
        ['USD per hours and USD', per(USD, HOURS), u(USD), false],
        ['USD per hours and USD per minutes', per(USD, HOURS), per(USD, MINUTES), true],
        ['seconds per USD and seconds', per(SECONDS, USD), u(SECONDS), false],
        ['seconds^2 and seconds', times(u(SECONDS), u(SECONDS)), u(SECONDS), false],
        ['a kind of the organisation\'s own and a count', u(TCO2), u(CALLS), false]
    ])('%s', (_name, a, b, expected) => {
        expect(compatibleUnits(a, b)).toBe(expected);
        expect(compatibleUnits(b, a)).toBe(expected);
    });

    const anyUnit: fc.Arbitrary<CompoundUnit> = fc.array(
        fc.record({ unit: fc.constantFrom(...ALL), power: fc.integer({ min: -2, max: 2 }).filter(power => power !== 0) }),
        { maxLength: 3 }
    ).map(terms => terms.reduce((unit, term) => times(unit, { terms: [term] }), { terms: [] } as CompoundUnit));

    test('is symmetric and reflexive', () => {
        fc.assert(fc.property(anyUnit, anyUnit, (a, b) => {
            expect(compatibleUnits(a, a)).toBe(true);
            expect(compatibleUnits(a, b)).toBe(compatibleUnits(b, a));
        }));
    });

    test('a converted unit keeps its compatibility: minutes where seconds are', () => {
        const swap = (unit: CompoundUnit): CompoundUnit => ({ terms: unit.terms.map(term => term.unit === SECONDS ? { ...term, unit: MINUTES } : term) });
        fc.assert(fc.property(anyUnit, anyUnit, (a, b) => {
            expect(compatibleUnits(swap(a), b)).toBe(compatibleUnits(a, b));
        }));
    });
});

describe('the unit rules of operators', () => {
    const of = (unit: CompoundUnit): UnitType => unitType(unit);

    test('a sum needs one unit; a plain number takes the other\'s; unknown gives the benefit of the doubt', () => {
        expect(sameUnit([of(u(SECONDS)), of(u(MINUTES))], 'adds')).toEqual({ type: of(u(SECONDS)) });
        expect(sameUnit([NUMBER, of(u(SECONDS))], 'adds')).toEqual({ type: of(u(SECONDS)) });
        expect(sameUnit([UNKNOWN, of(u(SECONDS))], 'adds')).toEqual({ type: of(u(SECONDS)) });
        expect(sameUnit([of(u(SECONDS)), of(u(USD))], 'adds')).toEqual({
            type: UNKNOWN, problem: { operand: 1, message: 'adds seconds and USD, which do not mix' }
        });
        expect(sameUnit([of(u(SECONDS)), of(u(SECONDS)), of(u(PERCENT))], 'compares').problem?.operand).toBe(2);
    });

    test('products and quotients; a plain number scales', () => {
        expect(productUnit(NUMBER, of(u(SECONDS)))).toEqual({ type: of(u(SECONDS)) });
        expect(productUnit(of(u(SECONDS)), of(u(SECONDS)))).toEqual({ type: of(times(u(SECONDS), u(SECONDS))) });
        expect(quotientUnit(of(u(USD)), of(u(HOURS)))).toEqual({ type: of(per(USD, HOURS)) });
        expect(quotientUnit(of(u(USD)), NUMBER)).toEqual({ type: of(u(USD)) });
        expect(quotientUnit(UNKNOWN, of(u(USD)))).toEqual({ type: UNKNOWN });
    });

    test('a formula is statable in a declared unit when compatible, or when it is a plain number or unknown', () => {
        expect(statableIn(of(per(USD, HOURS)), u(USD))).toBe(false);
        expect(statableIn(of(per(CALLS, COUNT_UNIT)), u(CALLS))).toBe(true);
        expect(statableIn(NUMBER, u(USD))).toBe(true);
        expect(statableIn(UNKNOWN, u(USD))).toBe(true);
    });
});

describe('the formula-function table: unit rule and evaluation in one place', () => {
    const fn = (name: string) => FORMULA_FUNCTIONS.get(name)!;

    test('safe_ratio divides units and gives no value over zero', () => {
        expect(fn('safe_ratio').unit([unitType(u(USD)), unitType(u(HOURS))])).toEqual({ type: unitType(per(USD, HOURS)) });
        expect(fn('safe_ratio').combine!([10, 4])).toBe(2.5);
        expect(fn('safe_ratio').combine!([10, 0])).toEqual({ reason: 'zero denominator' });
        expect(aggregatesOverMembers(fn('safe_ratio'), 2)).toBe(false);
    });

    test('min and max: over members with one argument, comparing arguments in one unit with several', () => {
        expect(aggregatesOverMembers(fn('min'), 1)).toBe(true);
        expect(aggregatesOverMembers(fn('min'), 2)).toBe(false);
        expect(fn('max').combine!([3, 9, 4])).toBe(9);
        expect(fn('min').aggregate!([3, 9, 4], 0)).toBe(3);
        expect(fn('max').unit([unitType(u(SECONDS)), unitType(u(USD))]).problem?.message).toBe('compares seconds and USD, which do not mix');
        expect(fn('max').unit([unitType(u(SECONDS)), NUMBER])).toEqual({ type: unitType(u(SECONDS)) });
    });

    test('aggregates keep their argument\'s unit; count gives a count, and 0 over no members', () => {
        expect(fn('sum').unit([unitType(u(SECONDS))])).toEqual({ type: unitType(u(SECONDS)) });
        expect(fn('count').unit([unitType(u(SECONDS))])).toEqual({ type: unitType(unitOf(COUNT_UNIT)) });
        expect(fn('sum').aggregate!([1, 2, 3], 0)).toBe(6);
        expect(fn('avg').aggregate!([1, 2, 3], 0)).toBe(2);
        expect(fn('median').aggregate!([4, 1, 3, 2], 0)).toBe(2.5);
        expect(fn('percentile').aggregate!([1, 2, 3, 4, 5], 90)).toBeCloseTo(4.6, 12);
        expect(fn('count').aggregate!([], 0)).toBe(0);
        const none = fn('sum').aggregate!([], 0);
        expect(isNoValue(none) && none.reason).toBe('no members to sum() over');
        expect(percentile([10], 50)).toBe(10);
    });

    test('abs, round, floor, ceil and clamp keep their value\'s unit and compute as spreadsheets do', () => {
        for (const name of ['abs', 'round', 'floor', 'ceil']) {
            expect(fn(name).unit([unitType(u(SECONDS))]), name).toEqual({ type: unitType(u(SECONDS)) });
        }
        expect(fn('round').unit([unitType(u(SECONDS)), unitType(u(SECONDS))]).problem?.message)
            .toBe('rounds to seconds digits; the number of decimal places is a plain number');
        expect(fn('clamp').unit([unitType(u(SECONDS)), NUMBER, unitType(u(USD))]).problem?.message).toBe('clamps seconds and USD, which do not mix');
        expect(fn('abs').combine!([-3.5])).toBe(3.5);
        expect(fn('round').combine!([2.5])).toBe(3);
        expect(fn('round').combine!([-2.5])).toBe(-3);
        expect(fn('round').combine!([1.005, 2])).toBe(1.01);
        expect(fn('round').combine!([0.85349, 3])).toBe(0.853);
        expect(fn('round').combine!([123.456, 0])).toBe(123);
        const badDigits = fn('round').combine!([1, 1.5]);
        expect(isNoValue(badDigits) && badDigits.reason).toBe('round() takes 0 to 12 decimal places, not 1.5');
        expect(fn('floor').combine!([-1.5])).toBe(-2);
        expect(fn('ceil').combine!([1.2])).toBe(2);
        expect(fn('clamp').combine!([1.7, 0, 1.5])).toBe(1.5);
        expect(fn('clamp').combine!([-0.2, 0, 1.5])).toBe(0);
        expect(fn('clamp').combine!([0.9, 0, 1.5])).toBe(0.9);
        const crossed = fn('clamp').combine!([1, 2, 1]);
        expect(isNoValue(crossed) && crossed.reason).toBe('clamp() has its low bound above its high bound');
        expect(arityText(fn('round'))).toBe('1 to 2 arguments');
        expect(arityText(fn('abs'))).toBe('1 argument');
        expect(arityText(fn('max'))).toBe('1 or more arguments');
    });

    test('round agrees with rounding the decimal text, for any value and number of decimals', () => {
        fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (scaled, digits) => {
            // A value with exactly digits + 1 decimals: its last digit decides, halves away from zero.
            const value = scaled / 10 ** (digits + 1);
            const last = Math.abs(scaled) % 10;
            const kept = Math.trunc(Math.abs(scaled) / 10) + (last >= 5 ? 1 : 0);
            expect(fn('round').combine!([value, digits])).toBe(Math.sign(scaled) * kept / 10 ** digits || 0);
        }));
    });

    test('every function has a unit rule and a way to compute', () => {
        for (const each of FORMULA_FUNCTIONS.values()) {
            expect(typeof each.unit).toBe('function');
            expect(each.combine !== undefined || each.aggregate !== undefined).toBe(true);
            expect(each.signature.startsWith(`${each.name}(`)).toBe(true);
        }
    });

    test('metric aggregations', () => {
        expect(METRIC_AGGREGATIONS.get('last')!.combine([1, 2, 3])).toBe(3);
        expect([...METRIC_AGGREGATIONS.keys()]).toEqual(['sum', 'avg', 'min', 'max', 'last', 'median']);
    });
});
