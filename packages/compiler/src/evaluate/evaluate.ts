/**
 * Evaluates a compiled model on metric data: each KPI per period (in total and per member of
 * the dimensions its data has), its achievement against the applicable target, its RAG status,
 * and the weighted scores and ratings of KRAs and roles. docs/evaluation.md gives the rules.
 *
 * This module orchestrates; the concerns live apart: formulas.ts (expression evaluation),
 * metric-data.ts (data over members and periods), targets.ts (targets, achievement, RAG),
 * scores.ts (KRA and role scores, ratings), units.ts (the model's units, with the semantics
 * kernel's unit algebra) and windows.ts (time windows, with the kernel's calendar).
 *
 * It walks the model's expression trees; nothing is ever evaluated as code. Where a value
 * cannot be computed (missing data, division by zero, a unit problem, a cycle) the result is
 * null with a reason, never NaN or Infinity.
 */
import type { KraModel } from '../model.js';
import { addTo } from '../collections.js';
import { DIMENSIONS, type DataSet, type Dimension } from './data.js';
import { FormulaEvaluator } from './formulas.js';
import { MetricData } from './metric-data.js';
import { CADENCE_GRAIN, comparePeriods, fiscalStartMonth, GRAIN_MONTHS, isoDate, measuredAt, MONTH_NAMES, parsePeriod, periodContaining, periodProblem, wholePeriodsWithin, type Period, type PeriodGrain } from '@kra-lang/semantics';
import { EVAL_SCHEMA_ID, EVAL_SCHEMA_VERSION, type EvaluationResult, type KpiResult, type KraScore, type MeasureLevel, type PeriodOrigin, type PersonScore, type RoleScore, type RollUp } from './result.js';
import { agentRoles, type Assignment } from './appraisal/assignments.js';
import { People } from './appraisal/people.js';
import { RollUps } from './appraisal/rollups.js';
import { calibrate } from './appraisal/calibration.js';
import { trendContext, trends } from './appraisal/trends.js';
import type { CalibrationGuideline } from '@kra-lang/language';
import type { Filter, Measure } from './scope.js';
import { Scores } from './scores.js';
import { Targets } from './targets.js';
import { UnitTable, type Display } from './units.js';
import { finite, isNull, Null, type Value } from './values.js';

export const DEFAULT_ACHIEVEMENT_CAP = 150;

export interface EvaluateOptions {
    /**
     * The periods to report (`2026-07`, `2026-Q4`…); they need not be in the data: a quarter
     * rolls up from monthly data. Default: every period the data has, and each whole period the
     * data covers at the grain a KPI is measured (`measured quarterly`: the quarters).
     */
    readonly periods?: readonly string[];
    /** Achievement cap in percent for scoring; default 150. */
    readonly achievementCap?: number;
    /** Who holds which role in which team (appraisal/assignments.ts): each person is scored per period. */
    readonly assignments?: readonly Assignment[];
    /** kra.config.yaml's `calibration`: the distribution of ratings it checks; breaches become warnings. */
    readonly calibration?: CalibrationGuideline;
}

export function evaluateModel(model: KraModel, data: DataSet, options: EvaluateOptions = {}): EvaluationResult {
    return new Evaluator(model, data, options).run();
}

class Evaluator {
    private readonly cap: number;
    private readonly fiscalStart: number;
    private readonly units: UnitTable;
    private readonly metricData: MetricData;
    private readonly formulas: FormulaEvaluator;
    private readonly targets: Targets;
    private readonly scores: Scores;
    private readonly people: People;
    private readonly rollUps: RollUps;

    constructor(private readonly model: KraModel, private readonly data: DataSet, private readonly options: EvaluateOptions) {
        this.cap = options.achievementCap ?? DEFAULT_ACHIEVEMENT_CAP;
        this.fiscalStart = fiscalStartMonth(model.organisation?.fiscalYearStart);
        this.units = new UnitTable(model.units);
        this.metricData = new MetricData(model.metrics, data, this.units);
        this.formulas = new FormulaEvaluator(model.kpis, this.units, this.metricData, this.fiscalStart);
        this.targets = new Targets(this.units, this.cap, this.fiscalStart);
        this.scores = new Scores(model, this.units);
        const assignments = options.assignments ?? [];
        this.rollUps = new RollUps(model);
        this.people = new People(model, assignments, agentRoles(assignments, data), this.scores, kpi => this.levelOf(kpi));
    }

    /** The finest level a KPI's data has: per agent, per team, or only in total. */
    private levelOf(id: string): MeasureLevel {
        const formula = this.model.kpis.find(kpi => kpi.id === id)?.formula;
        const dimensions = formula ? this.metricData.commonDimensions(this.formulas.metricsOf(formula.tree)) : [];
        return dimensions.includes('agent') ? 'agent' : dimensions.includes('team') ? 'team' : 'organisation';
    }

