/**
 * Threshold bands for a trend chart: the stretches of the value axis where a KPI is green,
 * amber or red, in the unit the evaluation states the KPI's values in.
 *
 * The rules mirror the evaluator's (packages/compiler/src/evaluate): thresholds are tried green,
 * amber, red, and the first that matches gives the status; a threshold's quantity is converted
 * to the KPI's unit by the units' factors. A test checks, on the contact-centre example, that
 * every evaluated value falls in the band of the status the evaluator gave it.
 */
import type { Condition, Quantity, Threshold, Unit } from '@kra-lang/compiler';
import type { RagStatus } from '@kra-lang/compiler/evaluate';
import { compatibleUnits, unitFactor, unitFromTerms, unitOf, type CompoundUnit } from '@kra-lang/semantics';
import { unitId, type UnitLike } from './format.js';

export interface Band {
    status: RagStatus;
    /** The band's ends, in the KPI's unit; -Infinity and Infinity for an open end. */
    from: number;
    to: number;
}

const STATUS_ORDER: readonly RagStatus[] = ['green', 'amber', 'red'];

/** A threshold's condition with its quantities in the KPI's unit. */
type Interval = { kind: 'otherwise' } | { kind: Exclude<Condition['kind'], 'otherwise' | 'between'>; value: number } | { kind: 'between'; low: number; high: number };

/**
 * The bands of a set of thresholds, from the lowest value up, adjacent bands of one status
 * merged. Empty when there are no thresholds, or a quantity cannot be stated in the KPI's unit
 * (the evaluator gives no status then either).
 */
export function thresholdBands(thresholds: readonly Threshold[], kpiUnit: UnitLike, units: ReadonlyMap<string, Unit>): Band[] {
    const converted = convert(thresholds, kpiUnit, units);
    if (!converted || converted.length === 0) {
        return [];
    }
    const points = [...new Set(converted.flatMap(({ interval }) => (interval.kind === 'otherwise' ? [] : interval.kind === 'between' ? [interval.low, interval.high] : [interval.value])))]
        .sort((a, b) => a - b);
    // Between two neighbouring break points the status is the same everywhere, so one sample
    // in each stretch (and at each point, for `exactly`, `at least` and the like) decides it.
    const edges = [-Infinity, ...points, Infinity];
    const bands: Band[] = [];
    for (let index = 0; index < edges.length - 1; index++) {
        const from = edges[index];
        const to = edges[index + 1];
        const sample = from === -Infinity ? (to === Infinity ? 0 : to - 1) : to === Infinity ? from + 1 : (from + to) / 2;
        const status = classify(converted, sample);
        if (!status) {
            continue;
        }
        const last = bands[bands.length - 1];
        if (last && last.status === status && last.to === from) {
            last.to = to;
        } else {
            bands.push({ status, from, to });
        }
    }
    return bands;
}

/** The status the thresholds give a value (first match, green before amber before red), or null. */
export function statusOf(thresholds: readonly Threshold[], value: number, kpiUnit: UnitLike, units: ReadonlyMap<string, Unit>): RagStatus | null {
    const converted = convert(thresholds, kpiUnit, units);
    return converted ? classify(converted, value) : null;
}

type Converted = ReadonlyArray<{ status: RagStatus; interval: Interval }>;

/** The thresholds in the order they are tried, in the KPI's unit; null when one cannot be stated in it. */
function convert(thresholds: readonly Threshold[], kpiUnit: UnitLike, units: ReadonlyMap<string, Unit>): Converted | null {
    const ordered = [...thresholds].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
    const converted: Array<{ status: RagStatus; interval: Interval }> = [];
    for (const threshold of ordered) {
        const interval = toInterval(threshold.condition, kpiUnit, units);
        if (!interval) {
            return null;
        }
        converted.push({ status: threshold.status, interval });
    }
    return converted;
}

function classify(converted: Converted, value: number): RagStatus | null {
    return converted.find(({ interval }) => meets(interval, value))?.status ?? null;
}

function meets(interval: Interval, value: number): boolean {
    switch (interval.kind) {
        case 'otherwise': return true;
        case 'between': return value >= Math.min(interval.low, interval.high) && value <= Math.max(interval.low, interval.high);
        case 'at-least': return value >= interval.value;
        case 'at-most': return value <= interval.value;
        case 'above': return value > interval.value;
        case 'below': return value < interval.value;
        case 'exactly': return Math.abs(value - interval.value) <= 1e-9 * Math.max(1, Math.abs(value), Math.abs(interval.value));
    }
}

function toInterval(condition: Condition, kpiUnit: UnitLike, units: ReadonlyMap<string, Unit>): Interval | null {
    if (condition.kind === 'otherwise') {
        return condition;
    }
    if (condition.kind === 'between') {
        const low = quantityIn(condition.low, kpiUnit, units);
        const high = quantityIn(condition.high, kpiUnit, units);
        return low === null || high === null ? null : { kind: 'between', low, high };
    }
    const value = quantityIn(condition.value, kpiUnit, units);
    return value === null ? null : { kind: condition.kind, value };
}

/**
 * A quantity in the KPI's unit, as the evaluator states it: a plain number is in that unit
 * already; a quantity in another unit of the same base (or a ratio for a score) is scaled by
 * the factors; anything else cannot be stated (null).
 */
export function quantityIn(quantity: Quantity, kpiUnit: UnitLike, units: ReadonlyMap<string, Unit>): number | null {
    const from = unitId(quantity.unit as UnitLike);
    if (from === null) {
        return quantity.value;
    }
    const unit = units.get(from);
    if (!unit) {
        return null;
    }
    if (unitId(kpiUnit) === null) {
        return quantity.value * unit.factor;
    }
    const display = compoundOf(kpiUnit, units);
    if (!display || !compatibleUnits(unitOf(unit), display)) {
        return null;
    }
    return quantity.value * unit.factor / unitFactor(display);
}

/** The KPI's unit with the model's units: its terms (the model's structured unit), else the one unit its id names. */
function compoundOf(unit: UnitLike, units: ReadonlyMap<string, Unit>): CompoundUnit | undefined {
    if (unit && typeof unit === 'object' && Array.isArray(unit.terms)) {
        return unitFromTerms(unit.terms as { unit: string; power: number }[], id => units.get(id));
    }
    const id = unitId(unit);
    const single = id === null ? undefined : units.get(id);
    return single && unitOf(single);
}
