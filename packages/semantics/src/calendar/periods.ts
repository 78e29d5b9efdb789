/**
 * Calendar periods and their keys. A period key is how data files, targets and baselines name a
 * period: `2026-07-15` (a day), `2026-07` (a month), `2026-Q3` (a quarter), `2026-H1` (a
 * half-year), `2026` (a year), and, in targets and baselines only, `FY2027` (a fiscal year).
 */
import { civil, dayNumber, daysInMonth, FIRST_YEAR, LAST_YEAR, MEAN_MONTH_DAYS, monthStart, yearProblem } from './days.js';
import { fiscalYearRange } from './fiscal.js';

/** The grains data comes in, finest first. */
export type PeriodGrain = 'day' | 'month' | 'quarter' | 'half' | 'year';

export const PERIOD_GRAINS: readonly PeriodGrain[] = ['day', 'month', 'quarter', 'half', 'year'];

/** A grain as people say it: "half-year" for `half`. */
export const PERIOD_GRAIN_NAMES: Readonly<Record<PeriodGrain, string>> = { day: 'day', month: 'month', quarter: 'quarter', half: 'half-year', year: 'year' };

/** A span of days, first and last day inclusive; not necessarily one period. */
export interface DayRange {
    readonly start: number;
    readonly end: number;
}

/** A period of one grain: its key and its first and last day (inclusive). */
export interface Period extends DayRange {
    readonly id: string;
    readonly grain: PeriodGrain;
}

const MONTHS_IN: Readonly<Record<Exclude<PeriodGrain, 'day'>, number>> = { month: 1, quarter: 3, half: 6, year: 12 };

/** A grain's length in months, counted as cadences are (a day is 1/30 of a month). */
export const GRAIN_MONTHS: Readonly<Record<PeriodGrain, number>> = { day: 1 / 30, ...MONTHS_IN };

/** Mean length in days, to fit a rolling window of days or weeks to coarser data. */
export const MEAN_DAYS: Readonly<Record<PeriodGrain, number>> = {
    day: 1, month: MEAN_MONTH_DAYS, quarter: MEAN_MONTH_DAYS * 3, half: MEAN_MONTH_DAYS * 6, year: MEAN_MONTH_DAYS * 12
};

/** The key of the period of `grain` that starts on the given first month (or day). */
export function periodKey(grain: PeriodGrain, year: number, month: number, day = 1): string {
    const y = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
    switch (grain) {
        case 'day': return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        case 'month': return `${y}-${String(month).padStart(2, '0')}`;
        case 'quarter': return `${y}-Q${Math.floor((month - 1) / 3) + 1}`;
        case 'half': return `${y}-H${Math.floor((month - 1) / 6) + 1}`;
        case 'year': return y;
    }
}

/** The period of `grain` starting on the given first month (or day, for a day). */
function makePeriod(grain: PeriodGrain, year: number, month: number, day: number): Period {
    const id = periodKey(grain, year, month, day);
    if (grain === 'day') {
        const start = dayNumber(year, month, day);
        return { id, grain, start, end: start };
    }
    return { id, grain, start: dayNumber(year, month, 1), end: monthStart(year, month, MONTHS_IN[grain]) - 1 };
}

/** The period of `grain` that contains `day`. */
export function periodContaining(grain: PeriodGrain, day: number): Period {
    const { year, month, day: d } = civil(day);
    if (grain === 'day') {
        return makePeriod('day', year, month, d);
    }
    const size = MONTHS_IN[grain];
    return makePeriod(grain, year, Math.floor((month - 1) / size) * size + 1, 1);
}

const PATTERNS: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => Period | undefined]> = [
    [/^(\d{4})-(\d{2})-(\d{2})$/, m => {
        const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
        return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? makePeriod('day', year, month, day) : undefined;
    }],
    [/^(\d{4})-(\d{2})$/, m => {
        const month = Number(m[2]);
        return month >= 1 && month <= 12 ? makePeriod('month', Number(m[1]), month, 1) : undefined;
    }],
    [/^(\d{4})-Q([1-4])$/i, m => makePeriod('quarter', Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 1)],
    [/^(\d{4})-H([12])$/i, m => makePeriod('half', Number(m[1]), (Number(m[2]) - 1) * 6 + 1, 1)],
    [/^(\d{4})$/, m => makePeriod('year', Number(m[1]), 1, 1)]
];

/**
 * A period key as data writes it, or undefined when the text is none of the five forms, no real
 * date, or in a year before 0001 (see periodProblem for the reason).
 */
export function parsePeriod(text: string): Period | undefined {
    const trimmed = text.trim();
    for (const [pattern, make] of PATTERNS) {
        const match = trimmed.match(pattern);
        if (match) {
            return yearProblem(Number(match[1])) ? undefined : make(match);
        }
    }
    return undefined;
}

/** Why `text` is not a period (for a message after "'text' is not a period: "), or undefined when it is one. */
export function periodProblem(text: string): string | undefined {
    if (parsePeriod(text)) {
        return undefined;
    }
    const year = /^\s*([+-]?\d+)(?=$|-|\s)/.exec(text)?.[1];
    const outside = year !== undefined && /^\d{4}$/.test(year) ? yearProblem(Number(year)) : undefined;
    return outside ?? (year !== undefined && !/^\d{4}$/.test(year)
        ? `a year has four digits, from ${String(FIRST_YEAR).padStart(4, '0')} to ${LAST_YEAR}`
        : 'write 2026-07 (month), 2026-Q3 (quarter), 2026-H1 (half-year), 2026 (year) or 2026-07-15 (day)');
}

