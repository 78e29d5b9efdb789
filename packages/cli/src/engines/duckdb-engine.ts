/**
 * The embedded engine: DuckDB reads the raw files of each source (CSV, Parquet, JSON; gzip
 * too), checks them against the source declaration, and aggregates them per period and member
 * in one streaming pass per source. The aggregates become the evaluator's data rows, so KPIs,
 * targets and scores are computed exactly as for aggregated data.
 *
 * DuckDB streams the files and spills to a temporary folder beyond its memory limit
 * (KRA_DUCKDB_MEMORY, default 1GB), so the raw data may be far larger than memory.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Metric } from '@kra-lang/compiler';
import type { DataFile } from '@kra-lang/compiler/evaluate';
import { aggregatesAsData } from './aggregate-rows.js';
import { aggregateQuery, decomposable, DIALECT, duckdbReader } from '@kra-lang/compiler/sql';
import type { RawSourceFiles } from './raw-files.js';
import { columnUses, typeFits } from './column-uses.js';
import { RawDataError } from './errors.js';

// Loaded with require, not import: importing a CommonJS package from ES modules makes Node scan
// every file of it for its export names first, about 60 ms of start-up (docs/performance.md).
const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

const duckdb = DIALECT.duckdb;
const ROWS = 'kra rows';

export interface EngineOptions {
    /** How a path is shown in messages (relative to the working folder). */
    readonly display: (file: string) => string;
    /** A line of progress for stderr. */
    readonly progress: (line: string) => void;
}


function readerSql(raw: RawSourceFiles, files: readonly string[] = raw.files): string {
    return duckdbReader(raw.format, files, duckdb);
}

/** Aggregates every raw source; throws RawDataError with every mismatch between files and declarations. */
export async function aggregateRawData(raw: readonly RawSourceFiles[], metrics: readonly Metric[], options: EngineOptions): Promise<DataFile[]> {
    if (raw.length === 0) {
        return [];
    }
    const instance = await DuckDBInstance.create(':memory:', {
        memory_limit: process.env.KRA_DUCKDB_MEMORY ?? '1GB',
        temp_directory: os.tmpdir(),
        preserve_insertion_order: 'false'
    });
    const connection = await instance.connect();
    try {
        const problems: string[] = [];
        for (const entry of raw) {
            problems.push(...await checkFiles(connection, entry, metrics, options));
        }
        if (problems.length > 0) {
            throw new RawDataError(problems.join('\n'));
        }
        const files: DataFile[] = [];
        for (const entry of raw) {
            files.push(...await aggregateSource(connection, entry, metrics, options));
        }
        return files;
    } finally {
        connection.closeSync();
        instance.closeSync();
    }
}

/** Every column a source's metrics need, checked in every file: present, and of a fitting type. */
async function checkFiles(connection: DuckDBConnection, raw: RawSourceFiles, metrics: readonly Metric[], options: EngineOptions): Promise<string[]> {
    const uses = columnUses(raw.source, metrics);
    const problems: string[] = [];
    for (const file of raw.files) {
        let columns: Map<string, string>;
        try {
            const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${readerSql(raw, [file])}`);
            columns = new Map(reader.getRowObjectsJS().map(row => [String(row.column_name), String(row.column_type)]));
        } catch (error) {
            problems.push(`${options.display(file)}: cannot be read as ${raw.format.toUpperCase()} for source '${raw.source.id}': ${firstLine(error)}`);
            continue;
        }
        for (const use of uses) {
            const type = columns.get(use.column);
            if (type === undefined) {
                problems.push(`${options.display(file)}: column '${use.column}' is missing, but ${use.why}. The file has: ${[...columns.keys()].join(', ')}.`);
            } else if (!typeFits(type, use.types)) {
                problems.push(`${options.display(file)}: column '${use.column}' holds ${type} values, but ${use.why} as ${use.types.join(' or ')}.`);
            }
        }
    }
    return problems;
}

async function aggregateSource(connection: DuckDBConnection, raw: RawSourceFiles, metrics: readonly Metric[], options: EngineOptions): Promise<DataFile[]> {
    const source = raw.source;
    const measured = metrics.filter(metric => metric.measure?.dataSource === source.id);
    // Sums, counts, minima and maxima combine over members: by member, as aggregated data is.
    // Averages and distinct counts do not: in total only, so that nothing adds them up.
    const byMembers = measured.filter(metric => decomposable(metric.measure!));
    const inTotal = measured.filter(metric => !decomposable(metric.measure!));
    const name = `${source.id} (${raw.files.length === 1 ? options.display(raw.files[0]) : `${raw.files.length} files`})`;
    const started = Date.now();
    const timer = setInterval(() => options.progress(`kra eval: aggregating source ${name}… ${Math.round((Date.now() - started) / 1000)} s`), 5000);
    timer.unref();
    try {
        const files: DataFile[] = [];
        let rows = 0;
        for (const [group, grouping] of [[byMembers, 'members'], [inTotal, 'total']] as const) {
            if (group.length === 0) {
                continue;
            }
            const query = aggregateQuery({ source, metrics: group, from: readerSql(raw), grouping, dialect: duckdb });
            const sql = query.sql.replace('\nFROM ', `,\n       CAST(COUNT(*) AS DOUBLE) AS ${duckdb.quote(ROWS)}\nFROM `);
            let reader;
            try {
                reader = await connection.runAndReadAll(sql);
            } catch (error) {
                throw new RawDataError(`source '${source.id}' (${source.source.file}:${source.source.line}): DuckDB could not aggregate ${raw.files.map(options.display).join(', ')}: ${firstLine(error)}`);
            }
            const display = `${raw.files.map(options.display).join(', ')} (source ${source.id})`;
            const rowsOut = reader.getRowObjectsJS() as Array<Record<string, unknown>>;
            rows = Math.max(rows, rowsOut.reduce((sum, row) => sum + Number(row[ROWS]), 0));
            files.push(aggregatesAsData(rowsOut, query, display, source.period!.grain));
        }
        const seconds = (Date.now() - started) / 1000;
        if (seconds >= 2) {
            options.progress(`kra eval: source ${name}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s`);
        }
        return files;
    } finally {
        clearInterval(timer);
    }
}

function firstLine(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
