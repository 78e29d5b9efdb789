// Calendar arithmetic shared by smart/achievable and smart/time-bound. Dates are UTC
// timestamps at midnight, so that day counts never shift with the machine's time zone.
import type { Cadence, Grain, Organisation } from '../../../generated/ast.js';
import { CADENCE_MONTHS } from '../../../model/queries.js';

const DAY = 86_400_000;

/** Date.UTC, but years 0–99 stay years 0–99 (Date.UTC would read them as 1900–1999). */
function utc(year: number, month: number, day: number): number {
    const date = new Date(0);
    date.setUTCFullYear(year, month, day);
    return date.getTime();
}
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A YYYY-MM-DD date as a timestamp; undefined unless it exists in the calendar. */
export function parseDate(text: string | undefined): number | undefined {
    const match = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) {
        return undefined;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const time = utc(year, month - 1, day);
    const date = new Date(time);
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? time : undefined;
}

export function formatDate(time: number): string {
    return new Date(time).toISOString().substring(0, 10);
}

/** `months` calendar months later; the 31st of January plus a month is the 28th (or 29th) of February. */
export function addMonths(time: number, months: number): number {
    const date = new Date(time);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + months;
    const lastDay = new Date(utc(year, month + 1, 0)).getUTCDate();
    return utc(year, month, Math.min(date.getUTCDate(), lastDay));
}

export function addDays(time: number, days: number): number {
    return time + days * DAY;
}

/** Months from `from` to `to`, as a fraction (30.44 days a month). */
export function monthsBetween(from: number, to: number): number {
    return (to - from) / DAY / (365.25 / 12);
}

/** The day one period of `cadence` after `time`: the day a review done at `time` falls due again. */
export function afterCadence(time: number, cadence: Cadence): number {
    switch (cadence) {
        case 'daily': return addDays(time, 1);
        case 'weekly': return addDays(time, 7);
        default: return addMonths(time, CADENCE_MONTHS[cadence]);
    }
}

export const GRAIN_MONTHS: Readonly<Record<Grain, number>> = {
    day: 1 / 30,
    week: 7 / 30,
    month: 1,
    quarter: 3,
    year: 12
};

/** First and last day of a period: `2026`, `2026-H1`, `2026-Q3`, `2026-07`, `FY2027`. */
export function periodRange(period: string | number | undefined, organisation?: Organisation): { start: number; end: number } | undefined {
    const text = String(period ?? '');
    let match: RegExpExecArray | null;
    let start: number;
    let months: number;
    if ((match = /^(\d{4})$/.exec(text))) {
        start = utc(Number(match[1]), 0, 1);
        months = 12;
    } else if ((match = /^(\d{4})-H([12])$/.exec(text))) {
        start = utc(Number(match[1]), (Number(match[2]) - 1) * 6, 1);
        months = 6;
    } else if ((match = /^(\d{4})-Q([1-4])$/.exec(text))) {
        start = utc(Number(match[1]), (Number(match[2]) - 1) * 3, 1);
        months = 3;
    } else if ((match = /^(\d{4})-(\d{2})$/.exec(text))) {
        start = utc(Number(match[1]), Number(match[2]) - 1, 1);
        months = 1;
    } else if ((match = /^FY(\d{4})$/.exec(text))) {
        // The fiscal year that ends in the named year.
        const firstMonth = Math.max(0, MONTHS.indexOf(organisation?.fiscalYearStart ?? 'january'));
        start = utc(Number(match[1]) - (firstMonth === 0 ? 0 : 1), firstMonth, 1);
        months = 12;
    } else {
        return undefined;
    }
    return { start, end: addDays(addMonths(start, months), -1) };
}
