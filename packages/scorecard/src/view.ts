/**
 * The scorecard's content, before any HTML: which roles, KRAs and KPIs it shows, in the model's
 * order, with their results for the period in focus. Built from the compiled model and the
 * evaluation result only (their published types), so the report and the Studio panel show the
 * same thing.
 */
import type { Kpi, KraModel, Unit } from '@kra-lang/compiler';
import type { EvaluationResult, KpiResult, KraScore, PeriodInfo, RoleScore } from '@kra-lang/compiler/evaluate';
import { focusPeriod, PERIOD_GRAINS } from '@kra-lang/semantics';
import { unitTable } from './format.js';

export interface ScorecardOptions {
    /** The period the scorecard tables and the by-member heat maps show; default the latest evaluated. */
    readonly period?: string;
    /** The report's heading; default the organisation's title (or id), else `Scorecard`. */
    readonly title?: string;
}

export interface KpiLine {
    readonly kpi: string;
    readonly title: string;
    /** The KPI's weight within its KRA, in percent; null outside a KRA. */
    readonly weight: number | null;
    /** The KPI's total result in the focus period, if it was evaluated. */
    readonly result: KpiResult | undefined;
}

export interface KraBlock {
    readonly kra: string;
    readonly title: string;
    /** The KRA's share of the role score, in percent. */
    readonly weight: number;
    readonly score: KraScore | undefined;
    readonly kpis: KpiLine[];
}

export interface RoleBlock {
    readonly role: string;
    readonly title: string;
    readonly score: RoleScore | undefined;
    readonly kras: KraBlock[];
}

/** The model and the result, indexed for the questions the scorecard asks. */
export class ScorecardData {
    readonly period: string;
    readonly title: string;
    readonly periods: readonly PeriodInfo[];
    readonly units: ReadonlyMap<string, Unit>;
    private readonly kpiResults = new Map<string, KpiResult>();
    private readonly kraScores = new Map<string, KraScore>();
    private readonly roleScores = new Map<string, RoleScore>();
    private readonly kpiById: ReadonlyMap<string, Kpi>;
    private readonly kraTitles: ReadonlyMap<string, string>;

    constructor(readonly model: KraModel, readonly result: EvaluationResult, options: ScorecardOptions = {}) {
        this.periods = result.periods ?? [];
        const latest = focusPeriod(this.periods)?.id ?? '';
        this.period = options.period !== undefined && this.periods.some(period => period.id === options.period) ? options.period : latest;
        const organisation = model.organisation;
        this.title = options.title ?? organisation?.title ?? organisation?.id ?? 'Scorecard';
        this.units = unitTable(model);
        this.kpiById = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
        this.kraTitles = new Map(model.kras.map(kra => [kra.id, kra.title ?? kra.id]));
        for (const row of result.kpis ?? []) {
            this.kpiResults.set(key(row.kpi, row.variant, row.period, row.dimension, row.member), row);
        }
        for (const row of result.kras ?? []) {
            this.kraScores.set(key(row.kra, row.period), row);
        }
        for (const row of result.roles ?? []) {
            this.roleScores.set(key(row.role, row.period), row);
        }
    }

    /** A KPI's result: in total by default, or for one member of a dimension. */
    kpiResult(kpi: string, period: string = this.period, dimension: string | null = null, member: string | null = null, variant: string | null = null): KpiResult | undefined {
        return this.kpiResults.get(key(kpi, variant, period, dimension, member));
    }

    kraScore(kra: string, period: string = this.period): KraScore | undefined {
        return this.kraScores.get(key(kra, period));
    }

    roleScore(role: string, period: string = this.period): RoleScore | undefined {
        return this.roleScores.get(key(role, period));
    }

    /** The period shown, as the result describes it. */
    periodInfo(): PeriodInfo | undefined {
        return this.periods.find(period => period.id === this.period);
    }

    kpi(id: string): Kpi | undefined {
        return this.kpiById.get(id);
    }

    kpiTitle(id: string): string {
        return this.kpiById.get(id)?.title ?? id;
    }

    kraTitle(id: string): string {
        return this.kraTitles.get(id) ?? id;
    }

    /** Every role with its KRAs and KPIs, in the model's order. */
    roles(): RoleBlock[] {
        return this.model.roles.map(role => ({
            role: role.id,
            title: role.title ?? role.id,
            score: this.roleScore(role.id),
            kras: role.kras.map(use => {
                const score = this.kraScore(use.kra);
                const kpis = score?.kpis.map(entry => ({ kpi: entry.kpi, weight: entry.weight }))
                    ?? use.kpis.map(entry => ({ kpi: entry.kpi, weight: entry.weight }));
                return {
                    kra: use.kra,
                    title: this.kraTitle(use.kra),
                    weight: use.effectiveWeight,
                    score,
                    kpis: kpis.map(entry => ({ kpi: entry.kpi, title: this.kpiTitle(entry.kpi), weight: entry.weight, result: this.kpiResult(entry.kpi) }))
                };
            })
        }));
    }

    /** KPIs that no role carries (every KPI, for a workspace without roles) and that were evaluated. */
    unassigned(): KpiLine[] {
        const inRoles = new Set(this.model.roles.flatMap(role => role.kras.flatMap(use => use.kpis.map(kpi => kpi.kpi))));
        return this.evaluatedKpis().filter(kpi => !inRoles.has(kpi.id))
            .map(kpi => ({ kpi: kpi.id, title: kpi.title ?? kpi.id, weight: null, result: this.kpiResult(kpi.id) }));
    }

    /** The model's KPIs that have a total result in some period, in the model's order. */
    evaluatedKpis(): Kpi[] {
        const evaluated = new Set((this.result.kpis ?? []).filter(row => row.variant === null && row.dimension === null).map(row => row.kpi));
        return this.model.kpis.filter(kpi => evaluated.has(kpi.id));
    }

    /**
     * The reported periods grouped by grain, finest first, each with the KPIs that have a total
     * result at that grain: monthly data with KPIs `measured quarterly` gives the months (without
     * those KPIs) and the quarters.
     */
    periodsByGrain(): Array<{ grain: PeriodInfo['grain']; periods: PeriodInfo[]; kpis: Kpi[] }> {
        return PERIOD_GRAINS.flatMap(grain => {
            const periods = this.periods.filter(period => period.grain === grain);
            const kpis = this.evaluatedKpis().filter(kpi => periods.some(period => this.kpiResult(kpi.id, period.id)));
            return periods.length > 0 && kpis.length > 0 ? [{ grain, periods, kpis }] : [];
        });
    }

    /** The periods of a KPI's trend: those of the finest grain it has a total result at, so that months and quarters never share an axis. */
    trendPeriods(kpi: string): PeriodInfo[] {
        return this.periodsByGrain().find(group => group.kpis.some(entry => entry.id === kpi))?.periods ?? [];
    }

    /** The dimensions with members, and for each the KPIs that have a result per member in the focus period. */
    breakdowns(): Array<{ dimension: string; members: string[]; kpis: Kpi[] }> {
        return (this.result.dimensions ?? []).map(({ dimension, members }) => ({
            dimension,
            members: [...members],
            kpis: this.evaluatedKpis().filter(kpi => members.some(member => this.kpiResult(kpi.id, this.period, dimension, member) !== undefined))
        })).filter(breakdown => breakdown.kpis.length > 0);
    }
}

function key(...parts: Array<string | null>): string {
    return parts.map(part => part ?? '').join('\u0000');
}
