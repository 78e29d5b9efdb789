/**
 * Weights as the editor shows them: a KRA's KPI weight total (code lens) and a KPI's effective
 * share of its role's score (inlay hint, hover). The weighted parts come from the model queries,
 * so `carries` and `measured by` lines count exactly as the weights/* rules count them; the
 * shares are the semantics kernel's, the same the compiler writes as `effectiveWeight`.
 */
import { shareOfWhole, weightShares, weightTotal as total, type WeightTotal } from '@kra-lang/semantics';
import type { Quantity } from '../generated/ast.js';
import { isKra, isRole, type Kpi, type Kra, type MeasuredBy } from '../generated/ast.js';
import { kpisOfKra, krasOfRole } from '../model/queries.js';
import { percentLabel, weightPercent } from '../validation/support/weight-value.js';

export { percentLabel };

/** Each weight in percent; undefined for none, or one that is no share. */
function percents(weights: ReadonlyArray<Quantity | undefined>): Array<number | undefined> {
    return weights.map(weight => (weight ? weightPercent(weight) : undefined));
}

export function weightTotal(weights: ReadonlyArray<Quantity | undefined>): WeightTotal {
    return total(percents(weights));
}

/** "KPI weights 100% · 3 KPIs" for a KRA. */
export function kraWeightSummary(kra: Kra): string {
    const uses = kpisOfKra(kra);
    const { count, weighted, total } = weightTotal(uses.map(use => use.weight));
    const kpis = `${count} ${count === 1 ? 'KPI' : 'KPIs'}`;
    if (count === 0) {
        return 'No KPIs yet';
    }
    if (weighted === 0 || total === null) {
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
    const kraIndex = kras.findIndex(use => use.kra === kra);
    const kpis = kpisOfKra(kra);
    const kpiIndex = kpis.findIndex(use => use.source === entry);
    if (kraIndex < 0 || kpiIndex < 0) {
        return undefined;
    }
    const kraShare = weightShares(percents(kras.map(use => use.weight)))[kraIndex];
    const kpiShare = weightShares(percents(kpis.map(use => use.weight)))[kpiIndex];
    return { role: role.name, percent: shareOfWhole(kraShare, kpiShare) };
}
