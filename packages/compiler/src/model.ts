/**
 * The compiled model: the contract with dashboards, BI tools and HR systems. Its JSON Schema is
 * schemas/kra-model.schema.json; docs/json-output.md documents it field by field. Change the
 * three together, and bump MODEL_SCHEMA_VERSION (major for a breaking change).
 */

export const MODEL_SCHEMA_VERSION = '1.1.0';
export const MODEL_SCHEMA_ID = 'https://kra-lang.dev/schemas/kra-model/v1.json';

/** Where an element is declared: a path relative to the workspace root, and a 1-based line. */
export interface SourceLocation {
    file: string;
    line: number;
}

/** A number in a unit; the unit is a unit id (`seconds`, `percent`, `USD`), or null for a plain number. */
export interface Quantity {
    value: number;
    unit: string | null;
}

export type Owner = { role: string } | { person: string };

export type Cadence = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'half-yearly' | 'yearly';

export interface Organisation {
    id: string;
    title: string | null;
    version: string | null;
    effective: string | null;
    fiscalYearStart: string | null;
    review: Cadence | null;
    currency: string | null;
    ratingScale: string | null;
    description: string | null;
    source: SourceLocation;
}

export interface Objective {
    id: string;
    title: string | null;
    description: string | null;
    owner: Owner | null;
    perspective: string | null;
    deadline: string | null;
    source: SourceLocation;
}

export interface Perspective {
    id: string;
    title: string | null;
    builtin: boolean;
}

export interface Unit {
    id: string;
    title: string | null;
    symbol: string | null;
    /** The base unit this one is a multiple of (itself for a base unit). */
    base: string;
    kind: string;
    /** How many base units one of this unit is. */
    factor: number;
    builtin: boolean;
}

export interface Metric {
    id: string;
    title: string | null;
    description: string | null;
    sourceSystem: string | null;
    sourceField: string | null;
    unit: string | null;
    additive: boolean | null;
    aggregation: string | null;
    /** `zero`: an empty cell counts as 0 (`missing as zero`, for event counts); null: it is missing data. */
    missingAs: 'zero' | null;
    owner: Owner | null;
    usedBy: string[];
    source: SourceLocation;
}

export interface Client {
    id: string;
    title: string | null;
    description: string | null;
    contract: string | null;
    source: SourceLocation;
}

export interface RatingLevel {
    value: number;
    label: string;
    from: Quantity;
}

export interface RatingScale {
    id: string;
    title: string | null;
    method: 'stepped' | 'interpolated';
    levels: RatingLevel[];
    source: SourceLocation;
}

export interface Department {
    id: string;
    title: string | null;
    description: string | null;
    parent: string | null;
    owner: Owner | null;
    kras: string[];
    source: SourceLocation;
}

export interface RoleKpi {
    kpi: string;
    /** Weight within the KRA, in percent (null when the KRA gives no weights). */
    weight: number | null;
    /** Share of the role score, in percent: KRA share × KPI share. */
    effectiveWeight: number;
}

export interface RoleKra {
    kra: string;
    /** `carried` when adopted with `carries`, `own` when declared in the role. */
    via: 'own' | 'carried';
    /** Weight in the role, in percent (null when the role gives no weights). */
    weight: number | null;
    /** Share of the role score, in percent (equal shares when no weights are given). */
    effectiveWeight: number;
    kpis: RoleKpi[];
}

export interface Role {
    id: string;
    title: string | null;
    description: string | null;
    department: string | null;
    reportsTo: string | null;
    ratingScale: string | null;
    kras: RoleKra[];
    source: SourceLocation;
}

export interface KraKpi {
    kpi: string;
    via: 'own' | 'measured-by';
    weight: number | null;
}

export interface Kra {
    id: string;
    name: string;
    title: string | null;
    description: string | null;
    /** The department or role the KRA is declared in, as `{ department: id }` or `{ role: id }`. */
    declaredIn: { department: string } | { role: string } | null;
    owner: Owner | null;
    perspective: string | null;
    alignsTo: { objective: string } | { kra: string } | null;
    weight: number | null;
    review: Cadence | null;
    lastReviewed: string | null;
    kpis: KraKpi[];
    source: SourceLocation;
}

