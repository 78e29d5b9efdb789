/**
 * `kra eval --engine postgres`: the aggregate query of each source with a `table` runs on a live
 * PostgreSQL, in one read-only transaction; the evaluator computes KPIs from the aggregates, as
 * for DuckDB. The connection comes from the environment only: the standard PG* variables, or a
 * connection URL in the variable named by --database-url-env. A connection that fails is one
 * line without the password, and exit code 2.
 */
import pg from 'pg';
import type { DataSource, KraModel, Metric } from '@kra-lang/compiler';
import type { DataFile } from '@kra-lang/compiler/evaluate';
import { aggregatesAsData } from './aggregate-rows.js';
import { aggregateQuery, decomposable, DIALECT, tableSql } from '@kra-lang/compiler/sql';
import { columnUses, typeFits } from './column-uses.js';
import { ConnectionError, RawDataError } from './errors.js';
import { postgresSources } from './raw-files.js';

const postgres = DIALECT.postgres;

export interface PostgresOptions {
    /** The name of an environment variable holding a postgres:// URL; else the PG* variables. */
    readonly urlVariable?: string;
}

/** The sources read from PostgreSQL: those with a table. */
function describeTarget(config: pg.ClientConfig): string {
    const host = config.host ?? process.env.PGHOST ?? 'localhost';
    const port = config.port ?? process.env.PGPORT ?? 5432;
    const database = config.database ?? process.env.PGDATABASE ?? config.user ?? process.env.PGUSER ?? '';
    return `${host}:${port}${database ? `, database ${database}` : ''}`;
}

/** Every secret that could appear in a message, to blank out. */
function secrets(config: pg.ClientConfig, url: string | undefined): string[] {
    return [typeof config.password === 'string' ? config.password : undefined, process.env.PGPASSWORD, url].filter((value): value is string => !!value && value.length > 0);
}

function redact(message: string, hidden: readonly string[]): string {
    return hidden.reduce((text, secret) => text.split(secret).join('***'), message.split('\n')[0]);
}

export async function aggregateOnPostgres(model: KraModel, options: PostgresOptions, display: (source: DataSource) => string): Promise<DataFile[]> {
    const sources = postgresSources(model);
    if (sources.length === 0) {
        return [];
    }
    let url: string | undefined;
    if (options.urlVariable !== undefined) {
        url = process.env[options.urlVariable];
        if (!url) {
            throw new ConnectionError(`the environment variable ${options.urlVariable} (--database-url-env) is not set`);
        }
    }
    const config: pg.ClientConfig = url ? { connectionString: url } : {};
    config.connectionTimeoutMillis = Number(process.env.KRA_PG_CONNECT_TIMEOUT_MS ?? 10_000);
    const client = new pg.Client(config);
    // An error after connecting (the server going away) must not end the process unhandled.
    client.on('error', () => undefined);
    const hidden = secrets(config, url);
    try {
        await client.connect();
    } catch (error) {
        throw new ConnectionError(`cannot connect to PostgreSQL at ${url ? 'the URL in $' + options.urlVariable : describeTarget(config)}: ${redact(error instanceof Error ? error.message : String(error), hidden)}`);
    }
    try {
        await client.query('BEGIN TRANSACTION READ ONLY');
        const problems: string[] = [];
        for (const source of sources) {
            problems.push(...await checkTable(client, source, model.metrics));
        }
        if (problems.length > 0) {
            throw new RawDataError(problems.join('\n'));
        }
        const files: DataFile[] = [];
        for (const source of sources) {
            files.push(...await aggregateTable(client, source, model.metrics, display(source), hidden));
        }
        await client.query('COMMIT');
        return files;
    } finally {
        await client.end().catch(() => undefined);
    }
}

/** The table's columns from the catalogue, checked as the DuckDB engine checks files. */
async function checkTable(client: pg.Client, source: DataSource, metrics: readonly Metric[]): Promise<string[]> {
    const table = source.table!;
    const name = table[table.length - 1];
    const schema = table.length > 1 ? table[table.length - 2] : null;
    const result = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND ($2::text IS NULL OR table_schema = $2) ORDER BY ordinal_position`,
        [name, schema]
    );
    const shown = `table ${table.join('.')}`;
    if (result.rows.length === 0) {
        return [`${shown}: not found (or not readable) in the database; source '${source.id}' (${source.source.file}:${source.source.line}) reads it.`];
    }
    const columns = new Map(result.rows.map(row => [row.column_name, row.data_type]));
    return columnUses(source, metrics).flatMap(use => {
        const type = columns.get(use.column);
        if (type === undefined) {
            return [`${shown}: column '${use.column}' is missing, but ${use.why}. The table has: ${[...columns.keys()].join(', ')}.`];
        }
        return typeFits(type, use.types) ? [] : [`${shown}: column '${use.column}' holds ${type} values, but ${use.why} as ${use.types.join(' or ')}.`];
    });
}

async function aggregateTable(client: pg.Client, source: DataSource, metrics: readonly Metric[], display: string, hidden: readonly string[]): Promise<DataFile[]> {
    const measured = metrics.filter(metric => metric.measure?.dataSource === source.id);
    const files: DataFile[] = [];
    for (const [group, grouping] of [[measured.filter(m => decomposable(m.measure!)), 'members'], [measured.filter(m => !decomposable(m.measure!)), 'total']] as const) {
        if (group.length === 0) {
            continue;
        }
        const query = aggregateQuery({ source, metrics: group, from: tableSql(source.table!, postgres), grouping, dialect: postgres });
        let rows: Array<Record<string, unknown>>;
        try {
            rows = (await client.query(query.sql)).rows as Array<Record<string, unknown>>;
        } catch (error) {
            throw new RawDataError(`source '${source.id}' (${source.source.file}:${source.source.line}): PostgreSQL could not aggregate table ${source.table!.join('.')}: ${redact(error instanceof Error ? error.message : String(error), hidden)}`);
        }
        files.push(aggregatesAsData(rows, query, display, source.period!.grain));
    }
    return files;
}