    run(): EvaluationResult {
        const periods = this.periods();
        const reported = this.options.periods?.length ? periods.filter(period => period.origin === 'asked') : periods;
        const kpis: KpiResult[] = [];
        const kras: KraScore[] = [];
        const roles: RoleScore[] = [];
        const measures: Measure[] = this.model.kpis.flatMap(kpi => [{ kpi, variant: null }, ...kpi.variants.map(variant => ({ kpi, variant }))]);
        const people: PersonScore[] = [];
        const rollups: RollUp[] = [];
        // With periods asked for, the periods trends compare them with are evaluated too, but not reported.
        const shown = new Set(reported.map(({ period }) => period.id));
        const context = this.options.periods?.length ? trendContext(reported.map(({ period }) => period)).filter(period => !shown.has(period.id)) : [];
        for (const period of [...context, ...reported.map(entry => entry.period)]) {
            const firstResult = kpis.length;
            const totals = new Map<string, KpiResult>();
            for (const measure of measures) {
                // A KPI measured quarterly has no value for a month (docs/evaluation.md, "Measured at its own grain").
                if (!measuredAt(measure.kpi.frequency, period.grain)) {
                    continue;
                }
                const total = this.evaluateMeasure(measure, period, {});
                kpis.push(total);
                if (!measure.variant) {
                    totals.set(measure.kpi.id, total);
                }
                const formula = measure.variant?.formula ?? measure.kpi.formula;
                const metrics = formula ? this.formulas.metricsOf(formula.tree) : new Set<string>();
                for (const dimension of this.metricData.commonDimensions(metrics)) {
                    for (const member of this.metricData.members(dimension, metrics, { start: period.start, end: period.end }, {})) {
                        kpis.push(this.evaluateMeasure(measure, period, { [dimension]: member }));
                    }
                }
            }
            const kraScores = new Map<string, KraScore>();
            for (const kra of this.model.kras) {
                const score = this.scores.kraScore(kra.id, kra.kpis, period, totals);
                kraScores.set(kra.id, score);
                kras.push(score);
            }
            for (const role of this.model.roles) {
                roles.push(this.scores.roleScore(role, period, kraScores));
            }
            people.push(...this.people.score(period, kpis.slice(firstResult)));
            rollups.push(...this.rollUps.score(period, kraScores));
        }
        const allMembers = new Map<Dimension, Set<string>>();
        for (const row of this.data.rows) {
            for (const dimension of DIMENSIONS) {
                const member = row.members[dimension];
                if (member !== undefined) {
                    addTo(allMembers, dimension, member);
                }
            }
        }
        const keep = <T extends { period: string }>(list: T[]): T[] => (context.length === 0 ? list : list.filter(entry => shown.has(entry.period)));
        const calibration = calibrate(this.model, keep(people), this.options.calibration);
        return {
            $schema: EVAL_SCHEMA_ID,
            schemaVersion: EVAL_SCHEMA_VERSION,
            organisation: this.model.organisation?.id ?? null,
            settings: { achievementCap: this.cap, fiscalYearStart: MONTH_NAMES[this.fiscalStart - 1] },
            periods: reported.map(({ period, inData, origin }) => ({
                id: period.id, grain: period.grain, start: isoDate(period.start), end: isoDate(period.end), inData, origin,
                definitions: { from: 'files', commit: null, committed: null }
            })),
            dimensions: DIMENSIONS.filter(dimension => allMembers.has(dimension))
                .map(dimension => ({ dimension, members: [...allMembers.get(dimension)!].sort() })),
            kpis: keep(kpis),
            kras: keep(kras),
            roles: keep(roles),
            people: keep(people),
            rollups: keep(rollups),
            calibration: calibration.groups,
            trends: keep(trends({ kpis, kras, roles, people, rollups })),
            warnings: [...this.warnings(), ...this.unmeasured(reported.map(({ period }) => period)), ...calibration.warnings]
        };
    }

    /**
     * The periods to evaluate: those of the data (`origin` data), those asked for (asked), and,
     * by default, each whole period the data covers at a grain some KPI is measured at and the
     * data does not have (cadence): the quarters of monthly data for a KPI `measured quarterly`.
     */
    private periods(): Array<{ period: Period; inData: boolean; origin: PeriodOrigin }> {
        const byId = new Map<string, { period: Period; inData: boolean; origin: PeriodOrigin }>();
        // A row with every cell empty marks missing data but adds no period to report.
        for (const row of this.data.rows.filter(row => row.values.size > 0)) {
            byId.set(row.period.id, { period: row.period, inData: true, origin: 'data' });
        }
        if (this.options.periods?.length) {
            for (const text of this.options.periods) {
                const period = parsePeriod(text);
                if (!period) {
                    throw new Error(`'${text}' is not a period: ${periodProblem(text)}`);
                }
                byId.set(period.id, { period, inData: byId.get(period.id)?.inData ?? false, origin: 'asked' });
            }
        } else {
            const inData = [...byId.values()].map(entry => entry.period);
            for (const grain of this.measuredGrains()) {
                // Only data at least as fine as the grain covers its periods: a month of data covers no day.
                const finer = inData.filter(period => GRAIN_MONTHS[period.grain] <= GRAIN_MONTHS[grain]);
                for (const period of wholePeriodsWithin(grain, finer)) {
                    if (!byId.has(period.id)) {
                        byId.set(period.id, { period, inData: false, origin: 'cadence' });
                    }
                }
            }
        }
        return [...byId.values()].sort((a, b) => comparePeriods(a.period, b.period));
    }

