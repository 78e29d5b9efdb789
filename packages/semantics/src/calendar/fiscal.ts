/**
 * Fiscal years. An organisation says `fiscal year starts in april`; `FY2027` then names the
 * fiscal year that ends in 2027: 2026-04-01 to 2027-03-31. With a January start, FY2027 is the
 * calendar year 2027.
 */
import { civil, dayNumber, monthStart } from './days.js';
import type { DayRange } from './periods.js';

export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;

/** The fiscal year's first month (1-12) from `fiscal year starts in <month>`; January when none or unknown. */
export function fiscalStartMonth(name: string | null | undefined): number {
    const index = name ? (MONTH_NAMES as readonly string[]).indexOf(name.toLowerCase()) : -1;
    return index < 0 ? 1 : index + 1;
}

/** The days of the fiscal year that ends in `endYear`. */
export function fiscalYearRange(endYear: number, fiscalStart: number): DayRange {
    const startYear = fiscalStart === 1 ? endYear : endYear - 1;
    return { start: dayNumber(startYear, fiscalStart, 1), end: monthStart(startYear, fiscalStart, 12) - 1 };
}

/** The fiscal year `day` falls in: its key (`FY2027`) and its days. */
export function fiscalYearContaining(day: number, fiscalStart: number): { key: string; range: DayRange } {
    const { year, month } = civil(day);
    const startYear = month >= fiscalStart ? year : year - 1;
    const endYear = fiscalStart === 1 ? startYear : startYear + 1;
    return { key: `FY${String(endYear).padStart(4, '0')}`, range: fiscalYearRange(endYear, fiscalStart) };
}
