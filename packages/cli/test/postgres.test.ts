/**
 * `kra eval --engine postgres` on a real PostgreSQL (Debian's, started by the test): the contact
 * centre's raw events loaded into tables give the same values as the aggregated data and as
 * DuckDB on the files; `kra sql --dialect postgres` runs there with the same values; known
 * answers; an unreachable server and bad credentials are one line, exit 2, no secret.
 */
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';
import { expectSameNumbers } from './same-numbers.js';
import { startPostgres, TEST_PASSWORD, type TestPostgres } from './postgres-server.js';

const KEPT = ['agents-long.csv', 'assignments.csv', 'engagement-survey.csv', 'finance.csv', 'people.csv', 'quality-by-team.csv', 'quality-calibration.csv', 'training.csv'];
const RAW = path.join(REPO, 'examples/contact-centre/raw');

/** Each contact-centre source as a table: its declared columns, its file's rows. */
const TABLES: Array<{ table: string; file: string; columns: Array<[string, string]> }> = [
    { table: 'calls', file: 'calls.parquet', columns: [['interval_start', 'timestamp'], ['team', 'text'], ['client', 'text'], ['direction', 'text'], ...['offered', 'handled', 'answered_in_20s', 'abandoned', 'short_abandons', 'talk_seconds', 'hold_seconds', 'acw_seconds', 'available_seconds'].map(c => [c, 'bigint'] as [string, string])] },
    { table: 'cases', file: 'cases.csv.gz', columns: [['opened_on', 'date'], ['team', 'text'], ['client', 'text'], ['raised', 'bigint'], ['resolved_first_contact', 'bigint']] },
    { table: 'csat_answers', file: 'csat.csv.gz', columns: [['answered_on', 'date'], ['agent', 'text'], ['team', 'text'], ['client', 'text'], ['score', 'integer'], ['responses', 'bigint']] },
    { table: 'surveys', file: 'surveys.csv.gz', columns: [['answered_on', 'date'], ['team', 'text'], ['client', 'text'], ['survey', 'text'], ['score', 'integer'], ['responses', 'bigint']] },
    { table: 'shifts', file: 'shifts.csv.gz', columns: [['shift_date', 'date'], ['team', 'text'], ['client', 'text'], ['shift', 'text'], ...['scheduled_seconds', 'adherent_seconds', 'paid_hours', 'shrinkage_hours', 'overtime_hours', 'billable_hours', 'forecast_interval_error'].map(c => [c, 'double precision'] as [string, string])] }
];

async function load(client: pg.Client): Promise<void> {
    const duckdb = await DuckDBInstance.create(':memory:');
    const connection = await duckdb.connect();
    await client.query('CREATE SCHEMA northwind');
    for (const { table, file, columns } of TABLES) {
        await client.query(`CREATE TABLE northwind.${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`);
        const reader = file.endsWith('.parquet') ? 'read_parquet' : 'read_csv';
        const rows = (await connection.runAndReadAll(`SELECT ${columns.map(([name]) => `CAST(${name} AS VARCHAR) AS ${name}`).join(', ')} FROM ${reader}('${path.join(RAW, file)}')`)).getRowsJS();
        for (let start = 0; start < rows.length; start += 2000) {
            const batch = rows.slice(start, start + 2000);
            const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
            await client.query(`INSERT INTO northwind.${table} VALUES ${values}`, batch.flat().map(value => (value === null ? null : String(value))));
        }
    }
    connection.closeSync();
    duckdb.closeSync();
}

