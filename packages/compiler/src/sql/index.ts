/**
 * SQL for raw data: the aggregate query of each source, per dialect. Pure (no Node API, no
 * driver): the engines in the CLI run what this module writes. Imported as `@kra-lang/compiler/sql`.
 */
export { DIALECT, DIALECTS, type Dialect, type DialectName, type SourceGrain } from './dialect.js';
export {
    aggregateQuery, decomposable, duckdbReader, rawFormat, type RawFormat, filterSql, measureSql, tableSql, valueSql, PERIOD_COLUMN, PERIOD_INDEX_COLUMN,
    type AggregateOptions, type AggregateQuery
} from './aggregates.js';
export { workspaceSql, type OmittedKpi, type WorkspaceSql, type WorkspaceSqlOptions } from './workspace-sql.js';
export { windowSpan, windowKey, type Span } from './windows.js';
