/**
 * Calendar arithmetic for formulas: the span a window (previous period, same period last year,
 * to date, rolling) covers, and the data periods a span is made of. Kept apart so that one
 * shared calendar can replace it whole.
 */
import type { Window } from '../model.js';
import {
    addMonths, grainEnd, grainStart, MEAN_DAYS, periodsEndingOn, periodYearBefore, previousPeriod, tile, type Grain, type Period
} from './periods.js';
import type { Context, Range } from './scope.js';
import { Null } from './values.js';

export function applyWindow(window: Window, context: Context, fiscalStart: number): Context | Null {
    const anchor = context.anchor;
    switch (window.kind) {
        case 'previous-period': {
            const previous = previousPeriod(anchor);
            return { ...context, anchor: previous, range: previous };
        }
        case 'same-period-last-year': {
            const earlier = periodYearBefore(anchor);
            return { ...context, anchor: earlier, range: earlier };
        }
        case 'to-date': {
            const start = grainStart(window.grain, anchor.start, fiscalStart);
            if (anchor.end > grainEnd(window.grain, start)) {
                const grain = window.grain === 'year' ? 'fiscal year' : window.grain;
                return new Null(`${anchor.id} is longer than one ${grain}, so ${window.grain} to date is not defined for it`);
            }
            return { ...context, range: { start, end: anchor.end } };
        }
        case 'rolling': {
            if (window.grain === 'months') {
                return { ...context, range: { start: addMonths(anchor.end + 1, -window.size), end: anchor.end } };
            }
            const days = window.size * (window.grain === 'weeks' ? 7 : 1);
            return { ...context, range: { start: anchor.end - days + 1, end: anchor.end, days } };
        }
    }
}

/** The periods of `grain` a range is made of; a rolling window of days fits coarser data by rounding to whole periods. */
export function tiles(range: Range, grain: Grain): Period[] | undefined {
    if (range.days !== undefined && grain !== 'day') {
        return periodsEndingOn(range.end, grain, Math.round(range.days / MEAN_DAYS[grain]));
    }
    return tile(range, grain);
}
