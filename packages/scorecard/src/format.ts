/**
 * Numbers, units, targets and thresholds as people read them. Locale-independent (toFixed, no
 * Intl), so a report is the same bytes on every machine. `kra eval`'s table and markdown use
 * them too (imported as `@kra-lang/scorecard/format`, which does not load the charts).
 */
import type { Condition, Goal, KraModel, Quantity, Timing, Unit } from '@kra-lang/compiler';
import type { KpiResult } from '@kra-lang/compiler/evaluate';
import { formatQuantity as kernelQuantity, goalText as kernelGoal, timingText as kernelTiming, type QuantityWords } from '@kra-lang/semantics';

export { formatFixed } from '@kra-lang/semantics';

/**
 * A unit as the model or the result gives it: the model's structured unit (`{text, terms}`,
 * schema 2), a result's unit text (`seconds`, `USD per hours`), or a unit id.
 */
export type UnitLike = string | { readonly id?: unknown; readonly text?: unknown; readonly terms?: unknown } | null | undefined;

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

/** A value with its unit: `81.4%`, `380.8 s`, `3.80 GBP`, `9.4`; `—` for no value. Fixed decimals for tables, the kernel's wording. */
export function formatQuantity(value: number | null, unit: UnitLike, units: ReadonlyMap<string, Unit>): string {
    if (value === null || !Number.isFinite(value)) {
        return '—';
    }
    const id = unitId(unit);
    if (id === 'percent') {
        return kernelQuantity(value, '%', { decimals: 1 });
    }
    const declared = id ? units.get(id) : undefined;
    if (declared?.kind === 'currency') {
        return kernelQuantity(value, id, { decimals: 2 });
    }
    const decimals = Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : 1;
    return kernelQuantity(value, !id || id === 'score' || id === 'count' ? null : declared?.symbol ?? id, { decimals });
}

/** An achievement or a score: `101.4%`, `—` for none. */
export function formatPercent(value: number | null): string {
    return value === null || !Number.isFinite(value) ? '—' : kernelQuantity(value, '%', { decimals: 1 });
}

/** A weight: `35%`; shares that are not whole keep one decimal (`33.3%`). */
export function formatWeight(value: number): string {
    return kernelQuantity(value, '%', { decimals: Number.isInteger(value) ? 0 : 1 });
}

/** A quantity as written in a .kra file: `80%`, `380 s`, `15`. */
export function quantityText(quantity: Quantity, units: ReadonlyMap<string, Unit>): string {
    const id = unitId(quantity.unit as UnitLike);
    return kernelQuantity(quantity.value, id === null ? null : id === 'percent' ? '%' : units.get(id)?.symbol ?? id);
}

/** How the model's quantities read, for the kernel's goal wording. */
function words(units: ReadonlyMap<string, Unit>): QuantityWords<Quantity> {
    return { text: quantity => quantityText(quantity, units), value: quantity => quantity.value };
}

/** A target's goal in the words of the language and of the evaluation's `target.text`: `at least 80%`, `between 75% and 85%`, `-8% year over year`. */
export function goalText(goal: Goal, units: ReadonlyMap<string, Unit>): string {
    return kernelGoal(goal, words(units));
}

/** When a target applies: `in 2026-Q3`, `by 2026-12-31`, `each month`; empty when untimed. The same words as the evaluation's. */
export function timingText(timing: Timing | null): string {
    return kernelTiming(timing);
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
