/**
 * Formula windows in SQL: each window is a span of periods relative to the current one,
 * written over the period index (months since year 0 on monthly data, and so on). The rules are
 * the evaluator's (docs/evaluation.md, "Periods and windows"), restricted to what a fixed grain
 * can say: a window SQL cannot state on the source's grain is reported, never approximated.
 */
import type { Window } from '../model.js';
import type { SourceGrain } from './dialect.js';

/** The span as offsets from the current period's index (SQL expressions of `index`). */
export interface Span {
    readonly from: (index: string) => string;
    readonly to: (index: string) => string;
}

const PERIODS_PER_YEAR: Record<SourceGrain, number | null> = { day: null, month: 12, quarter: 4, year: 1 };
/** How many periods of the source's grain make one month, quarter or year (absent: not a whole number). */
const PERIODS_PER: Record<SourceGrain, Partial<Record<'month' | 'quarter' | 'year', number>> | undefined> = {
    day: undefined, month: { month: 1, quarter: 3, year: 12 }, quarter: { quarter: 1, year: 4 }, year: { year: 1 }
};
const MEAN_DAYS: Record<SourceGrain, number> = { day: 1, month: 365.2425 / 12, quarter: 365.2425 / 4, year: 365.2425 };

export function windowKey(window: Window): string {
    switch (window.kind) {
        case 'rolling': return `rolling ${window.size} ${window.grain}`;
        case 'to-date': return `${window.grain} to date`;
        case 'previous-period': return 'previous period';
        case 'same-period-last-year': return 'same period last year';
        case 'previous': return `previous ${window.grain}`;
        case 'same-last-year': return `same ${window.grain} last year`;
    }
}

/** The span of a window on data of one grain, or a reason it cannot be stated. */
export function windowSpan(window: Window, grain: SourceGrain, fiscalStartMonth: number): Span | string {
    const fixed = (from: number, to: number): Span => ({
        from: index => (from === 0 ? index : `${index} - ${-from}`),
        to: index => (to === 0 ? index : `${index} - ${-to}`)
    });
    switch (window.kind) {
        case 'previous-period':
            return fixed(-1, -1);
        case 'same-period-last-year': {
            const perYear = PERIODS_PER_YEAR[grain];
            return perYear === null ? 'same period last year on daily data (leap days) is not written in SQL yet' : fixed(-perYear, -perYear);
        }
        case 'rolling': {
            if (window.grain === 'months') {
                if (grain === 'month') {
                    return fixed(-(window.size - 1), 0);
                }
                return `rolling ${window.size} months on ${grain} data is not written in SQL yet`;
            }
            const days = window.size * (window.grain === 'weeks' ? 7 : 1);
            const periods = grain === 'day' ? days : Math.max(1, Math.round(days / MEAN_DAYS[grain]));
            return fixed(-(periods - 1), 0);
        }
        case 'previous':
        case 'same-last-year': {
            // The whole month, quarter or year before (or a year before) the one the current
            // period lies in: offsets from the first period of that grain.
            const per = PERIODS_PER[grain]?.[window.grain];
            const words = window.kind === 'previous' ? `previous ${window.grain}` : `same ${window.grain} last year`;
            if (per === undefined) {
                return `${words} on ${grain} data is not written in SQL yet`;
            }
            const back = window.kind === 'previous' ? per : PERIODS_PER_YEAR[grain]!;
            const first = (index: string) => (per === 1 ? index : `${index} - MOD(${index}, ${per})`);
            return { from: index => `${first(index)} - ${back}`, to: index => `${first(index)} - ${back - per + 1}` };
        }
        case 'to-date': {
            if (grain !== 'month') {
                return `${window.grain} to date on ${grain} data is not written in SQL yet`;
            }
            const zeroBased = fiscalStartMonth - 1;
            switch (window.grain) {
                case 'month': return fixed(0, 0);
                case 'quarter': return { from: index => `${index} - MOD(${index}, 3)`, to: index => index };
                case 'year': return { from: index => `${index} - MOD(${index} + ${12 - zeroBased}, 12)`, to: index => index };
            }
        }
    }
}
