/**
 * Windows in formulas: the span a window (previous period, same period last year, to date,
 * rolling) covers, and the data periods a span is made of, by the semantics kernel's calendar.
 */
import type { Window } from '../model.js';
import {
    MEAN_DAYS, periodsEndingOn, periodYearBefore, previousOfGrain, previousPeriod, rollingWindow, sameOfGrainLastYear, tile, toDateWindow, type Period, type PeriodGrain
} from '@kra-lang/semantics';
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
            const range = toDateWindow(window.grain, anchor, fiscalStart);
            if (!range) {
                const grain = window.grain === 'year' ? 'fiscal year' : window.grain;
                return new Null(`${anchor.id} is longer than one ${grain}, so ${window.grain} to date is not defined for it`);
            }
            return { ...context, range };
        }
        case 'rolling':
            return { ...context, range: rollingWindow(anchor.end, window.size, window.grain) };
        case 'previous':
        case 'same-last-year': {
            const period = window.kind === 'previous' ? previousOfGrain(window.grain, anchor) : sameOfGrainLastYear(window.grain, anchor);
            if (!period) {
                const words = window.kind === 'previous' ? `previous ${window.grain}` : `same ${window.grain} last year`;
                return new Null(`${anchor.id} is longer than one ${window.grain}, so ${words} is not defined for it`);
            }
            return { ...context, anchor: period, range: period };
        }
    }
}

/** The periods of `grain` a range is made of; a rolling window of days fits coarser data by rounding to whole periods. */
export function tiles(range: Range, grain: PeriodGrain): Period[] | undefined {
    if (range.days !== undefined && grain !== 'day') {
        return periodsEndingOn(range.end, grain, Math.round(range.days / MEAN_DAYS[grain]));
    }
    return tile(range, grain);
}
