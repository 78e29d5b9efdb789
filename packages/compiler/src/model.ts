/**
 * The compiled model: the contract with dashboards, BI tools and HR systems. Its JSON Schema is
 * schemas/kra-model.schema.json; docs/json-output.md documents it field by field. Change the
 * three together, and bump MODEL_SCHEMA_VERSION (major for a breaking change).
 */

export const MODEL_SCHEMA_VERSION = '2.0.0';
export const MODEL_SCHEMA_ID = 'https://kra-lang.dev/schemas/kra-model/v2.json';

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

/**
 * A unit as a product of declared units with powers: `seconds` is `[{unit: "seconds", power: 1}]`,
 * `USD per hours` is USD¹·hours⁻¹. No terms is the plain ratio (what is left when a quotient
 * cancels). The units are ids of `units[]`, whose factors convert; nobody parses `text`.
 */
export interface StructuredUnit {
    /** As KRA Lang writes it: `seconds`, `USD per hours`, `seconds^2`, `ratio`. */
    text: string;
    terms: { unit: string; power: number }[];
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
    /** How the metric is measured from a source of raw data, or null when its values come aggregated. */
    measure: MetricMeasure | null;
    usedBy: string[];
    source: SourceLocation;
}

export type ColumnType = 'number' | 'text' | 'date' | 'timestamp' | 'boolean';

/** A table or file of raw events (`source` in a .kra file); docs/data.md. */
export interface DataSource {
    id: string;
    title: string | null;
    description: string | null;
    /** The file, relative to the workspace root; a `*` matches any characters of one name. Null for a table. */
    file: string | null;
    /** The table's name, one part per schema level (`["telephony", "calls"]`); null for a file. */
    table: string[] | null;
    /** The column that dates each row, and the grain rows are grouped by (month unless said). */
    period: { column: string; grain: 'day' | 'month' | 'quarter' | 'year' } | null;
    dimensions: { dimension: 'agent' | 'team' | 'client' | 'channel' | 'site' | 'region'; column: string }[];
    /** The declared columns; empty when they are read from the file. */
    columns: { name: string; type: ColumnType }[];
    /** The metrics measured from this source. */
    usedBy: string[];
    source: SourceLocation;
}

export type MeasureAggregation = 'sum' | 'count' | 'count-distinct' | 'min' | 'max' | 'average';

export interface MetricMeasure {
    aggregation: MeasureAggregation;
    /** The column aggregated; null for a count of rows. */
    column: string | null;
    /** The id of the data source. */
    dataSource: string;
    /** Which rows count; null for every row. */
    filter: FilterNode | null;
}

export type FilterValue =
    | { type: 'text'; value: string }
    | { type: 'number'; value: number }
    | { type: 'boolean'; value: boolean }
    | { type: 'date'; value: string };

export type FilterNode =
    | { kind: 'and' | 'or'; operands: FilterNode[] }
    | { kind: 'not'; operand: FilterNode }
    | { kind: 'compare'; column: string; operator: '=' | '!=' | '<' | '>' | '<=' | '>='; value: FilterValue }
    | { kind: 'in'; column: string; values: FilterValue[] }
    | { kind: 'is-null'; column: string; negated: boolean };

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

/** Every node carries `inferredUnit`: the unit it gives, or null when unknown or a plain number. */
export type ExpressionNode =
    | { kind: 'number'; value: number; unit: string | null; inferredUnit: StructuredUnit | null }
    | { kind: 'metric'; id: string; inferredUnit: StructuredUnit | null }
    | { kind: 'kpi'; id: string; inferredUnit: StructuredUnit | null }
    | { kind: 'binary'; operator: '+' | '-' | '*' | '/'; left: ExpressionNode; right: ExpressionNode; inferredUnit: StructuredUnit | null }
    | { kind: 'negate'; operand: ExpressionNode; inferredUnit: StructuredUnit | null }
    /** `filter`: the `where` of an aggregation, which keeps the rows (member and data period) it holds for. */
    | { kind: 'call'; function: string; args: ExpressionNode[]; filter?: PredicateNode; inferredUnit: StructuredUnit | null }
    | { kind: 'if'; condition: PredicateNode; then: ExpressionNode; else: ExpressionNode; inferredUnit: StructuredUnit | null }
    | { kind: 'window'; window: Window; expression: ExpressionNode; inferredUnit: StructuredUnit | null };

/** The condition of an `if` or an aggregation's `where`: comparisons joined by `and`, `or` and `not`. */
export type PredicateNode =
    | { kind: 'compare'; operator: '>' | '>=' | '<' | '<=' | '=' | '!='; left: ExpressionNode; right: ExpressionNode }
    | { kind: 'and' | 'or'; operands: PredicateNode[] }
    | { kind: 'not'; operand: PredicateNode };

/** The expressions a condition compares, in the order written. */
export function comparedExpressions(predicate: PredicateNode): ExpressionNode[] {
    switch (predicate.kind) {
        case 'compare': return [predicate.left, predicate.right];
        case 'not': return comparedExpressions(predicate.operand);
        case 'and':
        case 'or': return predicate.operands.flatMap(comparedExpressions);
    }
}

export type Window =
    | { kind: 'rolling'; size: number; grain: 'days' | 'weeks' | 'months' }
    | { kind: 'to-date'; grain: 'month' | 'quarter' | 'year' }
    | { kind: 'previous-period' }
    | { kind: 'same-period-last-year' }
    | { kind: 'previous'; grain: 'month' | 'quarter' | 'year' }
    | { kind: 'same-last-year'; grain: 'month' | 'quarter' };

export interface Formula {
    /** The formula in canonical form: one space around operators, minimal parentheses. */
    text: string;
    tree: ExpressionNode;
    /** The unit the formula gives (`seconds`, `ratio`, `USD per hours`), or null when unknown or a plain number. */
    inferredUnit: StructuredUnit | null;
    /**
     * Why the formula's units do not work, or null: operands that do not mix (`adds seconds and
     * USD`), or a unit the KPI's cannot state. `kra check` reports it (units/mismatch); `kra eval`
     * gives no value for it.
     */
    unitProblem: string | null;
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
    /** The variant's own unit; null when it takes its KPI's. */
    unit: StructuredUnit | null;
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
    /** The unit the KPI is stated in (`unit seconds`, `unit USD per h`), or null when it declares none. */
    unit: StructuredUnit | null;
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
    sources: DataSource[];
    metrics: Metric[];
    departments: Department[];
    roles: Role[];
    kras: Kra[];
    kpis: Kpi[];
}
