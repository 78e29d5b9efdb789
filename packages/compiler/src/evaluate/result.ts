/**
 * The result of evaluating a model on data: KPI values, achievement, RAG status, and KRA and
 * role scores with ratings. Its JSON Schema is schemas/kra-eval.schema.json; docs/evaluation.md
 * documents it. Change the three together and bump EVAL_SCHEMA_VERSION.
 *
 * Every number is finite: where a value cannot be computed it is null and a reason says why.
 */
import type { Dimension } from './data.js';
import type { PeriodGrain as Grain } from '@kra-lang/semantics';

export const EVAL_SCHEMA_VERSION = '1.3.0';
export const EVAL_SCHEMA_ID = 'https://kra-lang.dev/schemas/kra-eval/v1.json';

export type RagStatus = 'green' | 'amber' | 'red';

export interface EvaluationResult {
    $schema: string;
    schemaVersion: string;
    /** The organisation's id, or null when the workspace declares none. */
    organisation: string | null;
    settings: EvaluationSettings;
    /** The periods evaluated, oldest first; a period with the same end as a shorter one comes after it. */
    periods: PeriodInfo[];
    /** The dimensions the data breaks metrics down by, with their members. */
    dimensions: DimensionInfo[];
    /** Every KPI (and variant) per period: in total, then per member of each dimension its data has. */
    kpis: KpiResult[];
    /** Every KRA's score per period, from its KPIs' achievement in total. */
    kras: KraScore[];
    /** Every role's score per period, from its KRAs' scores, with the rating. */
    roles: RoleScore[];
    /** Each person's role score per period and assignment, from the assignments export; empty without one. */
    people: PersonScore[];
    /** Per period: department scores, objective attainment and the organisation's score. */
    rollups: RollUp[];
    /** Per period: the distribution of people's ratings per role and department, against the config's guideline. */
    calibration: CalibrationGroup[];
    /** Every KPI value and score against the previous period and the same period last year, with red streaks. */
    trends: Trend[];
    /** Things worth knowing that are not errors: metrics without data, for example. */
    warnings: string[];
}

export interface EvaluationSettings {
    /** Achievement is capped at this percentage for scoring (and floored at 0). */
    achievementCap: number;
    /** The first month of the fiscal year (`april`), for year to date and `FY` periods. */
    fiscalYearStart: string;
}

export type PeriodOrigin = 'data' | 'asked' | 'cadence';

export interface PeriodInfo {
    id: string;
    grain: Grain;
    /** First and last day, `YYYY-MM-DD`. */
    start: string;
    end: string;
    /** Whether a data row has this period; otherwise it was asked for and rolled up from finer data. */
    inData: boolean;
    /**
     * Why it is reported (since 1.3.0): a data row has it (`data`), `--period` named it (`asked`),
     * or it is a whole period the data covers at the grain a KPI is measured (`cadence`: the
     * quarters of monthly data for a KPI `measured quarterly`).
     */
    origin: PeriodOrigin;
    /** Which version of the definitions this period was evaluated with. */
    definitions: PeriodDefinitions;
}

/**
 * The definitions a period was evaluated with: the files as they are (`files`: always, by
 * default; with `kra eval --definitions history`, for a period still open), as committed to git
 * by the period's end (`commit`), or none, when the period closed before the workspace's first
 * commit (it is not evaluated).
 */
export interface PeriodDefinitions {
    from: 'files' | 'commit' | 'none';
    /** The commit's full hash, for `commit`. */
    commit: string | null;
    /** The commit's committer date (ISO 8601), for `commit`. */
    committed: string | null;
}

export interface DimensionInfo {
    dimension: Dimension;
    members: string[];
}

export interface TargetResult {
    /** The target as written, e.g. `at least 80%`, `+15% year over year`, `between 75% and 85%`. */
    text: string;
    /** When it applies, e.g. `in 2026-Q3`, `by 2026-12-31`, `each month`; null when untimed. */
    timing: string | null;
    /** The client whose contract sets it, or null for the general target. */
    client: string | null;
    kind: 'at-least' | 'at-most' | 'above' | 'below' | 'exactly' | 'between' | 'change';
    /** The level to reach, in the KPI's unit: the target value, or for a change the base moved by the change. */
    level: number | null;
    /** For `between`: the band, in the KPI's unit. */
    low: number | null;
    high: number | null;
    /** For a change: the value it starts from (same period last year, previous period or baseline). */
    base: number | null;
}

export interface KpiResult {
    /** The KPI's id. */
    kpi: string;
    /** The variant's id when this row is a variant of the KPI, else null. */
    variant: string | null;
    period: string;
    /** The dimension and member this row is for; both null for the total. */
    dimension: Dimension | null;
    member: string | null;
    /** The value in `unit`; null with `reason` when it cannot be computed. */
    value: number | null;
    unit: string | null;
    reason: string | null;
    target: TargetResult | null;
    /** Percent of target reached, 0 to settings.achievementCap; null with `achievementReason`. */
    achievement: number | null;
    achievementReason: string | null;
    status: RagStatus | null;
    statusReason: string | null;
}

