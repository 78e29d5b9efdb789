import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import {
    addMonths, afterCadence, civil, comparePeriods, dayNumber, fiscalStartMonth, fiscalYearContaining, isoDate, monthsBetween,
    parseIsoDate, parsePeriod, periodContaining, periodProblem, periodRange, periodsEndingOn, periodYearBefore, previousOfGrain, previousPeriod, rollingWindow,
    parsePeriodList, sameOfGrainLastYear, tile, toDateWindow, yearProblem, PERIOD_GRAINS,
    focusPeriod, measuredAt, noResultReason, wholePeriodsWithin, CADENCE_GRAIN, type Cadence
} from '../src/index.js';

const day = (text: string) => parseIsoDate(text)!;
const range = (r: { start: number; end: number } | undefined) => r && `${isoDate(r.start)}..${isoDate(r.end)}`;

describe('days', () => {
    test('ISO dates round-trip, and dates that do not exist are refused', () => {
        expect(isoDate(day('2026-07-15'))).toBe('2026-07-15');
        expect(dayNumber(1970, 1, 1)).toBe(0);
        expect(parseIsoDate('2027-02-29')).toBeUndefined();
        expect(parseIsoDate('2028-02-29')).toBe(dayNumber(2028, 2, 29));
        expect(parseIsoDate('2026-04-31')).toBeUndefined();
        expect(parseIsoDate('2026-13-01')).toBeUndefined();
        expect(parseIsoDate('26-01-01')).toBeUndefined();
        expect(parseIsoDate(undefined)).toBeUndefined();
    });

    test('years 0 to 99 stay years 0 to 99', () => {
        expect(isoDate(day('0050-03-01'))).toBe('0050-03-01');
        expect(civil(dayNumber(99, 12, 31)).year).toBe(99);
    });

    test('a day beyond the JavaScript calendar has no ISO date', () => {
        expect(isoDate(200_000_000)).toBe('invalid date');
    });

    test('addMonths keeps the day, or takes the last day of a shorter month', () => {
        expect(isoDate(addMonths(day('2026-01-31'), 1))).toBe('2026-02-28');
        expect(isoDate(addMonths(day('2028-01-31'), 1))).toBe('2028-02-29');
        expect(isoDate(addMonths(day('2026-03-31'), -1))).toBe('2026-02-28');
        expect(isoDate(addMonths(day('2026-11-15'), 3))).toBe('2027-02-15');
        expect(isoDate(addMonths(day('2026-01-15'), -13))).toBe('2024-12-15');
    });

    test('addMonths there and back lands on the same day when the day exists in both months', () => {
        fc.assert(fc.property(fc.integer({ min: -50_000, max: 50_000 }), fc.integer({ min: -240, max: 240 }), (start, months) => {
            const there = addMonths(start, months);
            if (civil(there).day === civil(start).day) {
                expect(addMonths(there, -months)).toBe(start);
            }
            expect(Math.abs(monthsBetween(start, there) - months)).toBeLessThan(1.1);
        }));
    });
});

