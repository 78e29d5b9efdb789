/**
 * Evaluates a compiled model on metric data: each KPI per period (in total and per member of
 * the dimensions its data has), its achievement against the applicable target, its RAG status,
 * and the weighted scores and ratings of KRAs and roles. docs/evaluation.md gives the rules.
 *
 * It walks the model's expression trees; nothing is ever evaluated as code. Where a value
 * cannot be computed (missing data, division by zero, a unit mismatch, a cycle) the result is
 * null with a reason, never NaN or Infinity.
 */
import type {
    Condition, ExpressionNode, Goal, Kpi, KraModel, Metric, Quantity, RatingScale, Target, Threshold, Timing, Unit, Variant, Window
} from '../model.js';
import { DIMENSIONS, type DataRow, type DataSet, type Dimension } from './data.js';
import {
    addMonths, comparePeriods, fiscalStartMonth, grainEnd, grainStart, GRAINS, isoDate, MEAN_DAYS, MONTH_NAMES, parsePeriod,
    periodRange, periodsEndingOn, periodYearBefore, previousPeriod, tile,
    type DayRange, type Grain, type Period
} from './periods.js';
import {
    EVAL_SCHEMA_ID, EVAL_SCHEMA_VERSION,
    type EvaluationResult, type KpiResult, type KraScore, type RagStatus, type Rating, type RoleScore, type TargetResult
} from './result.js';
import { addTo } from '../collections.js';

export const DEFAULT_ACHIEVEMENT_CAP = 150;

export interface EvaluateOptions {
    /**
     * The periods to report (`2026-07`, `2026-Q4`…); they need not be in the data: a quarter
     * rolls up from monthly data. Default: every period the data has.
     */
    readonly periods?: readonly string[];
    /** Achievement cap in percent for scoring; default 150. */
    readonly achievementCap?: number;
}

/** Why a value is missing. Values are numbers or this; never NaN. */
class Null {
    constructor(readonly reason: string) { }
}
type Value = number | Null;
const isNull = (value: unknown): value is Null => value instanceof Null;

type Filter = Readonly<Partial<Record<Dimension, string>>>;

/** A span of days a value is computed over; `days` marks a rolling window of days or weeks. */
interface Range extends DayRange {
    readonly days?: number;
}

interface Context {
    /** The period the value is for; windows move it (previous period) or widen the range. */
    readonly anchor: Period;
    readonly range: Range;
    readonly filter: Filter;
    /** KPIs being evaluated, to stop cycles. */
    readonly stack: readonly string[];
}

/** How a KPI's values are stated: the unit shown and its factor to the base unit. */
interface Display {
    readonly unit: string | null;
    readonly unitObject: Unit | null;
    readonly factor: number;
    readonly mismatch: string | null;
}

type Measure = { kpi: Kpi; variant: Variant | null };

const STATUS_ORDER: readonly RagStatus[] = ['green', 'amber', 'red'];
const COMPARATOR_TEXT = { 'at-least': 'at least', 'at-most': 'at most', above: 'above', below: 'below', exactly: 'exactly' } as const;
const BASIS_TEXT = { 'year-over-year': 'year over year', baseline: 'from baseline', 'previous-period': 'over previous period' } as const;

/**
 * How deep formulas are followed, through the KPIs they use, before a value is given up as
 * too deeply nested: far beyond real formulas, well within the stack.
 */
const MAX_EVALUATION_DEPTH = 1000;
/** How many KPIs deep a formula is followed through the KPIs it uses. */
const MAX_KPI_CHAIN = 50;

/** Rounds away binary noise (0.81 / 0.01 = 81.00000000000001) so comparisons with targets are exact. */
function tidy(value: number): number {
    const rounded = Number(value.toPrecision(12));
    return rounded === 0 ? 0 : rounded;
}

function finite(value: number, reason = 'the result is out of range'): Value {
    return Number.isFinite(value) ? tidy(value) : new Null(reason);
}

