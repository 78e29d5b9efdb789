/**
 * The result of evaluating a model on data: KPI values, achievement, RAG status, and KRA and
 * role scores with ratings. Its JSON Schema is schemas/kra-eval.schema.json; docs/evaluation.md
 * documents it. Change the three together and bump EVAL_SCHEMA_VERSION.
 *
 * Every number is finite: where a value cannot be computed it is null and a reason says why.
 */
import type { Dimension } from './data.js';
import type { PeriodGrain as Grain } from '@kra-lang/semantics';

export const EVAL_SCHEMA_VERSION = '1.0.0';
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
    /** Things worth knowing that are not errors: metrics without data, for example. */
    warnings: string[];
}

export interface EvaluationSettings {
    /** Achievement is capped at this percentage for scoring (and floored at 0). */
    achievementCap: number;
    /** The first month of the fiscal year (`april`), for year to date and `FY` periods. */
    fiscalYearStart: string;
}

export interface PeriodInfo {
    id: string;
    grain: Grain;
    /** First and last day, `YYYY-MM-DD`. */
    start: string;
    end: string;
    /** Whether a data row has this period; otherwise it was asked for and rolled up from finer data. */
    inData: boolean;
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