describe('periods', () => {
    test('the five data forms parse to their first and last day', () => {
        expect(range(parsePeriod('2026-07-15'))).toBe('2026-07-15..2026-07-15');
        expect(range(parsePeriod('2026-02'))).toBe('2026-02-01..2026-02-28');
        expect(range(parsePeriod('2026-Q3'))).toBe('2026-07-01..2026-09-30');
        expect(range(parsePeriod('2026-q4'))).toBe('2026-10-01..2026-12-31');
        expect(range(parsePeriod('2026-H1'))).toBe('2026-01-01..2026-06-30');
        expect(range(parsePeriod(' 2026 '))).toBe('2026-01-01..2026-12-31');
        expect(parsePeriod('2026-13')).toBeUndefined();
        expect(parsePeriod('2026-Q5')).toBeUndefined();
        expect(parsePeriod('FY2026')).toBeUndefined();
        expect(parsePeriod('July 2026')).toBeUndefined();
    });

    test('a period key parses back to the same period for every grain', () => {
        fc.assert(fc.property(fc.integer({ min: dayNumber(1, 1, 1), max: dayNumber(9999, 12, 31) }), fc.constantFrom(...PERIOD_GRAINS), (d, grain) => {
            const period = periodContaining(grain, d);
            expect(period.start).toBeLessThanOrEqual(d);
            expect(period.end).toBeGreaterThanOrEqual(d);
            expect(parsePeriod(period.id)).toEqual(period);
            expect(previousPeriod(period).end).toBe(period.start - 1);
        }));
    });

    test('a fiscal year is the one that ends in the named year', () => {
        expect(range(periodRange('FY2027', 4))).toBe('2026-04-01..2027-03-31');
        expect(range(periodRange('FY2027', 1))).toBe('2027-01-01..2027-12-31');
        expect(range(periodRange('FY2027'))).toBe('2027-01-01..2027-12-31');
        expect(range(periodRange(2026, 4))).toBe('2026-01-01..2026-12-31');
        expect(periodRange('next year', 1)).toBeUndefined();
        expect(periodRange(undefined, 1)).toBeUndefined();
        expect(fiscalYearContaining(day('2026-03-31'), 4).key).toBe('FY2026');
        expect(fiscalYearContaining(day('2026-04-01'), 4).key).toBe('FY2027');
        expect(fiscalYearContaining(day('2026-04-01'), 1).key).toBe('FY2026');
    });

    test('fiscal start months are read from month names, January by default', () => {
        expect(fiscalStartMonth('april')).toBe(4);
        expect(fiscalStartMonth('April')).toBe(4);
        expect(fiscalStartMonth(null)).toBe(1);
        expect(fiscalStartMonth('smarch')).toBe(1);
    });

    test('the same period last year maps 29 February to 28 February', () => {
        expect(periodYearBefore(parsePeriod('2028-02-29')!).id).toBe('2027-02-28');
        expect(periodYearBefore(parsePeriod('2026-Q3')!).id).toBe('2025-Q3');
    });

    test('tiles cover a range exactly, or not at all', () => {
        expect(tile(parsePeriod('2026-Q3')!, 'month')?.map(p => p.id)).toEqual(['2026-07', '2026-08', '2026-09']);
        expect(tile({ start: day('2026-07-02'), end: day('2026-09-30') }, 'month')).toBeUndefined();
        expect(periodsEndingOn(day('2026-09-30'), 'month', 3)?.map(p => p.id)).toEqual(['2026-07', '2026-08', '2026-09']);
        expect(periodsEndingOn(day('2026-09-29'), 'month', 3)).toBeUndefined();
    });

    test('periods sort by end, shorter first', () => {
        const keys = ['2026', '2026-12', '2026-Q4', '2026-07'].map(key => parsePeriod(key)!);
        expect(keys.sort(comparePeriods).map(p => p.id)).toEqual(['2026-07', '2026-12', '2026-Q4', '2026']);
    });
});

