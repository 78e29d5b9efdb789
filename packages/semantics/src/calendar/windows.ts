/**
 * Windows over time that formulas ask for: `rolling 3 months`, `quarter to date`, and the
 * lengths of review cadences and target grains.
 */
import { addMonths, civil, dayNumber, monthStart } from './days.js';
import { fiscalYearContaining } from './fiscal.js';
import { periodContaining, periodYearBefore, previousPeriod, GRAIN_MONTHS, type DayRange, type Period, type PeriodGrain } from './periods.js';

/** A range a rolling window gives; `days` is set for a window of days or weeks (it may be fitted to coarser data). */
export interface WindowRange extends DayRange {
    readonly days?: number;
}

export type RollingUnit = 'days' | 'weeks' | 'months';

/**
 * The `size` days, weeks or months that end on `end` (inclusive). Months are calendar months:
 * `rolling 3 months` ending 2026-09-30 is July to September.
 */
export function rollingWindow(end: number, size: number, unit: RollingUnit): WindowRange {
    if (unit === 'months') {
        return { start: addMonths(end + 1, -size), end };
    }
    const days = size * (unit === 'weeks' ? 7 : 1);
    return { start: end - days + 1, end, days };
}

export type ToDateGrain = 'month' | 'quarter' | 'year';

/**
 * The start of the month, quarter or year that contains `day`. Quarters are calendar quarters,
 * as `2026-Q3` is; a year is the fiscal year, starting in the month `fiscalStart` (1-12).
 */
export function toDateStart(grain: ToDateGrain, day: number, fiscalStart: number): number {
    const { year, month } = civil(day);
    switch (grain) {
        case 'month': return dayNumber(year, month, 1);
        case 'quarter': return dayNumber(year, Math.floor((month - 1) / 3) * 3 + 1, 1);
        case 'year': return fiscalYearContaining(day, fiscalStart).range.start;
    }
}

/**
 * `month to date`, `quarter to date`, `year to date` for a period: from the start of the grain
 * containing the period's first day to the period's last day. Undefined when the period is
 * longer than one such grain (a quarter has no month to date).
 */
export function toDateWindow(grain: ToDateGrain, period: DayRange, fiscalStart: number): DayRange | undefined {
    const start = toDateStart(grain, period.start, fiscalStart);
    const { year, month } = civil(start);
    const end = monthStart(year, month, grain === 'month' ? 1 : grain === 'quarter' ? 3 : 12) - 1;
    return period.end > end ? undefined : { start, end: period.end };
}

/** The grains a comparison can fix: `over previous quarter`, `over same month last year`. */
export type FixedGrain = 'month' | 'quarter' | 'year';

/**
 * `over previous quarter` (month, year) for a period: the whole calendar quarter before the one
 * the period lies in, whatever the period's own grain (for 2026-08 and for 2026-Q3 alike,
 * 2026-Q2). Undefined when the period is longer than one such grain (a year has no previous
 * quarter).
 */
export function previousOfGrain(grain: FixedGrain, period: DayRange): Period | undefined {
    const containing = periodContaining(grain, period.start);
    return period.end > containing.end ? undefined : previousPeriod(containing);
}

/**
 * `over same quarter last year` (or month) for a period: the calendar quarter the period lies
 * in, one year earlier. Undefined when the period is longer than one such grain.
 */
export function sameOfGrainLastYear(grain: Exclude<FixedGrain, 'year'>, period: DayRange): Period | undefined {
    const containing = periodContaining(grain, period.start);
    return period.end > containing.end ? undefined : periodYearBefore(containing);
}

/** How often a KRA or KPI is reviewed (`review quarterly`), or a KPI measured. */
export type Cadence = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'half-yearly' | 'yearly';

/** A cadence's length in months; days and weeks count 30 days a month, as review pace is told in months. */
export const CADENCE_MONTHS: Readonly<Record<Cadence, number>> = {
    daily: 1 / 30, weekly: 7 / 30, monthly: 1, quarterly: 3, 'half-yearly': 6, yearly: 12
};

/** The grain of the periods a cadence is measured in; `weekly` has none, as no period key names a week. */
export const CADENCE_GRAIN: Readonly<Record<Cadence, PeriodGrain | undefined>> = {
    daily: 'day', weekly: undefined, monthly: 'month', quarterly: 'quarter', 'half-yearly': 'half', yearly: 'year'
};

/**
 * Whether a KPI `measured <cadence>` has a value for a period of `grain`: the period holds at
 * least one whole measurement. A KPI measured quarterly has none for a month; one measured
 * monthly has one for a month, a quarter or a year (computed over the whole period). A KPI
 * with no cadence is measured at every grain.
 */
export function measuredAt(cadence: Cadence | null | undefined, grain: PeriodGrain): boolean {
    return !cadence || GRAIN_MONTHS[grain] >= CADENCE_MONTHS[cadence];
}

/** The day one period of `cadence` after `day`: when a review done on `day` falls due again. */
export function afterCadence(day: number, cadence: Cadence, periods = 1): number {
    switch (cadence) {
        case 'daily': return day + periods;
        case 'weekly': return day + 7 * periods;
        default: return addMonths(day, CADENCE_MONTHS[cadence] * periods);
    }
}

/** The grain of a recurring target (`target … each month`). */
export type TargetGrain = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** A target grain's length in months, counted like cadences. */
export const TARGET_GRAIN_MONTHS: Readonly<Record<TargetGrain, number>> = {
    day: 1 / 30, week: 7 / 30, month: 1, quarter: 3, year: 12
};
