/**
 * How a target is worded in evaluation results: its comparator, change basis and timing.
 * Kept apart so that one shared wording can replace it whole.
 */
import type { Goal, Timing } from '../model.js';
import type { UnitTable } from './units.js';

const COMPARATOR_TEXT = { 'at-least': 'at least', 'at-most': 'at most', above: 'above', below: 'below', exactly: 'exactly' } as const;
export const BASIS_TEXT = { 'year-over-year': 'year over year', baseline: 'from baseline', 'previous-period': 'over previous period' } as const;

export function timingText(timing: Timing | null): string | null {
    if (!timing) {
        return null;
    }
    return timing.period ? `in ${timing.period}` : timing.deadline ? `by ${timing.deadline}` : timing.each ? `each ${timing.each}` : null;
}

export function goalText(goal: Goal, units: UnitTable): string {
    switch (goal.kind) {
        case 'between':
            return `between ${units.quantityText(goal.low)} and ${units.quantityText(goal.high)}`;
        case 'change': {
            const sign = goal.change.value > 0 ? '+' : '';
            return `${sign}${units.quantityText(goal.change)} ${BASIS_TEXT[goal.basis]}`;
        }
        default:
            return `${COMPARATOR_TEXT[goal.kind]} ${units.quantityText(goal.value)}`;
    }
}
