/**
 * What a scorecard shows of an evaluation's periods: which period it focuses on, and why a KPI
 * has no value in it. The CLI's scorecard, the HTML report and the Studio use these.
 */
import { PERIOD_GRAIN_NAMES, PERIOD_GRAINS, type PeriodGrain } from './periods.js';
import { measuredAt, type Cadence } from './windows.js';

/** A reported period as the evaluation describes it; `origin` is absent in results before 1.3.0. */
export interface ReportedPeriod {
    readonly grain: PeriodGrain;
    readonly origin?: 'data' | 'asked' | 'cadence';
}

/**
 * The period a scorecard shows. With periods asked for (`--period`), the latest of them (of two
 * ending the same day, the longer). Otherwise the latest of the finest grain reported: for
 * monthly data, the last month, not the quarter added for KPIs measured quarterly that ends with
 * it. `periods` are in the evaluation's order (by end, the longer last); a period without an
 * `origin` counts as one of the data.
 */
export function focusPeriod<T extends ReportedPeriod>(periods: readonly T[]): T | undefined {
    const asked = periods.filter(period => period.origin === 'asked');
    if (asked.length > 0) {
        return asked[asked.length - 1];
    }
    const finest = PERIOD_GRAINS.find(grain => periods.some(period => period.grain === grain));
    return periods.filter(period => period.grain === finest).pop();
}

/**
 * Why a KPI has no result for a period of `grain`: it is measured at a coarser cadence
 * (`measured quarterly`: none for a month), or it was not evaluated.
 */
export function noResultReason(cadence: Cadence | null | undefined, grain: PeriodGrain | undefined): string {
    return cadence && grain && !measuredAt(cadence, grain) ? `measured ${cadence}: no value for a ${PERIOD_GRAIN_NAMES[grain]}` : 'not evaluated';
}
