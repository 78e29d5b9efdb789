/**
 * Targets and achievement: which target (client, stage) applies to a period, how far a value
 * achieves it (goals, change targets, bands), and its RAG status against the thresholds.
 */
import type { Condition, Goal, Quantity, Target, Threshold, Timing } from '../model.js';
import {
    CHANGE_BASIS_WORDS, goalText, isLowerBound, meets, nearlyEqual, parsePeriod, periodRange, periodYearBefore, previousPeriod, timingText, withinBand,
    type Period, type QuantityWords
} from '@kra-lang/semantics';
import type { RagStatus, TargetResult } from './result.js';
import type { Measure } from './scope.js';
import type { Display, UnitTable } from './units.js';
import { finite, isNull, Null, type Value } from './values.js';

const STATUS_ORDER: readonly RagStatus[] = ['green', 'amber', 'red'];

/** The target that applies, with the goal and timing of the stage chosen. */
export interface ChosenTarget {
    readonly target: Target;
    readonly goal: Goal;
    readonly timing: Timing | null;
}

/** The measure's value in its display unit for another period in the same scope (for change targets). */
export type ValueAt = (period: Period) => Value;

export class Targets {
    /** How quantities read in target texts: the kernel's wording with the model's unit symbols. */
    private readonly words: QuantityWords<Quantity>;

    constructor(private readonly units: UnitTable, private readonly cap: number, private readonly fiscalStart: number) {
        this.words = { text: quantity => units.quantityText(quantity), value: quantity => quantity.value };
    }

    /**
     * The target that applies to a period: a client's own target for that client's member, else
     * the general one; among stages, the one whose `in` period contains the period, else the
     * earliest deadline on or after the period's start, else an `each`/untimed one, else the
     * latest one that has passed, else the first.
     */
    choose(targets: readonly Target[], period: Period, client: string | null): ChosenTarget | Null {
        let candidates = client ? targets.filter(target => target.client === client) : [];
        if (candidates.length === 0) {
            candidates = targets.filter(target => target.client === null);
        }
        if (candidates.length === 0) {
            return new Null(targets.length === 0 ? 'no target' : `no general target (only for ${[...new Set(targets.map(t => t.client))].join(', ')})`);
        }
        const stages = candidates.flatMap(target => [
            { target, goal: target.goal, timing: target.timing },
            ...target.stages.map(stage => ({ target, goal: withStageValue(target.goal, stage.value), timing: stage.timing as Timing | null }))
        ]);
        const spans = stages.map(stage => {
            if (stage.timing?.period) {
                return periodRange(stage.timing.period, this.fiscalStart) ?? null;
            }
            if (stage.timing?.deadline) {
                const day = parsePeriod(stage.timing.deadline);
                return day ? { start: day.start, end: day.end } : null;
            }
            return null;
        });
        const containing = stages
            .map((stage, index) => ({ stage, span: spans[index] }))
            .filter(({ stage, span }) => stage.timing?.period && span && span.start <= period.start && span.end >= period.end)
            .sort((a, b) => (a.span!.end - a.span!.start) - (b.span!.end - b.span!.start));
        if (containing.length > 0) {
            return containing[0].stage;
        }
        const upcoming = stages
            .map((stage, index) => ({ stage, span: spans[index] }))
            .filter(({ stage, span }) => stage.timing?.deadline && span && span.end >= period.start)
            .sort((a, b) => a.span!.end - b.span!.end);
        if (upcoming.length > 0) {
            return upcoming[0].stage;
        }
        const untimed = stages.find(stage => !stage.timing || stage.timing.each);
        if (untimed) {
            return untimed;
        }
        const passed = stages
            .map((stage, index) => ({ stage, span: spans[index] }))
            .filter(({ span }) => span && span.end < period.start)
            .sort((a, b) => b.span!.end - a.span!.end);
        return passed[0]?.stage ?? stages[0];
    }

    achievement(measure: Measure, display: Display, chosen: ChosenTarget, actual: Value, period: Period, valueAt: ValueAt): { target: TargetResult; achievement: Value } {
        const { goal } = chosen;
        const target: TargetResult = {
            text: goalText(goal, this.words),
            timing: timingText(chosen.timing) || null,
            client: chosen.target.client,
            kind: goal.kind,
            level: null,
            low: null,
            high: null,
            base: null
        };
        const direction = measure.kpi.direction;
        const clamp = (value: number) => finite(Math.min(this.cap, Math.max(0, value)));
        if (goal.kind === 'between') {
            const low = this.units.quantityIn(goal.low, display);
            const high = this.units.quantityIn(goal.high, display);
            if (isNull(low) || isNull(high)) {
                return { target, achievement: isNull(low) ? low : high as Null };
            }
            target.low = Math.min(low, high);
            target.high = Math.max(low, high);
            if (isNull(actual)) {
                return { target, achievement: actual };
            }
            return { target, achievement: clamp(bandAchievement(actual, target.low, target.high)) };
        }
        if (goal.kind === 'change') {
            const base = this.changeBase(measure, display, goal, period, valueAt);
            if (isNull(base)) {
                return { target, achievement: base };
            }
            target.base = base;
            const level = this.changeLevel(goal.change, base, display);
            if (isNull(level)) {
                return { target, achievement: level };
            }
            target.level = level;
            if (isNull(actual)) {
                return { target, achievement: actual };
            }
            if (nearlyEqual(level, base)) {
                // No change asked for: met when the KPI has not moved the wrong way.
                const higher = direction === 'higher-is-better' || (direction !== 'lower-is-better' && goal.change.value >= 0);
                return { target, achievement: (higher ? actual >= base : actual <= base) ? 100 : 0 };
            }
            return { target, achievement: clamp((actual - base) / (level - base) * 100) };
        }
        const level = this.units.quantityIn(goal.value, display);
        if (isNull(level)) {
            return { target, achievement: level };
        }
        target.level = level;
        if (isNull(actual)) {
            return { target, achievement: actual };
        }
        if (goal.kind === 'exactly') {
            return { target, achievement: clamp(exactAchievement(actual, level)) };
        }
        const higher = direction === 'higher-is-better' || (direction !== 'lower-is-better' && isLowerBound(goal.kind));
        return { target, achievement: higher ? clamp(higherAchievement(actual, level)) : lowerAchievement(actual, level, this.cap) };
    }