describe('kra eval --engine postgres', { timeout: 120_000 }, () => {
    let server: TestPostgres;

    beforeAll(async () => {
        server = startPostgres();
        const client = new pg.Client({ host: server.env.PGHOST, port: 5432, user: 'postgres', password: TEST_PASSWORD, database: 'postgres' });
        await client.connect();
        try {
            await load(client);
        } finally {
            await client.end();
        }
    }, 240_000);

    afterAll(() => server?.stop());

    const evaluate = async (args: string[], env: Record<string, string> = server.env): Promise<EvaluationResult> => {
        const run = await runKra(['eval', ...args, '--format', 'json'], { env });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        return JSON.parse(run.stdout) as EvaluationResult;
    };

    it('gives the same values on PostgreSQL as on the aggregated data and on the raw files with DuckDB, to 1e-9', async () => {
        const kept = KEPT.map(file => `examples/contact-centre/data/${file}`);
        const onPostgres = await evaluate(['examples/contact-centre', '--engine', 'postgres', '--data', ...kept]);
        const aggregated = await evaluate(['examples/contact-centre', '--data', 'examples/contact-centre/data']);
        const duckdb = await evaluate(['examples/contact-centre', '--data', 'examples/contact-centre/raw', ...kept]);
        expectSameNumbers(onPostgres, aggregated);
        expectSameNumbers(onPostgres, duckdb);
    }, 180_000);

    it('reads the connection from a URL in the variable --database-url-env names', async () => {
        const url = `postgresql://postgres:${TEST_PASSWORD}@localhost/postgres?host=${encodeURIComponent(server.env.PGHOST)}`;
        const result = await evaluate(['examples/contact-centre', '--engine', 'postgres', '--database-url-env', 'KRA_TEST_DB', '--data', ...KEPT.map(file => `examples/contact-centre/data/${file}`)],
            { KRA_TEST_DB: url, PGHOST: '', PGPASSWORD: '', PGUSER: '', PGPORT: '', PGDATABASE: '' });
        expect(result.kpis.some(kpi => kpi.kpi === 'operations.productivity.aht' && kpi.value !== null)).toBe(true);
    }, 120_000);

    it('runs the SQL of kra sql --dialect postgres with the evaluator\'s values', async () => {
        const text = (await runKra(['sql', 'examples/contact-centre', '--dialect', 'postgres'])).stdout;
        const client = new pg.Client({ host: server.env.PGHOST, port: 5432, user: 'postgres', password: TEST_PASSWORD, database: 'postgres' });
        await client.connect();
        let rows: Array<Record<string, unknown>>;
        try {
            rows = (await client.query(text)).rows as Array<Record<string, unknown>>;
        } finally {
            await client.end();
        }
        const aggregated = await evaluate(['examples/contact-centre', '--data', 'examples/contact-centre/data']);
        const expected = new Map(aggregated.kpis.map(kpi => [`${kpi.kpi}|${kpi.variant ?? ''}|${kpi.period}|${kpi.dimension ?? 'total'}|${kpi.member ?? ''}`, kpi.value]));
        expect(rows.length).toBeGreaterThan(2000);
        const differences = rows.filter(row => {
            const other = expected.get(`${row.kpi}|${row.variant}|${row.period}|${row.dimension}|${row.member}`);
            const value = row.value === null ? null : Number(row.value);
            return other === undefined || (value === null) !== (other === null) || (value !== null && Math.abs(value - other!) > 1e-9 * Math.max(1, Math.abs(other!)));
        }).slice(0, 5);
        expect(differences).toEqual([]);
    }, 120_000);

    const scratch = scratchFolder('kra-pg-');
    it('has known answers for filters, distinct counts, missing members and zero denominators, with keywords and quotes in names', async () => {
        const client = new pg.Client({ host: server.env.PGHOST, port: 5432, user: 'postgres', password: TEST_PASSWORD, database: 'postgres' });
        await client.connect();
        await client.query('CREATE SCHEMA "select"');
        await client.query('CREATE TABLE "select"."from" ("started at" timestamp, "group" text, outcome text, "it\'s ""x""" double precision, agent text)');
        await client.query(`INSERT INTO "select"."from" VALUES
            ('2026-01-05 09:00', 'a', 'handled', 100, 'ann'), ('2026-01-06 09:00', 'a', 'transferred', 50, 'ann'),
            ('2026-01-07 09:00', 'a', 'handled', NULL, 'bob'), ('2026-01-08 09:00', 'b', 'handled', 300, 'ann'),
            ('2026-01-09 09:00', 'b', 'abandoned', 7, 'cat'), ('2026-02-02 09:00', 'a', 'abandoned', 9, 'bob'),
            ('2026-02-03 09:00', 'b', 'handled', 200, 'dan')`);
        await client.end();
        const dir = scratch.write('known', {
            'ws.kra': `
source calls "Calls" {
  table "select"."from"
  period from "started at"
  team from "group"
}
metric handled "Handled" { unit count additive measured as count of calls where outcome = "handled" and not "it's \\"x\\"" is null }
metric talk "Talk" { unit seconds additive measured as sum of "it's \\"x\\"" in calls where outcome in ("handled", "transferred") }
metric agents "Agents" { unit count non-additive aggregate by max measured as count distinct agent in calls }
kpi aht "AHT" { formula safe_ratio(talk, handled) unit seconds }
kpi per_agent "Handled per agent" { formula safe_ratio(handled, agents) }
`
        });
        const result = await evaluate([dir, '--engine', 'postgres', '--allow-errors']);
        const kpi = (id: string, period: string, member: string | null = null) => result.kpis.find(k => k.kpi === id && k.period === period && k.member === member);
        expect(kpi('aht', '2026-01')!.value).toBeCloseTo(450 / 2, 12);
        expect(kpi('aht', '2026-01', 'b')!.value).toBeCloseTo(300, 12);
        expect(kpi('per_agent', '2026-01')!.value).toBeCloseTo(2 / 3, 12);
        expect(kpi('aht', '2026-02', 'a')).toMatchObject({ value: null, reason: 'zero denominator' });
        expect(result.dimensions.find(d => d.dimension === 'team')!.members).toEqual(['a', 'b']);
    }, 120_000);

    it('says in one line, exit 2, when the server cannot be reached', async () => {
        const run = await runKra(['eval', 'examples/contact-centre', '--engine', 'postgres', '--allow-errors'],
            { env: { ...server.env, PGHOST: path.join(server.env.PGHOST, 'nowhere') } });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(/^kra eval: cannot connect to PostgreSQL at .*nowhere:5432/);
        expect(run.stderr).not.toContain(TEST_PASSWORD);
    });

    it('says in one line, exit 2, without the password, when the credentials are wrong', async () => {
        const wrong = 'not-the-password-2718';
        for (const env of [{ ...server.env, PGPASSWORD: wrong } as Record<string, string>, { KRA_TEST_DB: `postgresql://postgres:${wrong}@localhost/postgres?host=${encodeURIComponent(server.env.PGHOST)}`, PGPASSWORD: '' }]) {
            const args = ['eval', 'examples/contact-centre', '--engine', 'postgres', '--allow-errors', ...('KRA_TEST_DB' in env ? ['--database-url-env', 'KRA_TEST_DB'] : [])];
            const run = await runKra(args, { env });
            expect(run.code).toBe(2);
            expect(run.stderr.trim().split('\n')).toHaveLength(1);
            expect(run.stderr).toMatch(/password authentication failed/);
            expect(run.stderr).not.toContain(wrong);
            expect(run.stderr).not.toContain(TEST_PASSWORD);
        }
    });
});