    /** The grains the model's KPIs are measured at (`measured quarterly`: quarter). */
    private measuredGrains(): Set<PeriodGrain> {
        const grains = new Set<PeriodGrain>();
        for (const kpi of this.model.kpis) {
            const grain = kpi.frequency ? CADENCE_GRAIN[kpi.frequency] : undefined;
            if (grain) {
                grains.add(grain);
            }
        }
        return grains;
    }

    /** A warning for each KPI that no reported period is long enough to measure. */
    private unmeasured(reported: readonly Period[]): string[] {
        if (reported.length === 0) {
            return [];
        }
        return this.model.kpis
            .filter(kpi => kpi.frequency && !reported.some(period => measuredAt(kpi.frequency, period.grain)))
            .map(kpi => `${kpi.id} is measured ${kpi.frequency}: no period reported is long enough, so it has no value; ask for one with --period (such as ${exampleOf(kpi.frequency!, reported[reported.length - 1])})`);
    }

    private warnings(): string[] {
        const warnings: string[] = [];
        for (const metric of this.model.metrics) {
            if (!this.metricData.has(metric.id) && metric.usedBy.length > 0) {
                warnings.push(`no data for metric ${metric.id}, used by ${metric.usedBy.join(', ')}`);
            }
        }
        return warnings;
    }

    private evaluateMeasure(measure: Measure, period: Period, filter: Filter): KpiResult {
        const { kpi, variant } = measure;
        const dimension = (Object.keys(filter) as Dimension[])[0] ?? null;
        const member = dimension ? filter[dimension] ?? null : null;
        const display = this.units.display(variant?.unit ?? kpi.unit, variant?.formula ?? kpi.formula);
        const value = this.measureValue(measure, display, period, filter);
        const result: KpiResult = {
            kpi: kpi.id,
            variant: variant?.id ?? null,
            period: period.id,
            dimension,
            member,
            value: isNull(value) ? null : value,
            unit: display.unit,
            reason: isNull(value) ? value.reason : null,
            target: null,
            achievement: null,
            achievementReason: null,
            status: null,
            statusReason: null
        };
        const targets = variant && variant.targets.length > 0 ? variant.targets : kpi.targets;
        const chosen = this.targets.choose(targets, period, dimension === 'client' ? member : null);
        if (isNull(chosen)) {
            result.achievementReason = chosen.reason;
        } else {
            const valueAt = (earlier: Period) => this.measureValue(measure, display, earlier, filter);
            const achieved = this.targets.achievement(measure, display, chosen, value, period, valueAt);
            result.target = achieved.target;
            result.achievement = isNull(achieved.achievement) ? null : achieved.achievement;
            result.achievementReason = isNull(achieved.achievement) ? achieved.achievement.reason : null;
        }
        const thresholds = variant && variant.thresholds.length > 0 ? variant.thresholds : kpi.thresholds;
        const status = isNull(value) ? value : this.targets.status(thresholds, value, display);
        result.status = isNull(status) ? null : status;
        result.statusReason = isNull(status) ? status.reason : null;
        return result;
    }

    /** The measure's value in its display unit, for a period and scope. */
    private measureValue(measure: Measure, display: Display, period: Period, filter: Filter): Value {
        if (display.problem) {
            return new Null(display.problem);
        }
        const formula = measure.variant?.formula ?? measure.kpi.formula;
        if (!formula) {
            return new Null(`${measure.kpi.id} has no formula`);
        }
        const context = { anchor: period, range: period, filter };
        const base = measure.variant?.formula ? this.formulas.evaluate(formula.tree, context) : this.formulas.evaluateKpi(measure.kpi.id, context);
        return isNull(base) ? base : finite(base / display.factor);
    }
}

/** A period of the cadence's grain around `near`, to name in a hint. */
function exampleOf(cadence: NonNullable<KraModel['kpis'][number]['frequency']>, near: Period): string {
    const grain = CADENCE_GRAIN[cadence];
    return grain ? periodContaining(grain, near.start).id : near.id;
}

/** Paths of numbers that are not finite, anywhere in a value: the output must have none. */
export function nonFiniteNumbers(value: unknown, path = ''): string[] {
    if (typeof value === 'number') {
        return Number.isFinite(value) ? [] : [path || '/'];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, index) => nonFiniteNumbers(item, `${path}/${index}`));
    }
    if (value !== null && typeof value === 'object') {
        return Object.entries(value).flatMap(([key, item]) => nonFiniteNumbers(item, `${path}/${key}`));
    }
    return [];
}