describe('windows', () => {
    test('rolling months are calendar months ending on the period end', () => {
        expect(range(rollingWindow(day('2026-09-30'), 3, 'months'))).toBe('2026-07-01..2026-09-30');
        expect(rollingWindow(day('2026-09-30'), 2, 'weeks')).toEqual({ start: day('2026-09-17'), end: day('2026-09-30'), days: 14 });
    });

    test('to-date windows start at the grain, a year at the fiscal start', () => {
        const august = parsePeriod('2026-08')!;
        expect(range(toDateWindow('month', august, 1))).toBe('2026-08-01..2026-08-31');
        expect(range(toDateWindow('quarter', august, 1))).toBe('2026-07-01..2026-08-31');
        expect(range(toDateWindow('year', august, 4))).toBe('2026-04-01..2026-08-31');
        expect(range(toDateWindow('year', parsePeriod('2026-02')!, 4))).toBe('2025-04-01..2026-02-28');
        expect(toDateWindow('month', parsePeriod('2026-Q3')!, 1)).toBeUndefined();
    });

    test('fixed-grain windows: the whole month, quarter or year before, or a year before, whatever the period\'s grain', () => {
        const id = (text: string, at: (p: ReturnType<typeof parsePeriod> & object) => { id: string } | undefined) => at(parsePeriod(text)!)?.id;
        expect(id('2026-08', p => previousOfGrain('quarter', p))).toBe('2026-Q2');
        expect(id('2026-Q3', p => previousOfGrain('quarter', p))).toBe('2026-Q2');
        expect(id('2026-01-15', p => previousOfGrain('quarter', p))).toBe('2025-Q4');
        expect(id('2026-03', p => previousOfGrain('month', p))).toBe('2026-02');
        expect(id('2026-Q1', p => previousOfGrain('year', p))).toBe('2025');
        expect(id('2026', p => previousOfGrain('quarter', p))).toBeUndefined();
        expect(id('2026-H1', p => previousOfGrain('quarter', p))).toBeUndefined();
        expect(id('2026-08', p => sameOfGrainLastYear('quarter', p))).toBe('2025-Q3');
        expect(id('2024-02-29', p => sameOfGrainLastYear('month', p))).toBe('2023-02');
        expect(id('2026-Q3', p => sameOfGrainLastYear('month', p))).toBeUndefined();
    });

    test('period lists and ranges: one grain per range, oldest first, each once, bounded', () => {
        const ids = (text: string) => {
            const parsed = parsePeriodList(text);
            return 'periods' in parsed ? parsed.periods.map(period => period.id) : parsed.problem;
        };
        expect(ids('2026-Q3')).toEqual(['2026-Q3']);
        expect(ids('2026-11..2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
        expect(ids('2026-Q2, 2026-Q1,2026-Q2')).toEqual(['2026-Q1', '2026-Q2']);
        expect(ids('2026-H1..2026-H2')).toEqual(['2026-H1', '2026-H2']);
        expect(ids('2024-02-28..2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
        expect(ids('2026-01..2026-Q2')).toBe("'2026-01..2026-Q2' goes from a month to a quarter: a range has one grain");
        expect(ids('2026-06..2026-01')).toBe("'2026-06..2026-01' ends before it starts");
        expect(ids('2026-7')).toMatch(/^'2026-7' is not a period: /);
        expect(ids('2026-01..2026-02..2026-03')).toBe("'2026-01..2026-02..2026-03' is not a range: write first..last");
        expect(ids('2020-01-01..2026-12-31')).toBe("'2020-01-01..2026-12-31' names more than 1,000 periods");
    });

    test('a cadence falls due a calendar period later', () => {
        expect(isoDate(afterCadence(day('2026-01-31'), 'monthly'))).toBe('2026-02-28');
        expect(isoDate(afterCadence(day('2026-01-31'), 'quarterly', 2))).toBe('2026-07-31');
        expect(isoDate(afterCadence(day('2026-01-31'), 'weekly'))).toBe('2026-02-07');
        expect(isoDate(afterCadence(day('2026-01-31'), 'daily'))).toBe('2026-02-01');
    });
});

describe('years 0001 to 9999, read as themselves', () => {
    it('counts days in years 0001 to 0099 without reading them as 1901 to 1999', () => {
        expect(parseIsoDate('0001-01-01')).toBe(-719_162);
        expect(isoDate(parseIsoDate('0099-07-15')!)).toBe('0099-07-15');
        expect(parseIsoDate('0099-07-15')).not.toBe(parseIsoDate('1999-07-15'));
        // 0096 is a leap year; 0100 is not.
        expect(parseIsoDate('0096-02-29')).toBeDefined();
        expect(parseIsoDate('0100-02-29')).toBeUndefined();
        expect(periodYearBefore(parsePeriod('0002-03')!).id).toBe('0001-03');
    });

    it('refuses year 0000 with the reason, and keys a period computed before year 1 with a sign', () => {
        expect(parseIsoDate('0000-01-01')).toBeUndefined();
        expect(parsePeriod('0000')).toBeUndefined();
        expect(yearProblem(0)).toBe('year 0000 is outside the years kra accepts (0001 to 9999)');
        expect(periodProblem('0000-Q1')).toBe('year 0000 is outside the years kra accepts (0001 to 9999)');
        expect(periodYearBefore(periodYearBefore(parsePeriod('0001-03')!)).id).toBe('-0001-03');
    });
});

describe('measured at its own grain', () => {
    it('a KPI has a value for a period at least one measurement long', () => {
        const cadences: Cadence[] = ['daily', 'weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly'];
        const table = Object.fromEntries(cadences.map(cadence => [cadence, PERIOD_GRAINS.filter(grain => measuredAt(cadence, grain)).join(' ')]));
        expect(table).toEqual({
            daily: 'day month quarter half year',
            weekly: 'month quarter half year',
            monthly: 'month quarter half year',
            quarterly: 'quarter half year',
            'half-yearly': 'half year',
            yearly: 'year'
        });
        expect(PERIOD_GRAINS.every(grain => measuredAt(null, grain))).toBe(true);
        // Every cadence with a grain is measured at that grain.
        expect(cadences.filter(cadence => CADENCE_GRAIN[cadence] && !measuredAt(cadence, CADENCE_GRAIN[cadence]!))).toEqual([]);
    });

    it('finds the whole periods a set of day ranges covers, merging adjacent and overlapping ones', () => {
        const months = (...ids: string[]) => ids.map(id => parsePeriod(id)!);
        const quarters = (...ids: string[]) => wholePeriodsWithin('quarter', months(...ids)).map(period => period.id);
        expect(quarters('2026-01', '2026-02', '2026-03', '2026-04')).toEqual(['2026-Q1']);
        expect(quarters('2026-03', '2026-01', '2026-02')).toEqual(['2026-Q1']);
        expect(quarters('2026-01', '2026-03')).toEqual([]);
        expect(quarters('2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-Q2')).toEqual(['2026-Q1', '2026-Q2']);
        expect(wholePeriodsWithin('year', months('2025-H1', '2025-07', '2025-08', '2025-Q3', '2025-Q4')).map(period => period.id)).toEqual(['2025']);
        expect(wholePeriodsWithin('month', [])).toEqual([]);
    });

    it('focuses on the latest asked period, else on the latest of the finest grain', () => {
        const periods = (...entries: Array<[string, 'data' | 'asked' | 'cadence' | undefined]>) =>
            entries.map(([id, origin]) => ({ id, grain: parsePeriod(id)!.grain, origin }));
        expect(focusPeriod(periods(['2026-11', 'data'], ['2026-12', 'data'], ['2026-Q4', 'cadence']))?.id).toBe('2026-12');
        expect(focusPeriod(periods(['2026-Q3', 'data'], ['2026-Q4', 'data'], ['2026', 'cadence']))?.id).toBe('2026-Q4');
        expect(focusPeriod(periods(['2026-12', 'asked'], ['2026-Q4', 'asked']))?.id).toBe('2026-Q4');
        expect(focusPeriod(periods(['2026-11', undefined], ['2026-Q4', undefined]))?.id).toBe('2026-11');
        expect(focusPeriod([])).toBeUndefined();
    });

    it('says why a KPI has no value for a period', () => {
        expect(noResultReason('quarterly', 'month')).toBe('measured quarterly: no value for a month');
        expect(noResultReason('yearly', 'half')).toBe('measured yearly: no value for a half-year');
        expect(noResultReason('monthly', 'quarter')).toBe('not evaluated');
        expect(noResultReason(null, 'month')).toBe('not evaluated');
    });
});
