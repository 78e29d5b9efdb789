/**
 * Calendar periods for evaluation: parsing (`2026-07`, `2026-Q3`, `2026-H1`, `2026`, `2026-07-15`,
 * and `FY2027` in targets), and the arithmetic windows need. Days are counted as whole UTC days
 * since 1970-01-01, so no time zone or daylight-saving change can shift a period.
 */

export type Grain = 'day' | 'month' | 'quarter' | 'half' | 'year';

/** Finest first. */
export const GRAINS: readonly Grain[] = ['day', 'month', 'quarter', 'half', 'year'];

/** A period of one grain: its id as written in data, and its first and last day (inclusive). */
export interface Period {
    readonly id: string;
    readonly grain: Grain;
    readonly start: number;
    readonly end: number;
}

/** A span of days (inclusive), not necessarily one period. */
export interface DayRange {
    readonly start: number;
    readonly end: number;
}

const MONTHS_IN: Record<Exclude<Grain, 'day'>, number> = { month: 1, quarter: 3, half: 6, year: 12 };

/** Mean length in days, for fitting a rolling window of days or weeks to coarser data. */
export const MEAN_DAYS: Record<Grain, number> = { day: 1, month: 365.2425 / 12, quarter: 365.2425 / 4, half: 365.2425 / 2, year: 365.2425 };

export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export function dayNumber(year: number, month: number, day: number): number {
    return Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function civil(day: number): { year: number; month: number; day: number } {
    const date = new Date(day * 86_400_000);
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function isoDate(day: number): string {
    const { year, month, day: d } = civil(day);
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
    return dayNumber(year, month + 1, 1) - dayNumber(year, month, 1);
}

/** The first day of the month `months` after the month of (year, month). */
function monthStart(year: number, month: number, months: number): number {
    const index = year * 12 + (month - 1) + months;
    return dayNumber(Math.floor(index / 12), (index % 12) + 1, 1);
}

/** The period of `grain` that contains `day`. */
export function periodContaining(grain: Grain, day: number): Period {
    const { year, month, day: d } = civil(day);
    if (grain === 'day') {
        return makePeriod('day', year, month, d);
    }
    const size = MONTHS_IN[grain];
    const first = Math.floor((month - 1) / size) * size + 1;
    return makePeriod(grain, year, first, 1);
}

/** The period of `grain` starting on the given first month (or day, for a day). */
function makePeriod(grain: Grain, year: number, month: number, day: number): Period {
    if (grain === 'day') {
        const start = dayNumber(year, month, day);
        return { id: isoDate(start), grain, start, end: start };
    }
    const size = MONTHS_IN[grain];
    const start = dayNumber(year, month, 1);
    const end = monthStart(year, month, size) - 1;
    const index = Math.floor((month - 1) / size) + 1;
    const y = String(year).padStart(4, '0');
    const id = grain === 'month' ? `${y}-${String(month).padStart(2, '0')}`
        : grain === 'quarter' ? `${y}-Q${index}`
            : grain === 'half' ? `${y}-H${index}`
                : y;
    return { id, grain, start, end };
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

/** A period as data writes it, or undefined when the text is not one of the five forms. */
export function parsePeriod(text: string): Period | undefined {
    const trimmed = text.trim();
    for (const [pattern, make] of PATTERNS) {
        const match = trimmed.match(pattern);
        if (match) {
            return make(match);
        }
    }
    return undefined;
}

/** The first month (1-12) of the fiscal year, from the organisation's `fiscal year starts in`. */
export function fiscalStartMonth(name: string | null | undefined): number {
    const index = name ? MONTH_NAMES.indexOf(name.toLowerCase()) : -1;
    return index < 0 ? 1 : index + 1;
}

/**
 * The days a period of a target or baseline covers. Besides the data forms it accepts
 * `FY2027`: the fiscal year that ends in 2027 (with an April start, 2026-04-01 to 2027-03-31).
 */
export function periodRange(text: string, fiscalStart: number): DayRange | undefined {
    const fiscal = text.trim().match(/^FY(\d{4})$/i);
    if (fiscal) {
        const endYear = Number(fiscal[1]);
        const startYear = fiscalStart === 1 ? endYear : endYear - 1;
        const start = dayNumber(startYear, fiscalStart, 1);
        return { start, end: monthStart(startYear, fiscalStart, 12) - 1 };
    }
    return parsePeriod(text);
}

/** The period before, of the same grain. */
export function previousPeriod(period: Period): Period {
    return periodContaining(period.grain, period.start - 1);
}

/** The same period one year earlier; 29 February maps to 28 February. */
export function periodYearBefore(period: Period): Period {
    const { year, month, day } = civil(period.start);
    if (period.grain === 'day') {
        return makePeriod('day', year - 1, month, Math.min(day, daysInMonth(year - 1, month)));
    }
    return makePeriod(period.grain, year - 1, month, 1);
}

/** The day `months` months after `day` (before, when negative); the 31st becomes the month's last day. */
export function addMonths(day: number, months: number): number {
    const { year, month, day: d } = civil(day);
    const first = monthStart(year, month, months);
    const target = civil(first);
    return first + Math.min(d, daysInMonth(target.year, target.month)) - 1;
}

/** The `months` months that end on `end`: with monthly data, this month and the ones before. */
export function rollingMonths(end: number, months: number): DayRange {
    return { start: addMonths(end + 1, -months), end };
}

/**
 * The start of the month, quarter or (fiscal) year that contains `day`. Quarters are calendar
 * quarters, as `2026-Q3` is; years start in the fiscal start month.
 */
export function grainStart(grain: 'month' | 'quarter' | 'year', day: number, fiscalStart: number): number {
    const { year, month } = civil(day);
    if (grain === 'month') {
        return dayNumber(year, month, 1);
    }
    if (grain === 'quarter') {
        return dayNumber(year, Math.floor((month - 1) / 3) * 3 + 1, 1);
    }
    const startYear = month >= fiscalStart ? year : year - 1;
    return dayNumber(startYear, fiscalStart, 1);
}

/** The end of the month, quarter or (fiscal) year that starts on `start`. */
export function grainEnd(grain: 'month' | 'quarter' | 'year', start: number): number {
    const { year, month } = civil(start);
    return monthStart(year, month, grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12) - 1;
}

/**
 * The periods of `grain` that exactly cover `range`, in order; undefined when the range does
 * not start and end on the grain's boundaries.
 */
export function tile(range: DayRange, grain: Grain): Period[] | undefined {
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
export function periodsEndingOn(end: number, grain: Grain, count: number): Period[] | undefined {
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

export const GRAIN_NAMES: Record<Grain, string> = { day: 'day', month: 'month', quarter: 'quarter', half: 'half-year', year: 'year' };
