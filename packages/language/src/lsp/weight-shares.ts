/**
 * Weights as the editor shows them: a KRA's KPI weight total (code lens) and a KPI's effective
 * share of its role's score (inlay hint). The weighted parts come from the model queries, so
 * `carries` and `measured by` lines count exactly as the weights/* rules count them.
 */
import type { Quantity } from '../generated/ast.js';
import { isKra, isRole, type Kpi, type Kra, type MeasuredBy } from '../generated/ast.js';
import { kpisOfKra, krasOfRole } from '../model/queries.js';
import { percentLabel, weightPercent } from '../validation/rules/weights/weight-value.js';

export { percentLabel };

export interface WeightTotal {
    /** Parts (KPIs of a KRA, KRAs of a role). */
    readonly count: number;
    /** Parts that have a weight in percent (or a ratio unit). */
    readonly weighted: number;
    /** The sum of those weights, in percent. */
    readonly total: number;
}

export function weightTotal(weights: ReadonlyArray<Quantity | undefined>): WeightTotal {
    let weighted = 0;
    let total = 0;
    for (const weight of weights) {
        const percent = weight ? weightPercent(weight) : undefined;
        if (percent !== undefined) {
            weighted++;
            total += percent;
        }
    }
    return { count: weights.length, weighted, total };
}

/**
 * Each part's share of the whole, in percent: the weights scaled to add up to 100 %, or equal
 * shares when no part has a weight. Undefined when only some parts have one: then no share
 * can be told.
 */
export function shares(weights: ReadonlyArray<Quantity | undefined>): number[] | undefined {
    if (weights.length === 0) {
        return [];
    }
    const percents = weights.map(weight => weight ? weightPercent(weight) : undefined);
    if (percents.every(percent => percent === undefined) && weights.every(weight => !weight)) {
        return weights.map(() => 100 / weights.length);
    }
    if (percents.some(percent => percent === undefined || percent < 0)) {
        return undefined;
    }
    const total = (percents as number[]).reduce((sum, value) => sum + value, 0);
    return total > 0 ? (percents as number[]).map(value => value * 100 / total) : undefined;
}

/** "KPI weights 100 % · 3 KPIs" for a KRA. */
export function kraWeightSummary(kra: Kra): string {
    const uses = kpisOfKra(kra);
    const { count, weighted, total } = weightTotal(uses.map(use => use.weight));
    const kpis = `${count} ${count === 1 ? 'KPI' : 'KPIs'}`;
    if (count === 0) {
        return 'No KPIs yet';
    }
    if (weighted === 0) {
        return `KPI weights not set (equal shares) · ${kpis}`;
    }
    const missing = count - weighted;
    return `KPI weights ${percentLabel(total)}${missing > 0 ? ` (${missing} without weight)` : ''} · ${kpis}`;
}

/**
 * The share of its role's score that a KPI carries, in percent, when the KPI (or a `measured by`
 * line) sits in a KRA of a role: the KRA's share of the role times the KPI's share of the KRA.
 */
export function shareOfRole(entry: Kpi | MeasuredBy): { role: string; percent: number } | undefined {
    const kra = entry.$container;
    if (!isKra(kra) || !isRole(kra.$container)) {
        return undefined;
    }
    const role = kra.$container;
    const kras = krasOfRole(role);
    const kraShares = shares(kras.map(use => use.weight));
    const kraIndex = kras.findIndex(use => use.kra === kra);
    const kpis = kpisOfKra(kra);
    const kpiShares = shares(kpis.map(use => use.weight));
    const kpiIndex = kpis.findIndex(use => use.source === entry);
    if (!kraShares || !kpiShares || kraIndex < 0 || kpiIndex < 0) {
        return undefined;
    }
    return { role: role.name, percent: kraShares[kraIndex] * kpiShares[kpiIndex] / 100 };
}