function nearlyEqual(a: number, b: number): boolean {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile with linear interpolation between closest ranks (as spreadsheets' PERCENTILE.INC). */
function percentile(values: readonly number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

function aggregate(how: string, values: readonly number[]): Value {
    if (values.length === 0) {
        return new Null('no values');
    }
    switch (how) {
        case 'sum': return values.reduce((a, b) => a + b, 0);
        case 'avg': return values.reduce((a, b) => a + b, 0) / values.length;
        case 'min': return Math.min(...values);
        case 'max': return Math.max(...values);
        case 'median': return median(values);
        case 'last': return values[values.length - 1];
        default: return new Null(`unknown aggregation '${how}'`);
    }
}

/** Weights as given; equal shares when none is given; a missing one among given ones counts 0 (as the compiler does). */
function shares(weights: ReadonlyArray<number | null>): number[] {
    if (weights.every(weight => weight === null)) {
        return weights.map(() => 100 / Math.max(1, weights.length));
    }
    // A negative weight (an error kra check reports; kra eval --allow-errors) counts as none.
    return weights.map(weight => Math.max(0, weight ?? 0));
}

export function evaluateModel(model: KraModel, data: DataSet, options: EvaluateOptions = {}): EvaluationResult {
    return new Evaluator(model, data, options).run();
}

class Evaluator {
    private readonly cap: number;
    private readonly fiscalStart: number;
    private readonly units = new Map<string, Unit>();
    private readonly metrics: Map<string, Metric>;
    private readonly kpis: Map<string, Kpi>;
    /** Rows by metric, then by period id. */
    private readonly index = new Map<string, Map<string, DataRow[]>>();
    /** The grains each metric has data in, coarsest first. */
    private readonly grains = new Map<string, Grain[]>();
    /** The dimensions each metric's rows give. */
    private readonly dimensions = new Map<string, Set<Dimension>>();
    private readonly metricsOfMemo = new Map<ExpressionNode, Set<string>>();
    /** How deep `evaluate` is nested now. */
    private depth = 0;
    /** Metric values and member lists are asked for again and again (KPI references, change targets, scopes). */
    private readonly metricMemo = new Map<string, Value>();
    private readonly membersMemo = new Map<string, string[]>();

    constructor(private readonly model: KraModel, private readonly data: DataSet, private readonly options: EvaluateOptions) {
        this.cap = options.achievementCap ?? DEFAULT_ACHIEVEMENT_CAP;
        this.fiscalStart = fiscalStartMonth(model.organisation?.fiscalYearStart);
        for (const unit of model.units) {
            this.units.set(unit.id, unit);
        }
        for (const unit of model.units) {
            if (unit.symbol && !this.units.has(unit.symbol)) {
                this.units.set(unit.symbol, unit);
            }
        }
        this.metrics = new Map(model.metrics.map(metric => [metric.id, metric]));
        this.kpis = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
        const grainSets = new Map<string, Set<Grain>>();
        for (const row of data.rows) {
            for (const metric of row.values.keys()) {
                let byPeriod = this.index.get(metric);
                if (!byPeriod) {
                    byPeriod = new Map();
                    this.index.set(metric, byPeriod);
                }
                const rows = byPeriod.get(row.period.id) ?? [];
                rows.push(row);
                byPeriod.set(row.period.id, rows);
                addTo(grainSets, metric, row.period.grain);
                for (const dimension of DIMENSIONS) {
                    if (row.members[dimension] !== undefined) {
                        addTo(this.dimensions, metric, dimension);
                    }
                }
            }
        }
        for (const [metric, set] of grainSets) {
            this.grains.set(metric, GRAINS.filter(grain => set.has(grain)).reverse());
        }
    }

    run(): EvaluationResult {
        const periods = this.periods();
        const reported = this.options.periods?.length ? periods.filter(period => period.requested) : periods;
        const kpis: KpiResult[] = [];
        const kras: KraScore[] = [];
        const roles: RoleScore[] = [];
        const measures: Measure[] = this.model.kpis.flatMap(kpi => [{ kpi, variant: null }, ...kpi.variants.map(variant => ({ kpi, variant }))]);
        for (const { period } of reported) {
            const totals = new Map<string, KpiResult>();
            for (const measure of measures) {
                const total = this.evaluateMeasure(measure, period, {});
                kpis.push(total);
                if (!measure.variant) {
                    totals.set(measure.kpi.id, total);
                }
                const formula = measure.variant?.formula ?? measure.kpi.formula;
                const metrics = formula ? this.metricsOf(formula.tree) : new Set<string>();
                for (const dimension of this.commonDimensions(metrics)) {
                    for (const member of this.members(dimension, metrics, { start: period.start, end: period.end }, {})) {
                        kpis.push(this.evaluateMeasure(measure, period, { [dimension]: member }));
                    }
                }
            }
            const kraScores = new Map<string, KraScore>();
            for (const kra of this.model.kras) {
                const score = this.kraScore(kra.id, kra.kpis, period, totals);
                kraScores.set(kra.id, score);
                kras.push(score);
            }
            for (const role of this.model.roles) {
                roles.push(this.roleScore(role, period, kraScores));
            }
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
        return {
            $schema: EVAL_SCHEMA_ID,
            schemaVersion: EVAL_SCHEMA_VERSION,
            organisation: this.model.organisation?.id ?? null,
            settings: { achievementCap: this.cap, fiscalYearStart: MONTH_NAMES[this.fiscalStart - 1] },
            periods: reported.map(({ period, inData }) => ({ id: period.id, grain: period.grain, start: isoDate(period.start), end: isoDate(period.end), inData })),
            dimensions: DIMENSIONS.filter(dimension => allMembers.has(dimension))
                .map(dimension => ({ dimension, members: [...allMembers.get(dimension)!].sort() })),
            kpis,
            kras,
            roles,
            warnings: this.warnings()
        };
    }

    private periods(): Array<{ period: Period; inData: boolean; requested: boolean }> {
        const byId = new Map<string, { period: Period; inData: boolean; requested: boolean }>();
        for (const row of this.data.rows) {
            byId.set(row.period.id, { period: row.period, inData: true, requested: false });
        }
        for (const text of this.options.periods ?? []) {
            const period = parsePeriod(text);
            if (!period) {
                throw new Error(`'${text}' is not a period: write 2026-07, 2026-Q3, 2026-H1, 2026 or 2026-07-15`);
            }
            byId.set(period.id, { period, inData: byId.get(period.id)?.inData ?? false, requested: true });
        }
        return [...byId.values()].sort((a, b) => comparePeriods(a.period, b.period));
    }

    private warnings(): string[] {
        const warnings: string[] = [];
        for (const metric of this.model.metrics) {
            if (!this.index.has(metric.id) && metric.usedBy.length > 0) {
                warnings.push(`no data for metric ${metric.id}, used by ${metric.usedBy.join(', ')}`);
            }
        }
        return warnings;
    }

    // ---------------------------------------------------------------------------------------
    // KPIs
    // ---------------------------------------------------------------------------------------

    private evaluateMeasure(measure: Measure, period: Period, filter: Filter): KpiResult {
        const { kpi, variant } = measure;
        const dimension = (Object.keys(filter) as Dimension[])[0] ?? null;
        const member = dimension ? filter[dimension] ?? null : null;
        const display = this.display(measure);
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
        const chosen = this.chooseTarget(targets, period, dimension === 'client' ? member : null);
        if (isNull(chosen)) {
            result.achievementReason = chosen.reason;
        } else {
            const achieved = this.achievement(measure, display, chosen, value, period, filter);
            result.target = achieved.target;
            result.achievement = isNull(achieved.achievement) ? null : achieved.achievement;
            result.achievementReason = isNull(achieved.achievement) ? achieved.achievement.reason : null;
        }
        const thresholds = variant && variant.thresholds.length > 0 ? variant.thresholds : kpi.thresholds;
        const status = isNull(value) ? value : this.status(thresholds, value, display);
        result.status = isNull(status) ? null : status;
        result.statusReason = isNull(status) ? status.reason : null;
        return result;
    }

    /** The measure's value in its display unit, for a period and scope. */
    private measureValue(measure: Measure, display: Display, period: Period, filter: Filter): Value {
        if (display.mismatch) {
            return new Null(display.mismatch);
        }
        const formula = measure.variant?.formula ?? measure.kpi.formula;
        if (!formula) {
            return new Null(`${measure.kpi.id} has no formula`);
        }
        const base = this.evaluate(formula.tree, { anchor: period, range: period, filter, stack: [measure.kpi.id] });
        return isNull(base) ? base : finite(base / display.factor);
    }

    private display(measure: Measure): Display {
        const declared = measure.variant?.unit ?? measure.kpi.unit;
        const resolved = (measure.variant?.formula ?? measure.kpi.formula)?.resolvedUnit ?? null;
        if (declared) {
            const unit = this.units.get(declared) ?? null;
            const mismatch = unit && resolved && !this.compatibleNames(resolved, declared)
                ? `unit mismatch: the formula gives ${resolved}, but the KPI is stated in ${declared}` : null;
            return { unit: unit?.id ?? declared, unitObject: unit, factor: unit?.factor ?? 1, mismatch };
        }
        if (resolved) {
            const parts = resolved.split(' per ');
            const units = parts.map(part => this.units.get(part));
            if (units.every(unit => unit !== undefined)) {
                const [numerator, denominator] = units as Unit[];
                return denominator
                    ? { unit: `${numerator.id} per ${denominator.id}`, unitObject: null, factor: numerator.factor / denominator.factor, mismatch: null }
                    : { unit: numerator.id, unitObject: numerator, factor: numerator.factor, mismatch: null };
            }
        }
        return { unit: null, unitObject: null, factor: 1, mismatch: null };
    }

    private compatibleUnits(a: Unit, b: Unit): boolean {
        return a.base === b.base || (a.kind === 'score' && b.kind === 'ratio') || (a.kind === 'ratio' && b.kind === 'score');
    }

    /** Whether two unit names (`s`, `percent`, `GBP per h`) can be compared; unknown names are given the benefit of the doubt. */
    private compatibleNames(a: string, b: string): boolean {
        const split = (name: string) => name.split(' per ').map(part => this.units.get(part));
        const left = split(a);
        const right = split(b);
        if ([...left, ...right].some(unit => unit === undefined)) {
            return true;
        }
        return left.length === right.length && left.every((unit, index) => this.compatibleUnits(unit!, right[index]!));
    }

    /** A quantity of a target or threshold in the KPI's display unit; a plain number is in that unit already. */
    private quantityIn(quantity: Quantity, display: Display): Value {
        if (quantity.unit === null) {
            return quantity.value;
        }
        const unit = this.units.get(quantity.unit);
        if (!unit) {
            return new Null(`unknown unit '${quantity.unit}'`);
        }
        if (display.unit !== null && (!display.unitObject || !this.compatibleUnits(unit, display.unitObject))) {
            return new Null(`unit mismatch: ${this.quantityText(quantity)} is not in the KPI's unit (${display.unit})`);
        }
        return finite(quantity.value * unit.factor / display.factor);
    }

    private quantityText(quantity: Quantity): string {
        if (quantity.unit === null) {
            return String(quantity.value);
        }
        if (quantity.unit === 'percent') {
            return `${quantity.value}%`;
        }
        return `${quantity.value} ${this.units.get(quantity.unit)?.symbol ?? quantity.unit}`;
    }

    // ---------------------------------------------------------------------------------------
    // Targets and achievement
    // ---------------------------------------------------------------------------------------

    /**
     * The target that applies to a period: a client's own target for that client's member, else
     * the general one; among stages, the one whose `in` period contains the period, else the
     * earliest deadline on or after the period's start, else an `each`/untimed one, else the
     * latest one that has passed, else the first.
     */
    private chooseTarget(targets: readonly Target[], period: Period, client: string | null): { target: Target; goal: Goal; timing: Timing | null } | Null {
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

    private timingText(timing: Timing | null): string | null {
        if (!timing) {
            return null;
        }
        return timing.period ? `in ${timing.period}` : timing.deadline ? `by ${timing.deadline}` : timing.each ? `each ${timing.each}` : null;
    }

    private goalText(goal: Goal): string {
        switch (goal.kind) {
            case 'between':
                return `between ${this.quantityText(goal.low)} and ${this.quantityText(goal.high)}`;
            case 'change': {
                const sign = goal.change.value > 0 ? '+' : '';
                return `${sign}${this.quantityText(goal.change)} ${BASIS_TEXT[goal.basis]}`;
            }
            default:
                return `${COMPARATOR_TEXT[goal.kind]} ${this.quantityText(goal.value)}`;
        }
    }

    private achievement(measure: Measure, display: Display, chosen: { target: Target; goal: Goal; timing: Timing | null }, actual: Value, period: Period, filter: Filter): { target: TargetResult; achievement: Value } {
        const { goal } = chosen;
        const target: TargetResult = {
            text: this.goalText(goal),
            timing: this.timingText(chosen.timing),
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
            const low = this.quantityIn(goal.low, display);
            const high = this.quantityIn(goal.high, display);
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
            const base = this.changeBase(measure, display, goal, period, filter);
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
        const level = this.quantityIn(goal.value, display);
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
        const higher = direction === 'higher-is-better' || (direction !== 'lower-is-better' && (goal.kind === 'at-least' || goal.kind === 'above'));
        return { target, achievement: higher ? clamp(higherAchievement(actual, level)) : lowerAchievement(actual, level, this.cap) };
    }

    /** What a change target starts from: the KPI a year or a period earlier in the same scope, or its baseline. */
    private changeBase(measure: Measure, display: Display, goal: Extract<Goal, { kind: 'change' }>, period: Period, filter: Filter): Value {
        if (goal.basis === 'baseline') {
            const baseline = measure.kpi.baseline;
            return baseline ? this.quantityIn(baseline.value, display) : new Null('the target is a change from baseline, but the KPI has no baseline');
        }
        const earlier = goal.basis === 'year-over-year' ? periodYearBefore(period) : previousPeriod(period);
        const value = this.measureValue(measure, display, earlier, filter);
        return isNull(value) ? new Null(`no base for the ${BASIS_TEXT[goal.basis]} target: ${value.reason}`) : value;
    }

    /** The level a change target asks for: `%` (or any ratio unit) is relative to the base; other units are absolute. */
    private changeLevel(change: Quantity, base: number, display: Display): Value {
        const unit = change.unit === null ? null : this.units.get(change.unit);
        if (unit && unit.kind === 'ratio' && (display.unitObject?.kind !== 'ratio' || change.unit === 'percent')) {
            if (base <= 0) {
                return new Null(`a change of ${this.quantityText(change)} needs a base above 0, and the base is ${base}`);
            }
            return finite(base * (1 + change.value * unit.factor));
        }
        const delta = this.quantityIn(change, display);
        return isNull(delta) ? delta : finite(base + delta);
    }

    private status(thresholds: readonly Threshold[], actual: number, display: Display): RagStatus | Null {
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

    private meets(condition: Condition, actual: number, display: Display): boolean | Null {
        if (condition.kind === 'otherwise') {
            return true;
        }
        if (condition.kind === 'between') {
            const low = this.quantityIn(condition.low, display);
            const high = this.quantityIn(condition.high, display);
            if (isNull(low) || isNull(high)) {
                return isNull(low) ? low : high as Null;
            }
            return actual >= Math.min(low, high) && actual <= Math.max(low, high);
        }
        const value = this.quantityIn(condition.value, display);
        if (isNull(value)) {
            return value;
        }
        switch (condition.kind) {
            case 'at-least': return actual >= value;
            case 'at-most': return actual <= value;
            case 'above': return actual > value;
            case 'below': return actual < value;
            case 'exactly': return nearlyEqual(actual, value);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Scores and ratings
    // ---------------------------------------------------------------------------------------

    private kraScore(kra: string, uses: ReadonlyArray<{ kpi: string; weight: number | null }>, period: Period, totals: ReadonlyMap<string, KpiResult>): KraScore {
        const weights = shares(uses.map(use => use.weight));
        const notes: string[] = [];
        const kpis = uses.map((use, index) => {
            const result = totals.get(use.kpi);
            const achievement = result?.achievement ?? null;
            const included = achievement !== null && weights[index] > 0;
            if (!included && weights[index] > 0) {
                notes.push(`${use.kpi} left out: ${result ? result.achievementReason ?? 'no achievement' : 'not in the model'}`);
            }
            return { kpi: use.kpi, weight: tidy(weights[index]), achievement, included };
        });
        const counted = kpis.filter(kpi => kpi.included);
        const total = counted.reduce((sum, kpi) => sum + kpi.weight, 0);
        if (uses.length === 0 || total <= 0) {
            return { kra, period: period.id, score: null, reason: uses.length === 0 ? 'the KRA has no KPIs' : 'no KPI of the KRA has an achievement', kpis, notes };
        }
        if (counted.length < uses.filter((_, index) => weights[index] > 0).length) {
            notes.push('weights renormalised over the KPIs that have an achievement');
        }
        const score = finite(counted.reduce((sum, kpi) => sum + kpi.achievement! * kpi.weight, 0) / total);
        return { kra, period: period.id, score: isNull(score) ? null : score, reason: isNull(score) ? score.reason : null, kpis, notes };
    }

    private roleScore(role: KraModel['roles'][number], period: Period, kraScores: ReadonlyMap<string, KraScore>): RoleScore {
        const notes: string[] = [];
        const kras = role.kras.map(use => {
            const score = kraScores.get(use.kra)?.score ?? null;
            const included = score !== null && use.effectiveWeight > 0;
            if (!included && use.effectiveWeight > 0) {
                notes.push(`${use.kra} left out: ${kraScores.get(use.kra)?.reason ?? 'not scored'}`);
            }
            return { kra: use.kra, weight: Math.max(0, use.effectiveWeight), score, included };
        });
        const counted = kras.filter(kra => kra.included);
        const total = counted.reduce((sum, kra) => sum + kra.weight, 0);
        const scale = this.ratingScale(role.ratingScale);
        if (total <= 0) {
            return {
                role: role.id, period: period.id, score: null, reason: role.kras.length === 0 ? 'the role has no KRAs' : 'no KRA of the role has a score',
                rating: null, ratingReason: 'no score to rate', kras, notes
            };
        }
        if (counted.length < kras.filter(kra => kra.weight > 0).length) {
            notes.push('weights renormalised over the KRAs that have a score');
        }
        const score = finite(counted.reduce((sum, kra) => sum + kra.score! * kra.weight, 0) / total);
        if (isNull(score)) {
            return { role: role.id, period: period.id, score: null, reason: score.reason, rating: null, ratingReason: 'no score to rate', kras, notes };
        }
        const rating = isNull(scale) ? scale : this.rate(scale, score);
        return {
            role: role.id, period: period.id, score, reason: null,
            rating: isNull(rating) ? null : rating, ratingReason: isNull(rating) ? rating.reason : null, kras, notes
        };
    }

    private ratingScale(own: string | null): RatingScale | Null {
        const id = own ?? this.model.organisation?.ratingScale ?? null;
        if (!id) {
            return new Null('no rating scale: the role and the organisation name none');
        }
        return this.model.ratingScales.find(scale => scale.id === id) ?? new Null(`unknown rating scale '${id}'`);
    }

    /** Stepped: the highest level the score reaches. Interpolated: linear between the two levels around the score. */
    private rate(scale: RatingScale, score: number): Rating | Null {
        const levels = scale.levels
            .map(level => ({ level, from: this.percentOf(level.from) }))
            .sort((a, b) => a.from - b.from || a.level.value - b.level.value);
        if (levels.length === 0) {
            return new Null(`rating scale ${scale.id} has no levels`);
        }
        let index = -1;
        levels.forEach((entry, i) => {
            if (entry.from <= score + 1e-9) {
                index = i;
            }
        });
        const reached = levels[Math.max(0, index)];
        if (scale.method === 'stepped' || index < 0 || index === levels.length - 1) {
            return { scale: scale.id, value: reached.level.value, label: reached.level.label };
        }
        const next = levels[index + 1];
        const fraction = next.from === reached.from ? 0 : (score - reached.from) / (next.from - reached.from);
        const value = reached.level.value + fraction * (next.level.value - reached.level.value);
        return { scale: scale.id, value: Math.round(value * 100) / 100, label: reached.level.label };
    }

    /** A level's threshold in percent: `95%` is 95, `0.95 ratio` is 95, a plain 95 is 95. */
    private percentOf(quantity: Quantity): number {
        const unit = quantity.unit === null ? undefined : this.units.get(quantity.unit);
        return unit && unit.kind === 'ratio' ? tidy(quantity.value * unit.factor * 100) : quantity.value;
    }

    // ---------------------------------------------------------------------------------------
    // Formulas
    // ---------------------------------------------------------------------------------------

    /** A formula's value in base units (seconds, ratio, the currency) in a context. */
    private evaluate(node: ExpressionNode, context: Context): Value {
        // Formulas are bounded by the language's limits, but KPIs that use KPIs chain them.
        if (this.depth >= MAX_EVALUATION_DEPTH) {
            return new Null(`the formula is nested too deeply through the KPIs it uses (${context.stack[0]} → … → ${context.stack[context.stack.length - 1]}): more than ${MAX_EVALUATION_DEPTH} levels`);
        }
        this.depth++;
        try {
            return this.evaluateNode(node, context);
        } finally {
            this.depth--;
        }
    }

    private evaluateNode(node: ExpressionNode, context: Context): Value {
        switch (node.kind) {
            case 'number': {
                const factor = this.factor(node.unit);
                return isNull(factor) ? factor : node.value * factor;
            }
            case 'metric':
                return this.metricValue(node.id, context);
            case 'kpi': {
                if (context.stack.includes(node.id)) {
                    return new Null(`cycle: ${[...context.stack, node.id].join(' → ')}`);
                }
                if (context.stack.length >= MAX_KPI_CHAIN) {
                    return new Null(`KPIs use KPIs more than ${MAX_KPI_CHAIN} deep (${context.stack[0]} → … → ${node.id})`);
                }
                const kpi = this.kpis.get(node.id);
                if (!kpi?.formula) {
                    return new Null(kpi ? `${node.id} has no formula` : `unknown KPI ${node.id}`);
                }
                return this.evaluate(kpi.formula.tree, { ...context, stack: [...context.stack, node.id] });
            }
            case 'negate': {
                const operand = this.evaluate(node.operand, context);
                return isNull(operand) ? operand : -operand;
            }
            case 'binary':
                return this.binary(node, context);
            case 'call':
                return this.call(node, context);
            case 'if': {
                const { operator, left, right } = node.condition;
                if (left.resolvedUnit && right.resolvedUnit && !this.compatibleNames(left.resolvedUnit, right.resolvedUnit)) {
                    return new Null(`unit mismatch: the condition compares ${left.resolvedUnit} with ${right.resolvedUnit}`);
                }
                if (node.resolvedUnit === null && node.then.resolvedUnit && node.else.resolvedUnit) {
                    return new Null(`unit mismatch: the branches give ${node.then.resolvedUnit} and ${node.else.resolvedUnit}`);
                }
                const a = this.evaluate(left, context);
                if (isNull(a)) {
                    return a;
                }
                const b = this.evaluate(right, context);
                if (isNull(b)) {
                    return b;
                }
                return this.evaluate(compare(operator, a, b) ? node.then : node.else, context);
            }
            case 'window': {
                const windowed = this.applyWindow(node.window, context);
                return isNull(windowed) ? windowed : this.evaluate(node.expression, windowed);
            }
        }
    }

    private factor(unit: string | null): Value {
        if (unit === null) {
            return 1;
        }
        const found = this.units.get(unit);
        return found ? found.factor : new Null(`unknown unit '${unit}'`);
    }

    private binary(node: Extract<ExpressionNode, { kind: 'binary' }>, context: Context): Value {
        if ((node.operator === '+' || node.operator === '-') && node.resolvedUnit === null && node.left.resolvedUnit && node.right.resolvedUnit) {
            // Unit inference gives no unit to a sum of units that do not mix.
            return new Null(`unit mismatch: ${node.operator === '+' ? 'adds' : 'subtracts'} ${node.left.resolvedUnit} and ${node.right.resolvedUnit}`);
        }
        const left = this.evaluate(node.left, context);
        if (isNull(left)) {
            return left;
        }
        const right = this.evaluate(node.right, context);
        if (isNull(right)) {
            return right;
        }
        switch (node.operator) {
            case '+': return finite(left + right);
            case '-': return finite(left - right);
            case '*': return finite(left * right);
            case '/': return right === 0 ? new Null('division by zero') : finite(left / right);
        }
    }

    private call(node: Extract<ExpressionNode, { kind: 'call' }>, context: Context): Value {
        const args = node.args;
        switch (node.function) {
            case 'safe_ratio': {
                if (args.length !== 2) {
                    return new Null('safe_ratio takes two arguments');
                }
                const numerator = this.evaluate(args[0], context);
                if (isNull(numerator)) {
                    return numerator;
                }
                const denominator = this.evaluate(args[1], context);
                if (isNull(denominator)) {
                    return denominator;
                }
                return denominator === 0 ? new Null('zero denominator') : finite(numerator / denominator);
            }
            case 'min':
            case 'max':
                if (args.length >= 2) {
                    if (node.resolvedUnit === null && args.every(arg => arg.resolvedUnit)) {
                        return new Null(`unit mismatch: ${node.function}() compares ${args.map(arg => arg.resolvedUnit).join(', ')}`);
                    }
                    const values: number[] = [];
                    for (const arg of args) {
                        const value = this.evaluate(arg, context);
                        if (isNull(value)) {
                            return value;
                        }
                        values.push(value);
                    }
                    return node.function === 'min' ? Math.min(...values) : Math.max(...values);
                }
                return this.overMembers(node, context);
            case 'sum':
            case 'avg':
            case 'count':
            case 'median':
            case 'percentile':
                return this.overMembers(node, context);
            default:
                return new Null(`unknown function ${node.function}()`);
        }
    }

    /**
     * sum/avg/min/max/median/percentile/count of a measure over members: the argument is
     * evaluated for each member of the finest dimension its data has in the current scope, then
     * aggregated. Members without a value are skipped (as SQL does); with no dimension, the
     * scope itself is the one member.
     */
    private overMembers(node: Extract<ExpressionNode, { kind: 'call' }>, context: Context): Value {
        const [argument, pArgument] = node.args;
        if (!argument) {
            return new Null(`${node.function}() needs an argument`);
        }
        let p = 0;
        if (node.function === 'percentile') {
            if (!pArgument) {
                return new Null('percentile() needs a percentile between 0 and 100');
            }
            const value = pArgument.kind === 'number' && pArgument.unit === 'percent' ? pArgument.value : this.evaluate(pArgument, context);
            if (isNull(value)) {
                return value;
            }
            if (value < 0 || value > 100) {
                return new Null(`percentile ${value} is not between 0 and 100`);
            }
            p = value;
        }
        const metrics = this.metricsOf(argument);
        const dimension = DIMENSIONS.find(candidate => context.filter[candidate] === undefined && [...metrics].every(metric => this.dimensions.get(metric)?.has(candidate)));
        const scopes: Filter[] = dimension
            ? this.members(dimension, metrics, context.range, context.filter).map(member => ({ ...context.filter, [dimension]: member }))
            : [context.filter];
        const values: number[] = [];
        let firstMissing: Null | undefined;
        for (const filter of scopes) {
            const value = this.evaluate(argument, { ...context, filter });
            if (isNull(value)) {
                firstMissing ??= value;
            } else {
                values.push(value);
            }
        }
        if (node.function === 'count') {
            return values.length;
        }
        if (values.length === 0) {
            return firstMissing ?? new Null(`no members to ${node.function}() over`);
        }
        if (node.function === 'percentile') {
            return finite(percentile(values, p));
        }
        const aggregated = aggregate(node.function, values);
        return isNull(aggregated) ? aggregated : finite(aggregated);
    }

    private applyWindow(window: Window, context: Context): Context | Null {
        const anchor = context.anchor;
        switch (window.kind) {
            case 'previous-period': {
                const previous = previousPeriod(anchor);
                return { ...context, anchor: previous, range: previous };
            }
            case 'same-period-last-year': {
                const earlier = periodYearBefore(anchor);
                return { ...context, anchor: earlier, range: earlier };
            }
            case 'to-date': {
                const start = grainStart(window.grain, anchor.start, this.fiscalStart);
                if (anchor.end > grainEnd(window.grain, start)) {
                    const grain = window.grain === 'year' ? 'fiscal year' : window.grain;
                    return new Null(`${anchor.id} is longer than one ${grain}, so ${window.grain} to date is not defined for it`);
                }
                return { ...context, range: { start, end: anchor.end } };
            }
            case 'rolling': {
                if (window.grain === 'months') {
                    return { ...context, range: { start: addMonths(anchor.end + 1, -window.size), end: anchor.end } };
                }
                const days = window.size * (window.grain === 'weeks' ? 7 : 1);
                return { ...context, range: { start: anchor.end - days + 1, end: anchor.end, days } };
            }
        }
    }

    /** The periods of `grain` a range is made of; a rolling window of days fits coarser data by rounding to whole periods. */
    private tiles(range: Range, grain: Grain): Period[] | undefined {
        if (range.days !== undefined && grain !== 'day') {
            return periodsEndingOn(range.end, grain, Math.round(range.days / MEAN_DAYS[grain]));
        }
        return tile(range, grain);
    }

    /**
     * A metric over the context's range and scope, in base units. The range is covered by the
     * metric's data periods (coarsest grain first); every period in it must have data. Within a
     * period, the rows of the scope's members combine; across periods, the metric's aggregation
     * applies.
     */
    private metricValue(id: string, context: Context): Value {
        const key = `${id}\u0000${filterKey(context.filter)}\u0000${context.anchor.id}\u0000${context.range.start}\u0000${context.range.end}\u0000${context.range.days ?? ''}`;
        let value = this.metricMemo.get(key);
        if (value === undefined) {
            value = this.computeMetricValue(id, context);
            this.metricMemo.set(key, value);
        }
        return value;
    }

    private computeMetricValue(id: string, context: Context): Value {
        const metric = this.metrics.get(id);
        if (!metric) {
            return new Null(`unknown metric ${id}`);
        }
        const factor = this.factor(metric.unit);
        if (isNull(factor)) {
            return factor;
        }
        const byPeriod = this.index.get(id);
        const grains = this.grains.get(id) ?? [];
        let missing: string | undefined;
        for (const grain of grains) {
            const tiles = this.tiles(context.range, grain);
            if (!tiles) {
                continue;
            }
            const values: number[] = [];
            for (const period of tiles) {
                const rows = (byPeriod?.get(period.id) ?? []).filter(row => matches(row, context.filter));
                if (rows.length === 0) {
                    missing = period.id;
                    break;
                }
                const combined = aggregate(memberAggregation(metric), rows.map(row => row.values.get(id)!));
                if (isNull(combined)) {
                    return combined;
                }
                values.push(combined);
            }
            if (values.length === tiles.length) {
                const combined = aggregate(timeAggregation(metric), values);
                return isNull(combined) ? combined : finite(combined * factor);
            }
        }
        const scope = Object.entries(context.filter).map(([dimension, member]) => ` for ${dimension} ${member}`).join('');
        if (missing) {
            return new Null(`missing data: ${id} in ${missing}${scope}`);
        }
        const where = context.range.start === context.anchor.start && context.range.end === context.anchor.end
            ? context.anchor.id : `${isoDate(context.range.start)} to ${isoDate(context.range.end)}`;
        const hint = grains.length > 0 ? ` (its data is by ${grains.map(grain => grain).join(', ')})` : '';
        return new Null(`missing data: ${id} in ${where}${scope}${hint}`);
    }

    /** Metrics a formula reads, through the KPIs it references (as deep as evaluation goes). */
    private metricsOf(node: ExpressionNode): Set<string> {
        const memo = this.metricsOfMemo.get(node);
        if (memo) {
            return memo;
        }
        const found = new Set<string>();
        const seen = new Set<string>();
        // Without recursion: KPIs that use KPIs can chain far.
        const pending: Array<{ node: ExpressionNode; depth: number }> = [{ node, depth: 0 }];
        while (pending.length > 0) {
            const { node: current, depth } = pending.pop()!;
            const push = (...nodes: ExpressionNode[]) => nodes.reverse().forEach(next => pending.push({ node: next, depth: depth + 1 }));
            if (depth >= MAX_EVALUATION_DEPTH) {
                continue;
            }
            switch (current.kind) {
                case 'metric':
                    found.add(current.id);
                    break;
                case 'kpi': {
                    const kpi = this.kpis.get(current.id);
                    if (kpi?.formula && !seen.has(current.id)) {
                        seen.add(current.id);
                        push(kpi.formula.tree);
                    }
                    break;
                }
                case 'number':
                    break;
                case 'negate':
                    push(current.operand);
                    break;
                case 'binary':
                    push(current.left, current.right);
                    break;
                case 'call':
                    push(...current.args);
                    break;
                case 'if':
                    push(current.condition.left, current.condition.right, current.then, current.else);
                    break;
                case 'window':
                    push(current.expression);
                    break;
            }
        }
        this.metricsOfMemo.set(node, found);
        return found;
    }

    /** Dimensions every one of the metrics has data by. */
    private commonDimensions(metrics: ReadonlySet<string>): Dimension[] {
        if (metrics.size === 0) {
            return [];
        }
        return DIMENSIONS.filter(dimension => [...metrics].every(metric => this.dimensions.get(metric)?.has(dimension)));
    }

    /** Members of a dimension in the rows of the metrics that overlap the range and match the filter. */
    private members(dimension: Dimension, metrics: ReadonlySet<string>, range: DayRange, filter: Filter): string[] {
        const key = `${dimension}\u0000${[...metrics].sort().join(',')}\u0000${range.start}\u0000${range.end}\u0000${filterKey(filter)}`;
        const memo = this.membersMemo.get(key);
        if (memo) {
            return memo;
        }
        const members = new Set<string>();
        for (const metric of metrics) {
            for (const rows of this.index.get(metric)?.values() ?? []) {
                for (const row of rows) {
                    const member = row.members[dimension];
                    if (member !== undefined && row.period.end >= range.start && row.period.start <= range.end && matches(row, filter)) {
                        members.add(member);
                    }
                }
            }
        }
        const sorted = [...members].sort();
        this.membersMemo.set(key, sorted);
        return sorted;
    }
}

function filterKey(filter: Filter): string {
    return DIMENSIONS.filter(dimension => filter[dimension] !== undefined).map(dimension => `${dimension}=${filter[dimension]}`).join('&');
}

function matches(row: DataRow, filter: Filter): boolean {
    for (const dimension of Object.keys(filter) as Dimension[]) {
        if (row.members[dimension] !== filter[dimension]) {
            return false;
        }
    }
    return true;
}

/**
 * Over the members of one period (teams, clients…) a metric adds up, unless it aggregates by
 * min, max or median: a headcount or balance averaged over time still adds up across teams.
 */
function memberAggregation(metric: Metric): string {
    return metric.aggregation === 'min' || metric.aggregation === 'max' || metric.aggregation === 'median' ? metric.aggregation : 'sum';
}

/** Over several periods (a window, or months rolled up into a quarter) a metric uses its aggregation. */
function timeAggregation(metric: Metric): string {
    return metric.aggregation ?? (metric.additive === false ? 'avg' : 'sum');
}

function compare(operator: '>' | '>=' | '<' | '<=' | '=' | '!=', a: number, b: number): boolean {
    switch (operator) {
        case '>': return a > b;
        case '>=': return a >= b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '=': return nearlyEqual(a, b);
        case '!=': return !nearlyEqual(a, b);
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