    /** The RAG status of a value: the first of green, amber, red whose condition it meets. */
    status(thresholds: readonly Threshold[], actual: number, display: Display): RagStatus | Null {
        if (thresholds.length === 0) {
            return new Null('no thresholds');
        }
        const ordered = [...thresholds].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
        for (const threshold of ordered) {
            const met = this.meets(threshold.condition, actual, display);
            if (isNull(met)) {
                return met;
            }
            if (met) {
                return threshold.status;
            }
        }
        return new Null(`no threshold matches ${actual}`);
    }

    /** What a change target starts from: the KPI a year or a period earlier in the same scope, or its baseline. */
    private changeBase(measure: Measure, display: Display, goal: Extract<Goal, { kind: 'change' }>, period: Period, valueAt: ValueAt): Value {
        if (goal.basis === 'baseline') {
            const baseline = measure.kpi.baseline;
            return baseline ? this.units.quantityIn(baseline.value, display) : new Null('the target is a change from baseline, but the KPI has no baseline');
        }
        const earlier = goal.basis === 'year-over-year' ? periodYearBefore(period) : previousPeriod(period);
        const value = valueAt(earlier);
        return isNull(value) ? new Null(`no base for the ${CHANGE_BASIS_WORDS[goal.basis]} target: ${value.reason}`) : value;
    }

    /** The level a change target asks for: `%` (or any ratio unit) is relative to the base; other units are absolute. */
    private changeLevel(change: Quantity, base: number, display: Display): Value {
        const unit = change.unit === null ? null : this.units.get(change.unit);
        if (unit && unit.kind === 'ratio' && (!this.units.isRatio(display) || change.unit === 'percent')) {
            if (base <= 0) {
                return new Null(`a change of ${this.units.quantityText(change)} needs a base above 0, and the base is ${base}`);
            }
            return finite(base * (1 + change.value * unit.factor));
        }
        const delta = this.units.quantityIn(change, display);
        return isNull(delta) ? delta : finite(base + delta);
    }

    private meets(condition: Condition, actual: number, display: Display): boolean | Null {
        if (condition.kind === 'otherwise') {
            return true;
        }
        if (condition.kind === 'between') {
            const low = this.units.quantityIn(condition.low, display);
            const high = this.units.quantityIn(condition.high, display);
            if (isNull(low) || isNull(high)) {
                return isNull(low) ? low : high as Null;
            }
            return withinBand(actual, low, high);
        }
        const value = this.units.quantityIn(condition.value, display);
        return isNull(value) ? value : meets(condition.kind, actual, value);
    }
}

function withStageValue(goal: Goal, value: Quantity): Goal {
    switch (goal.kind) {
        case 'between': return goal;
        case 'change': return { ...goal, change: value };
        default: return { ...goal, value };
    }
}

/** Higher is better: actual / target × 100; generalised as 100 × (1 + (actual − target) / |target|) so a negative target (NPS) works. */
function higherAchievement(actual: number, target: number): number {
    if (target === 0) {
        return actual >= 0 ? 100 : 0;
    }
    return 100 * (1 + (actual - target) / Math.abs(target));
}

/** Lower is better: target / actual × 100 for positive values; an actual of 0 or less against a positive target is the cap. */
function lowerAchievement(actual: number, target: number, cap: number): Value {
    if (target > 0) {
        return actual <= 0 ? cap : finite(Math.min(cap, Math.max(0, target / actual * 100)));
    }
    if (target === 0) {
        return actual <= 0 ? 100 : 0;
    }
    return finite(Math.min(cap, Math.max(0, 100 * (1 + (target - actual) / Math.abs(target)))));
}

function exactAchievement(actual: number, target: number): number {
    if (target === 0) {
        return nearlyEqual(actual, 0) ? 100 : 0;
    }
    return 100 * (1 - Math.abs(actual - target) / Math.abs(target));
}

/** 100 inside the band; outside, 100 less the distance to the nearer bound as a percentage of the band's width. */
function bandAchievement(actual: number, low: number, high: number): number {
    if (actual >= low && actual <= high) {
        return 100;
    }
    const distance = actual < low ? low - actual : actual - high;
    const width = high - low;
    if (width > 0) {
        return 100 - distance / width * 100;
    }
    return low !== 0 ? 100 - distance / Math.abs(low) * 100 : 0;
}
