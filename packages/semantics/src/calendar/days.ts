/**
 * Calendar days as whole numbers: days since 1970-01-01 in the proleptic Gregorian calendar, in
 * UTC. A day number never shifts with the machine's time zone or a daylight-saving change, and
 * adding days is adding numbers.
 */

const MS_PER_DAY = 86_400_000;

/**
 * The largest distance from 1970 a JavaScript date reaches (±100,000,000 days, about ±273,790
 * years). A day beyond it has no civil date, so no ISO date either.
 */
export const LAST_CALENDAR_DAY = 100_000_000;

/** Whether `day` lies within the calendar JavaScript dates reach. */
export function isCalendarDay(day: number): boolean {
    return Number.isInteger(day) && Math.abs(day) <= LAST_CALENDAR_DAY;
}

/**
 * The day number of a civil date. Months and days outside their range roll over (month 13 is
 * January of the next year, day 0 the last day of the month before), as date arithmetic wants.
 * Years 0 to 99 stay years 0 to 99 (Date.UTC alone would read them as 1900 to 1999).
 */
export function dayNumber(year: number, month: number, day: number): number {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return Math.round(date.getTime() / MS_PER_DAY);
}

/** A day's civil date: year, month (1-12) and day of the month. */
export function civil(day: number): { year: number; month: number; day: number } {
    const date = new Date(day * MS_PER_DAY);
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
    return dayNumber(year, month + 1, 1) - dayNumber(year, month, 1);
}

/** `2026-07-15`. Years before 1000 are padded to four digits; a day beyond the calendar is `invalid date`. */
export function isoDate(day: number): string {
    if (!isCalendarDay(day)) {
        return 'invalid date';
    }
    const { year, month, day: d } = civil(day);
    const y = year < 0 ? `-${String(-year).padStart(6, '0')}` : year > 9999 ? `+${String(year).padStart(6, '0')}` : String(year).padStart(4, '0');
    return `${y}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The years a date or period may have, in sources and data: four digits, from 0001 to 9999.
 * Arithmetic on them (a year earlier, a rolling window) may reach year 0 or before; the days
 * stay exact, and such a period's key is signed (`-0001-12`), so it matches no data.
 */
export const FIRST_YEAR = 1;
export const LAST_YEAR = 9999;

/** Why a period's year cannot be used, or undefined when it can. */
export function yearProblem(year: number): string | undefined {
    return year >= FIRST_YEAR && year <= LAST_YEAR ? undefined
        : `year ${String(year).padStart(4, '0')} is outside the years kra accepts (${String(FIRST_YEAR).padStart(4, '0')} to ${LAST_YEAR})`;
}

/** A `YYYY-MM-DD` date as a day number; undefined unless the date exists (no 31 April, no 29 February 2027, no year 0000). */
export function parseIsoDate(text: string | undefined | null): number | undefined {
    const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim()) : null;
    if (!match) {
        return undefined;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return !yearProblem(year) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? dayNumber(year, month, day) : undefined;
}

/** The first day of the month `months` after the month of (year, month); `months` may be negative. */
export function monthStart(year: number, month: number, months = 0): number {
    const index = year * 12 + (month - 1) + months;
    return dayNumber(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
}

/**
 * The day `months` calendar months after `day` (before, when negative). A day that the target
 * month lacks becomes its last day: 31 January plus one month is 28 (or 29) February.
 */
export function addMonths(day: number, months: number): number {
    const { year, month, day: d } = civil(day);
    const first = monthStart(year, month, months);
    const target = civil(first);
    return first + Math.min(d, daysInMonth(target.year, target.month)) - 1;
}

/** The mean length of a calendar month in days (365.2425 / 12). */
export const MEAN_MONTH_DAYS = 365.2425 / 12;

/** Months from `from` to `to`, as a fraction: days over the mean month length. */
export function monthsBetween(from: number, to: number): number {
    return (to - from) / MEAN_MONTH_DAYS;
}