/**
 * The days a period of a target or baseline covers: the data forms, and `FY2027`, the fiscal
 * year that ends in 2027 (with an April start, 2026-04-01 to 2027-03-31). `fiscalStart` is the
 * fiscal year's first month, 1-12. A number (the parser reads `2026` as one) is a year.
 */
export function periodRange(key: string | number | undefined | null, fiscalStart = 1): DayRange | undefined {
    const text = String(key ?? '').trim();
    const fiscal = /^FY(\d{4})$/i.exec(text);
    if (fiscal) {
        return fiscalYearRange(Number(fiscal[1]), fiscalStart);
    }
    const period = parsePeriod(text);
    return period && { start: period.start, end: period.end };
}

/**
 * The periods of `grain` that lie wholly within the days `covered` (ranges of days, in any order,
 * overlapping or adjacent): the whole quarters that monthly data covers, say. In date order.
 */
export function wholePeriodsWithin(grain: PeriodGrain, covered: readonly DayRange[]): Period[] {
    const merged: Array<{ start: number; end: number }> = [];
    for (const range of [...covered].sort((a, b) => a.start - b.start)) {
        const last = merged[merged.length - 1];
        if (last && range.start <= last.end + 1) {
            last.end = Math.max(last.end, range.end);
        } else {
            merged.push({ start: range.start, end: range.end });
        }
    }
    const periods: Period[] = [];
    for (const range of merged) {
        for (let period = periodContaining(grain, range.start); period.start <= range.end; period = periodContaining(grain, period.end + 1)) {
            if (period.start >= range.start && period.end <= range.end) {
                periods.push(period);
            }
        }
    }
    return periods;
}

/** The period before, of the same grain. */
export function previousPeriod(period: Period): Period {
    return periodContaining(period.grain, period.start - 1);
}

/** The most periods a list or range of periods may name (`2026-01-01..2026-12-31` is 365). */
export const MAX_LISTED_PERIODS = 1000;

/**
 * Periods as a user lists them: `2026-Q1`, `2026-Q1,2026-Q3` or a range of one grain,
 * `2026-01..2026-06`, oldest first, each once. Either the periods or what is wrong, in words.
 */
export function parsePeriodList(text: string): { periods: Period[] } | { problem: string } {
    const found = new Map<string, Period>();
    for (const part of text.split(',').map(item => item.trim())) {
        const ends = part.split('..').map(item => item.trim());
        const periods = ends.map(parsePeriod);
        const bad = ends.find((_, index) => !periods[index]);
        if (ends.length > 2 || bad !== undefined) {
            return { problem: ends.length > 2 ? `'${part}' is not a range: write first..last` : `'${bad}' is not a period: ${periodProblem(bad ?? '')}` };
        }
        const [first, last = first] = periods as Period[];
        if (first.grain !== last.grain) {
            return { problem: `'${part}' goes from a ${first.grain} to a ${last.grain}: a range has one grain` };
        }
        if (last.start < first.start) {
            return { problem: `'${part}' ends before it starts` };
        }
        for (let period = first; period.start <= last.start; period = periodContaining(period.grain, period.end + 1)) {
            found.set(period.id, period);
            if (found.size > MAX_LISTED_PERIODS) {
                return { problem: `'${text}' names more than ${MAX_LISTED_PERIODS.toLocaleString('en')} periods` };
            }
        }
    }
    return found.size === 0 ? { problem: 'no period is named' } : { periods: [...found.values()].sort(comparePeriods) };
}

/** The same period one year earlier; 29 February maps to 28 February. */
export function periodYearBefore(period: Period): Period {
    const { year, month, day } = civil(period.start);
    if (period.grain === 'day') {
        return makePeriod('day', year - 1, month, Math.min(day, daysInMonth(year - 1, month)));
    }
    return makePeriod(period.grain, year - 1, month, 1);
}

/**
 * The periods of `grain` that exactly cover `range`, in order; undefined when the range does
 * not start and end on the grain's boundaries.
 */
export function tile(range: DayRange, grain: PeriodGrain): Period[] | undefined {
    const periods: Period[] = [];
    let day = range.start;
    while (day <= range.end) {
        const period = periodContaining(grain, day);
        if (period.start !== day || period.end > range.end) {
            return undefined;
        }
        periods.push(period);
        day = period.end + 1;
    }
    return periods.length > 0 ? periods : undefined;
}

/** `count` periods of `grain`, the last one ending on `end`; undefined when `end` is not a period end. */
export function periodsEndingOn(end: number, grain: PeriodGrain, count: number): Period[] | undefined {
    let period = periodContaining(grain, end);
    if (period.end !== end || count < 1) {
        return undefined;
    }
    const periods = [period];
    while (periods.length < count) {
        period = previousPeriod(period);
        periods.unshift(period);
    }
    return periods;
}

/** Sorts by end day, then shorter first: the last of a list is the latest, coarsest period. */
export function comparePeriods(a: Period, b: Period): number {
    return a.end - b.end || b.start - a.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
