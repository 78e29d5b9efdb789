/**
 * Targets as words: `at least 85% by 2026-12-31`, `between 75% and 85% each month`,
 * `+15% year over year in FY2027`, `at least 78% in 2026-Q3, 80% in 2026-Q4`. The shapes are
 * the compiled model's, with the quantity left generic: each caller says how its quantities read.
 */
import { COMPARATOR_WORDS, type Comparator } from './comparators.js';

export type ChangeBasis = 'year-over-year' | 'baseline' | 'previous-period';

/** The basis keyword as the grammar stores it (`year` for `year over year`). */
export type ChangeBasisKeyword = 'year' | 'baseline' | 'period';

/** The model's change basis for each grammar keyword. */
export const CHANGE_BASIS_OF_KEYWORD: Readonly<Record<ChangeBasisKeyword, ChangeBasis>> = { year: 'year-over-year', baseline: 'baseline', period: 'previous-period' };

export function changeBasisOf(keyword: string): ChangeBasis | undefined {
    return Object.hasOwn(CHANGE_BASIS_OF_KEYWORD, keyword) ? CHANGE_BASIS_OF_KEYWORD[keyword as ChangeBasisKeyword] : undefined;
}

export const CHANGE_BASIS_WORDS: Readonly<Record<ChangeBasis, string>> = {
    'year-over-year': 'year over year', baseline: 'from baseline', 'previous-period': 'over previous period'
};

export type GoalShape<Q> =
    | { readonly kind: Comparator; readonly value: Q }
    | { readonly kind: 'between'; readonly low: Q; readonly high: Q }
    | { readonly kind: 'change'; readonly change: Q; readonly basis: ChangeBasis };

export interface TimingShape {
    readonly deadline: string | null;
    readonly period: string | null;
    readonly each: string | null;
}

/** How one quantity reads, and its signed value (for the `+` of a rise). */
export interface QuantityWords<Q> {
    text(quantity: Q): string;
    value(quantity: Q): number;
}

/** `at most 360 s`, `between 75% and 85%`, `+15% year over year`; without the comparator: `360 s`, `75% and 85%`. */
export function goalText<Q>(goal: GoalShape<Q>, words: QuantityWords<Q>, withComparator = true): string {
    switch (goal.kind) {
        case 'between':
            return `${withComparator ? 'between ' : ''}${words.text(goal.low)} and ${words.text(goal.high)}`;
        case 'change':
            return `${words.value(goal.change) > 0 ? '+' : ''}${words.text(goal.change)} ${CHANGE_BASIS_WORDS[goal.basis]}`;
        default:
            return withComparator ? `${COMPARATOR_WORDS[goal.kind]} ${words.text(goal.value)}` : words.text(goal.value);
    }
}

/** `by 2026-12-31`, `in 2026-Q3`, `each month`, several joined by spaces; empty without timing. */
export function timingText(timing: TimingShape | null | undefined): string {
    if (!timing) {
        return '';
    }
    const parts: string[] = [];
    if (timing.deadline !== null) {
        parts.push(`by ${timing.deadline}`);
    }
    if (timing.period !== null) {
        parts.push(`in ${timing.period}`);
    }
    if (timing.each !== null) {
        parts.push(`each ${timing.each}`);
    }
    return parts.join(' ');
}

export interface TargetShape<Q> {
    readonly goal: GoalShape<Q>;
    readonly timing: TimingShape | null;
    readonly stages: ReadonlyArray<{ readonly value: Q; readonly timing: TimingShape }>;
}

/** A target without its client: `at least 78% in 2026-Q3, 80% in 2026-Q4`. */
export function targetText<Q>(target: TargetShape<Q>, words: QuantityWords<Q>, withComparator = true): string {
    const joined = (text: string, timing: TimingShape | null) => [text, timingText(timing)].filter(Boolean).join(' ');
    return [
        joined(goalText(target.goal, words, withComparator), target.timing),
        ...target.stages.map(stage => joined(words.text(stage.value), stage.timing))
    ].join(', ');
}
