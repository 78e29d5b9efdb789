/**
 * Numbers, units, targets and thresholds as people read them. Locale-independent (toFixed, no
 * Intl), so a report is the same bytes on every machine. `kra eval`'s table and markdown use
 * them too (imported as `@kra-lang/scorecard/format`, which does not load the charts).
 */
import type { Condition, Goal, KraModel, Quantity, Timing, Unit } from '@kra-lang/compiler';
import type { KpiResult } from '@kra-lang/compiler/evaluate';

/**
 * A unit as the model or the result gives it. Today a unit id (`seconds`, `percent`,
 * `GBP per contact`); an object with an `id` (or `text`) is read too, so that a structured unit
 * in a later model version still renders.
 */
export type UnitLike = string | { readonly id?: unknown; readonly text?: unknown } | null | undefined;

/** The unit's id, or null for a plain number. */
export function unitId(unit: UnitLike): string | null {
    if (typeof unit === 'string') {
        return unit;
    }
    if (unit && typeof unit === 'object') {
        const name = typeof unit.id === 'string' ? unit.id : typeof unit.text === 'string' ? unit.text : null;
        return name;
    }
    return null;
}

/** The model's units by id, and by symbol where no unit has that id: the evaluator's lookup. */
export function unitTable(model: Pick<KraModel, 'units'>): ReadonlyMap<string, Unit> {
    const units = new Map((model.units ?? []).map(unit => [unit.id, unit]));
    for (const unit of model.units ?? []) {
        if (unit.symbol && !units.has(unit.symbol)) {
            units.set(unit.symbol, unit);
        }
    }
    return units;
}

export function formatNumber(value: number, decimals: number): string {
    const text = value.toFixed(decimals);
    return text === `-${(0).toFixed(decimals)}` ? text.slice(1) : text;
}

/** A value with its unit: `81.4%`, `380.8 s`, `3.80 GBP`, `9.4`; `—` for no value. */
export function formatQuantity(value: number | null, unit: UnitLike, units: ReadonlyMap<string, Unit>): string {
    if (value === null || !Number.isFinite(value)) {
        return '—';
    }
    const id = unitId(unit);
    if (id === 'percent') {
        return `${formatNumber(value, 1)}%`;
    }
    const declared = id ? units.get(id) : undefined;
    if (declared?.kind === 'currency') {
        return `${formatNumber(value, 2)} ${id}`;
    }
    const decimals = Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : 1;
    const number = formatNumber(value, decimals);
    if (!id || id === 'score' || id === 'count') {
        return number;
    }
    return `${number} ${declared?.symbol ?? id}`;
}

/** An achievement or a score: `101.4%`, `—` for none. */
export function formatPercent(value: number | null): string {
    return value === null || !Number.isFinite(value) ? '—' : `${formatNumber(value, 1)}%`;
}

/** A weight: `35%`; shares that are not whole keep one decimal (`33.3%`). */
export function formatWeight(value: number): string {
    return `${formatNumber(value, Number.isInteger(value) ? 0 : 1)}%`;
}

/** A quantity as written in a .kra file: `80%`, `380 s`, `15`. */
export function quantityText(quantity: Quantity, units: ReadonlyMap<string, Unit>): string {
    const id = unitId(quantity.unit as UnitLike);
    if (id === null) {
        return String(quantity.value);
    }
    if (id === 'percent') {
        return `${quantity.value}%`;
    }
    return `${quantity.value} ${units.get(id)?.symbol ?? id}`;
}

const COMPARATOR_TEXT = { 'at-least': 'at least', 'at-most': 'at most', above: 'above', below: 'below', exactly: 'exactly' } as const;
const BASIS_TEXT = { 'year-over-year': 'year over year', baseline: 'from baseline', 'previous-period': 'over previous period' } as const;

/** A target's goal in the words of the language and of the evaluation's `target.text`: `at least 80%`, `between 75% and 85%`, `-8% year over year`. */
export function goalText(goal: Goal, units: ReadonlyMap<string, Unit>): string {
    switch (goal.kind) {
        case 'between':
            return `between ${quantityText(goal.low, units)} and ${quantityText(goal.high, units)}`;
        case 'change': {
            const change = quantityText(goal.change, units);
            return `${goal.change.value > 0 ? '+' : ''}${change} ${BASIS_TEXT[goal.basis]}`;
        }
        default:
            return `${COMPARATOR_TEXT[goal.kind]} ${quantityText(goal.value, units)}`;
    }
}

/** When a target applies: `in 2026-Q3`, `by 2026-12-31`, `each month`; empty when untimed. The same words as the evaluation's. */
export function timingText(timing: Timing | null): string {
    if (!timing) {
        return '';
    }
    return timing.period ? `in ${timing.period}` : timing.deadline ? `by ${timing.deadline}` : timing.each ? `each ${timing.each}` : '';
}

/** A threshold's condition: `at least 85%`, `between 1% and 2%`, `otherwise`. */
export function conditionText(condition: Condition, units: ReadonlyMap<string, Unit>): string {
    if (condition.kind === 'otherwise') {
        return 'otherwise';
    }
    return goalText(condition, units);
}

/** A period's target as the evaluation worded it, with the level a change target works out to and its client. */
export function targetText(result: Pick<KpiResult, 'target' | 'unit'>, units: ReadonlyMap<string, Unit>): string {
    const target = result.target;
    if (!target) {
        return '—';
    }
    let text = target.text;
    if (target.kind === 'change' && target.level !== null) {
        text += ` (${formatQuantity(target.level, result.unit, units)})`;
    }
    if (target.client) {
        text = `for ${target.client}: ${text}`;
    }
    return target.timing ? `${text} ${target.timing}` : text;
}