export interface KraKpiScore {
    kpi: string;
    /** The KPI's weight in the KRA, in percent, as the model gives it (equal shares when none is given). */
    weight: number;
    achievement: number | null;
    /** Whether the KPI counted: it has an achievement and a weight above 0. */
    included: boolean;
}

export interface KraScore {
    kra: string;
    period: string;
    /** Weighted mean of the included KPIs' achievement, weights renormalised over them. */
    score: number | null;
    reason: string | null;
    kpis: KraKpiScore[];
    /** KPIs left out and why. */
    notes: string[];
}

export interface RoleKraScore {
    kra: string;
    /** The KRA's share of the role score, in percent (model `effectiveWeight`). */
    weight: number;
    score: number | null;
    included: boolean;
}

export interface Rating {
    scale: string;
    /** The level's value; for an interpolated scale, a value between two levels (2 decimals). */
    value: number;
    /** The label of the highest level the score reaches. */
    label: string;
}

export interface RoleScore {
    role: string;
    period: string;
    score: number | null;
    reason: string | null;
    rating: Rating | null;
    ratingReason: string | null;
    kras: RoleKraScore[];
    notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Appraisal: people, roll-ups (evaluate/appraisal/)
// ---------------------------------------------------------------------------------------------

/** Where a person's KPI value comes from: their own rows, their team's, or the organisation's total. */
export type MeasureLevel = 'agent' | 'team' | 'organisation';

export interface PersonKpi {
    kra: string;
    kpi: string;
    level: MeasureLevel;
    /** The agent (the person) or the team whose value is used; null for the total. */
    member: string | null;
    value: number | null;
    unit: string | null;
    achievement: number | null;
    status: RagStatus | null;
    reason: string | null;
}

/** One person's role score for one period and one assignment (a person who changed role or team within a period has one per assignment). */
export interface PersonScore {
    person: string;
    period: string;
    role: string;
    department: string | null;
    team: string | null;
    /** The assignment's first and last day (`to` null when open-ended). */
    from: string;
    to: string | null;
    /** Days of the period the assignment covers, and that as a percentage of the period. */
    days: number;
    share: number;
    score: number | null;
    reason: string | null;
    rating: Rating | null;
    ratingReason: string | null;
    kras: RoleKraScore[];
    kpis: PersonKpi[];
    notes: string[];
}

export interface RollUpPart {
    kind: 'kra' | 'objective' | 'department';
    id: string;
    /** The part's weight in the roll-up, in percent (before renormalising over the parts with a score). */
    weight: number;
    score: number | null;
    included: boolean;
    /** For an objective's KRA: every KRA that cascades into it (aligned to it, at any depth). */
    cascade: string[];
}

/** A department's score, an objective's attainment or the organisation's score, for one period, with its parts. */
export interface RollUp {
    kind: 'department' | 'objective' | 'organisation';
    /** The department's or objective's id; the organisation's id or null. */
    id: string | null;
    period: string;
    score: number | null;
    reason: string | null;
    parts: RollUpPart[];
    /** Parts left out and why; parts scored through the cascade. */
    notes: string[];
}

/** The distribution of ratings in a role or department for one period, and the guideline's breaches. */
export interface CalibrationGroup {
    period: string;
    kind: 'role' | 'department';
    id: string;
    /** People in the group (each once, with the assignment in force at the period's end), and how many have no rating. */
    people: number;
    unrated: number;
    /** Whether the guideline was checked: there is one, and the group has at least its `minPeople` rated people. */
    checked: boolean;
    /** Rated people per level reached, highest first; `share` in percent of the rated people. */
    distribution: Array<{ level: number; label: string; count: number; share: number }>;
    breaches: Array<{ levels: number[]; limit: 'at-most' | 'at-least'; guideline: number; share: number; count: number }>;
}

/** The value of an earlier period and the change to it (this period's value less that one's, in the value's unit). */
export interface TrendComparison {
    period: string;
    value: number | null;
    change: number | null;
}

/** A KPI value's or a score's change against the previous period and the same period last year. */
export interface Trend {
    period: string;
    subject: 'kpi' | 'kra' | 'role' | 'person' | 'department' | 'objective' | 'organisation';
    /** The KPI, KRA, role, person, department or objective id (the organisation's id, or ''). */
    id: string;
    /** For a KPI: `team leeds_a` (the dimension and member), null for the total; for a person: the role. */
    member: string | null;
    value: number | null;
    previous: TrendComparison;
    lastYear: TrendComparison;
    /** For a KPI: periods in a row, ending with this one, whose status is red (0 when it is not red); null for scores. */
    redStreak: number | null;
}

export { focusPeriod, noResultReason } from '@kra-lang/semantics';
