/**
 * The aggregate query of one source: per period (and member), each metric measured from the
 * source, in one pass over its rows. The DuckDB engine, the PostgreSQL engine and `kra sql`
 * all build it here. A filter becomes the aggregate's FILTER clause (CASE WHEN inside it where
 * the dialect has no such clause), so one scan serves every metric of the source whatever
 * their filters.
 */
import type { DataSource, FilterNode, FilterValue, Metric, MetricMeasure } from '../model.js';
import type { Dialect } from './dialect.js';

/** The result columns: `period`, one per dimension of the grouping, one per metric (its id). */
export const PERIOD_COLUMN = 'period';
export const PERIOD_INDEX_COLUMN = 'period_index';

export function filterSql(filter: FilterNode, dialect: Dialect): string {
    switch (filter.kind) {
        case 'and':
        case 'or':
            return `(${filter.operands.map(operand => filterSql(operand, dialect)).join(filter.kind === 'and' ? ' AND ' : ' OR ')})`;
        case 'not':
            return `(NOT ${filterSql(filter.operand, dialect)})`;
        case 'compare':
            return `${dialect.quote(filter.column)} ${filter.operator === '!=' ? '<>' : filter.operator} ${valueSql(filter.value, dialect)}`;
        case 'in':
            return `${dialect.quote(filter.column)} IN (${filter.values.map(value => valueSql(value, dialect)).join(', ')})`;
        case 'is-null':
            return `${dialect.quote(filter.column)} IS ${filter.negated ? 'NOT ' : ''}NULL`;
    }
}

export function valueSql(value: FilterValue, dialect: Dialect): string {
    switch (value.type) {
        case 'text': return dialect.text(value.value);
        case 'date': return dialect.date(value.value);
        case 'boolean': return value.value ? 'TRUE' : 'FALSE';
        case 'number':
            if (!Number.isFinite(value.value)) {
                throw new Error(`not a finite number: ${value.value}`);
            }
            return String(value.value);
    }
}

/**
 * One metric's aggregate. A sum over rows that all fail the filter is 0 (the source has rows
 * for the member and period, none of them count); an average, min or max of no row is NULL.
 */
export function measureSql(measure: MetricMeasure, dialect: Dialect): string {
    const condition = measure.filter ? filterSql(measure.filter, dialect) : null;
    const column = measure.column === null ? null : dialect.quote(measure.column);
    // The filter as a FILTER clause where the dialect has one, else as CASE WHEN inside.
    const clause = condition && dialect.aggregateFilter;
    const when = (value: string) => (condition && !clause ? `CASE WHEN ${condition} THEN ${value} END` : value);
    const filtered = (call: string) => (clause ? `${call} FILTER (WHERE ${condition})` : call);
    let aggregate: string;
    switch (measure.aggregation) {
        case 'sum': aggregate = `COALESCE(${filtered(`SUM(${when(column!)})`)}, 0)`; break;
        case 'count': aggregate = !condition || clause ? filtered('COUNT(*)') : `COUNT(${when('1')})`; break;
        case 'count-distinct': aggregate = filtered(`COUNT(DISTINCT ${when(column!)})`); break;
        case 'min': aggregate = filtered(`MIN(${when(column!)})`); break;
        case 'max': aggregate = filtered(`MAX(${when(column!)})`); break;
        case 'average': aggregate = filtered(`AVG(${when(column!)})`); break;
    }
    return `CAST(${aggregate} AS ${dialect.double})`;
}

/** Whether the metric's value for several members is a function of the members' values. */
export function decomposable(measure: MetricMeasure): boolean {
    return measure.aggregation === 'sum' || measure.aggregation === 'count' || measure.aggregation === 'min' || measure.aggregation === 'max';
}

export interface AggregateQuery {
    /** The SQL text: one SELECT, no trailing semicolon. */
    readonly sql: string;
    /** The dimensions the rows are grouped by, in column order. */
    readonly dimensions: ReadonlyArray<DataSource['dimensions'][number]['dimension']>;
    readonly metrics: readonly string[];
}

export interface AggregateOptions {
    readonly source: DataSource;
    /** The metrics measured from the source that this query computes. */
    readonly metrics: readonly Metric[];
    /** The relation to read: a quoted table name, or a file-reading table function. */
    readonly from: string;
    /** `members`: by period and every mapped dimension; `total`: by period only. */
    readonly grouping: 'members' | 'total';
    readonly dialect: Dialect;
    /** Also return the period's index (for windows). */
    readonly withIndex?: boolean;
}

export function aggregateQuery(options: AggregateOptions): AggregateQuery {
    const { source, dialect } = options;
    if (!source.period) {
        throw new Error(`source ${source.id} has no period column`);
    }
    const time = dialect.quote(source.period.column);
    const dimensions = options.grouping === 'members' ? source.dimensions : [];
    const keys = [
        `${dialect.periodLabel(time, source.period.grain)} AS ${dialect.quote(PERIOD_COLUMN)}`,
        ...(options.withIndex ? [`${dialect.periodIndex(time, source.period.grain)} AS ${dialect.quote(PERIOD_INDEX_COLUMN)}`] : []),
        ...dimensions.map(mapping => `CAST(${dialect.quote(mapping.column)} AS ${dialect.textType}) AS ${dialect.quote(mapping.dimension)}`)
    ];
    const values = options.metrics.map(metric => `${measureSql(metric.measure!, dialect)} AS ${dialect.quote(metric.id)}`);
    const groupBy = keys.map((_, index) => String(index + 1));
    const sql = [
        `SELECT ${[...keys, ...values].join(',\n       ')}`,
        `FROM ${options.from}`,
        `WHERE ${time} IS NOT NULL`,
        `GROUP BY ${groupBy.join(', ')}`
    ].join('\n');
    return { sql, dimensions: dimensions.map(mapping => mapping.dimension), metrics: options.metrics.map(metric => metric.id) };
}

/** A table name, each part quoted: `"telephony"."calls"`. */
export function tableSql(table: readonly string[], dialect: Dialect): string {
    return table.map(part => dialect.quote(part)).join('.');
}

export type RawFormat = 'csv' | 'parquet' | 'json';

/** The format of a raw data file by its name: CSV (also gzip or zstd), Parquet, JSON (lines). */
export function rawFormat(file: string): RawFormat | undefined {
    const lower = file.toLowerCase();
    if (/\.parquet$/.test(lower)) {
        return 'parquet';
    }
    if (/\.(csv|tsv)(\.(gz|zst))?$/.test(lower)) {
        return 'csv';
    }
    if (/\.(json|ndjson|jsonl)(\.(gz|zst))?$/.test(lower)) {
        return 'json';
    }
    return undefined;
}

/** DuckDB's reader of raw files, the paths as quoted literals. */
export function duckdbReader(format: RawFormat, files: readonly string[], dialect: Dialect): string {
    const list = `[${files.map(file => dialect.text(file)).join(', ')}]`;
    switch (format) {
        case 'parquet': return `read_parquet(${list}, union_by_name = true)`;
        case 'json': return `read_json_auto(${list}, union_by_name = true)`;
        case 'csv': return `read_csv(${list}, header = true, union_by_name = true)`;
    }
}