export type ExpressionNode =
    | { kind: 'number'; value: number; unit: string | null; resolvedUnit: string | null }
    | { kind: 'metric'; id: string; resolvedUnit: string | null }
    | { kind: 'kpi'; id: string; resolvedUnit: string | null }
    | { kind: 'binary'; operator: '+' | '-' | '*' | '/'; left: ExpressionNode; right: ExpressionNode; resolvedUnit: string | null }
    | { kind: 'negate'; operand: ExpressionNode; resolvedUnit: string | null }
    | { kind: 'call'; function: string; args: ExpressionNode[]; resolvedUnit: string | null }
    | { kind: 'if'; condition: { operator: '>' | '>=' | '<' | '<=' | '=' | '!='; left: ExpressionNode; right: ExpressionNode }; then: ExpressionNode; else: ExpressionNode; resolvedUnit: string | null }
    | { kind: 'window'; window: Window; expression: ExpressionNode; resolvedUnit: string | null };

export type Window =
    | { kind: 'rolling'; size: number; grain: 'days' | 'weeks' | 'months' }
    | { kind: 'to-date'; grain: 'month' | 'quarter' | 'year' }
    | { kind: 'previous-period' }
    | { kind: 'same-period-last-year' };

export interface Formula {
    /** The formula in canonical form: one space around operators, minimal parentheses. */
    text: string;
    tree: ExpressionNode;
    /** The unit the formula yields (`seconds`, `ratio`, `USD per hours`), or null when unknown. */
    resolvedUnit: string | null;
}

export interface Timing {
    deadline: string | null;
    period: string | null;
    each: 'day' | 'week' | 'month' | 'quarter' | 'year' | null;
}

export type Goal =
    | { kind: 'at-least' | 'at-most' | 'above' | 'below' | 'exactly'; value: Quantity }
    | { kind: 'between'; low: Quantity; high: Quantity }
    | { kind: 'change'; change: Quantity; basis: 'year-over-year' | 'baseline' | 'previous-period' };

export interface TargetStage {
    value: Quantity;
    timing: Timing;
}

export interface Target {
    client: string | null;
    goal: Goal;
    timing: Timing | null;
    /** Later stages of a staged target; they keep the first stage's comparator. */
    stages: TargetStage[];
}

export type Condition =
    | { kind: 'at-least' | 'at-most' | 'above' | 'below' | 'exactly'; value: Quantity }
    | { kind: 'between'; low: Quantity; high: Quantity }
    | { kind: 'otherwise' };

export interface Threshold {
    status: 'green' | 'amber' | 'red';
    condition: Condition;
}

export interface Baseline {
    value: Quantity;
    period: string | null;
    asOf: string | null;
}

export interface Variant {
    id: string;
    name: string;
    title: string | null;
    description: string | null;
    formula: Formula | null;
    unit: string | null;
    targets: Target[];
    thresholds: Threshold[];
    source: SourceLocation;
}

export interface Kpi {
    id: string;
    name: string;
    title: string | null;
    description: string | null;
    /** The KRA the KPI is declared in, or null for a KPI declared at the top level. */
    kra: string | null;
    /** Every KRA that uses the KPI (its own and those that adopt it with `measured by`). */
    usedBy: string[];
    formula: Formula | null;
    unit: string | null;
    direction: 'higher-is-better' | 'lower-is-better' | 'within-band' | null;
    baseline: Baseline | null;
    benchmark: { value: Quantity; source: string | null } | null;
    targets: Target[];
    thresholds: Threshold[];
    frequency: Cadence | null;
    dataSource: string | null;
    owner: Owner | null;
    weight: number | null;
    perspective: string | null;
    tags: string[];
    review: Cadence | null;
    lastReviewed: string | null;
    variants: Variant[];
    dependencies: { metrics: string[]; kpis: string[] };
    source: SourceLocation;
}

export interface KraModel {
    $schema: string;
    schemaVersion: string;
    organisation: Organisation | null;
    objectives: Objective[];
    perspectives: Perspective[];
    units: Unit[];
    clients: Client[];
    ratingScales: RatingScale[];
    metrics: Metric[];
    departments: Department[];
    roles: Role[];
    kras: Kra[];
    kpis: Kpi[];
}
