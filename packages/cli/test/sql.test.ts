/**
 * `kra sql`: golden files per dialect for the contact centre; every dialect's output parsed by
 * node-sql-parser (DuckDB's by DuckDB itself, which runs it); the DuckDB output executed on the
 * raw events gives the evaluator's values; names with SQL keywords and quotes stay quoted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import sqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const GOLDEN = path.join(REPO, 'packages/cli/test/golden/sql');
const DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark', 'trino'] as const;
/** node-sql-parser's grammar for each dialect it checks (Spark SQL is HiveQL's descendant). */
const PARSERS: Record<string, string> = { postgres: 'PostgresQL', bigquery: 'BigQuery', snowflake: 'Snowflake', spark: 'Hive', trino: 'Trino' };

async function sql(workspace: string, dialect: string, ...options: string[]): Promise<string> {
    const run = await runKra(['sql', workspace, '--dialect', dialect, ...options]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
}

async function runDuckDb(text: string, searchPath: string): Promise<Array<Record<string, unknown>>> {
    const instance = await DuckDBInstance.create(':memory:', { file_search_path: searchPath });
    const connection = await instance.connect();
    try {
        return (await connection.runAndReadAll(text)).getRowObjectsJS() as Array<Record<string, unknown>>;
    } finally {
        connection.closeSync();
        instance.closeSync();
    }
}

describe('kra sql', { timeout: 120_000 }, () => {
    it.each(DIALECTS)('writes the contact centre\'s SQL for %s as in its golden file', async dialect => {
        const text = await sql('examples/contact-centre', dialect);
        const golden = path.join(GOLDEN, `contact-centre.${dialect}.sql`);
        if (process.env.KRA_UPDATE_GOLDEN === '1') {
            writeFileSync(golden, text);
        }
        expect(text).toBe(readFileSync(golden, 'utf8'));
        expect(text).toContain('-- KPI operations.productivity.aht "Average handle time (AHT)" (operations.kra:');
        expect(text).toContain('-- Not computed: KPI finance.profitability.ebitda_margin: metric revenue is not measured from a source');
    });

    it.each(Object.keys(PARSERS))('writes %s that node-sql-parser parses', dialect => {
        const parser = new sqlParser.Parser();
        expect(() => parser.astify(readFileSync(path.join(GOLDEN, `contact-centre.${dialect}.sql`), 'utf8'), { database: PARSERS[dialect] })).not.toThrow();
    });

    it('gives, run on the raw events by DuckDB, the values the evaluator gives on the aggregated data', async () => {
        const rows = await runDuckDb(readFileSync(path.join(GOLDEN, 'contact-centre.duckdb.sql'), 'utf8'), path.join(REPO, 'examples/contact-centre'));
        const run = await runKra(['eval', 'examples/contact-centre', '--data', 'examples/contact-centre/data', '--format', 'json']);
        const result = JSON.parse(run.stdout) as EvaluationResult;
        const expected = new Map(result.kpis.map(kpi => [`${kpi.kpi}|${kpi.variant ?? ''}|${kpi.period}|${kpi.dimension ?? 'total'}|${kpi.member ?? ''}`, kpi.value]));
        expect(rows.length).toBeGreaterThan(2000);
        const differences = rows.filter(row => {
            const key = `${row.kpi}|${row.variant}|${row.period}|${row.dimension}|${row.member}`;
            const value = row.value as number | null;
            const other = expected.get(key);
            if (other === undefined) {
                return true;
            }
            return (value === null) !== (other === null) || (value !== null && Math.abs(value - other!) > 1e-9 * Math.max(1, Math.abs(other!)));
        }).slice(0, 5);
        expect(differences).toEqual([]);
    }, 120_000);

    const scratch = scratchFolder('kra-sql-');
    const NASTY = `
source weird "Keywords and quotes" {
  table "select"."from"
  period from "order"
  team from "group"
  column "order" is date
  column "group" is text
  column "he said \\"hi\\"" is number
  column "it's" is text
}
metric total_hi { unit count additive measured as sum of "he said \\"hi\\"" in weird where "it's" = "O'Brien; DROP TABLE x; --" }
metric rows_seen { unit count additive measured as count of weird where "it's" in ("\`tick\`", "back\\\\slash") }
kpi share "Share" { formula safe_ratio(total_hi, rows_seen) over previous period unit ratio }
`;

    it.each(DIALECTS)('quotes keywords and quotes in names and values for %s', async dialect => {
        const dir = scratch.write(`nasty-${dialect}`, { 'ws.kra': NASTY });
        const text = await sql(dir, dialect, '--allow-errors');
        const body = text.split('\n').filter(line => !line.trimStart().startsWith('--')).join('\n');
        expect(body).not.toContain("O'Brien");
        // BigQuery, Spark and Snowflake read backslash escapes in literals; the others double the quote.
        expect(body).toMatch(['bigquery', 'spark', 'snowflake'].includes(dialect) ? /O\\'Brien; DROP TABLE x; --/ : /O''Brien; DROP TABLE x; --/);
        expect(body).toContain(dialect === 'bigquery' || dialect === 'spark' ? '`select`.`from`' : '"select"."from"');
        expect(body).toContain(dialect === 'bigquery' || dialect === 'spark' ? '`he said "hi"`' : '"he said ""hi"""');
        if (PARSERS[dialect]) {
            // node-sql-parser's PostgreSQL, Snowflake and Trino grammars do not take a doubled quote
            // inside a quoted name, which the engines do (DuckDB runs it below): that one name is
            // renamed for the parse check only.
            const parsed = text.replace(/"he said ""hi"""/g, '"he said hi"');
            expect(() => new sqlParser.Parser().astify(parsed, { database: PARSERS[dialect] })).not.toThrow();
        }
    });

    it('runs conditions (and, or, not) abs, round, floor, ceil, clamp and a fixed-grain window on DuckDB as the evaluator does: no value when a comparison has none', async () => {
        const dir = scratch.write('conditions-run', {
            'ws.kra': `source closes "Month-end closes" {
  file "closes.csv"
  period from month
  team from team
  column month is date
  column team is text
  column errors is number
  column days_taken is number
}
metric errors { unit count additive measured as sum of errors in closes }
metric close_days { unit days aggregate by max measured as max of days_taken in closes }
kpi clean_close "Clean and quick" {
  formula if errors = 0 and not (close_days > 3 days or errors > 0) then 100% else 0%
  unit %
}
kpi off_plan "Days off a 4-day close, to a tenth, 1 to 2" {
  formula clamp(round(abs(close_days / 86400 - 4), 1), 1, 2) * 86400
  unit days
}
kpi errors_last_quarter "Errors in the quarter before" {
  formula errors over previous quarter
  unit count
}
kpi whole_days "Whole days below and above" {
  formula (floor(close_days / 86400) + ceil(close_days / 86400)) * 86400
  unit days
}
`
        });
        writeFileSync(path.join(dir, 'closes.csv'), ['month,team,errors,days_taken', '2026-01-05,a,0,2.25', '2026-02-05,a,0,5.5', '2026-03-05,a,1,1.5', '2026-04-05,a,0,', ''].join('\n'));
        const rows = await runDuckDb(await sql(dir, 'duckdb', '--allow-errors'), dir);
        const value = (period: string, kpi = 'clean_close') => rows.find(row => row.kpi === kpi && row.period === period && row.dimension === 'team' && row.member === 'a')?.value;
        expect(['2026-01', '2026-02', '2026-03', '2026-04'].map(period => value(period, 'off_plan'))).toEqual([1.8, 1.5, 2, null]);
        expect(['2026-01', '2026-02', '2026-03', '2026-04'].map(period => value(period, 'whole_days'))).toEqual([5, 11, 3, null]);
        // April lies in Q2: the quarter before is Q1, with 0 + 0 + 1 errors.
        expect(value('2026-04', 'errors_last_quarter')).toBe(1);
        expect(value('2026-01')).toBeCloseTo(100, 12);
        expect(value('2026-02')).toBe(0);
        expect(value('2026-03')).toBe(0);
        // No days in April: SQL alone would take `errors = 0 AND NOT (NULL OR FALSE)` as not true and
        // give 0%; the evaluator gives no value, and so does the SQL kra writes.
        expect(value('2026-04')).toBeNull();
    });

    it('runs names with keywords and quotes on DuckDB, with known answers for a filter and a previous-period window', async () => {
        const dir = scratch.write('nasty-run', { 'ws.kra': NASTY.replace('table "select"."from"', 'file "rows.csv"') });
        writeFileSync(path.join(dir, 'rows.csv'), [
            'order,group,"he said ""hi""",it\'s',
            "2026-01-03,a,10,O'Brien; DROP TABLE x; --",
            '2026-01-04,a,5,`tick`',
            "2026-02-01,a,7,O'Brien; DROP TABLE x; --",
            ''
        ].join('\n'));
        const rows = await runDuckDb(await sql(dir, 'duckdb', '--allow-errors'), dir);
        const value = (period: string) => rows.find(row => row.period === period && row.dimension === 'team' && row.member === 'a')?.value;
        // January: 10 (the one row that passes the filter) over 1 row with a backtick value.
        expect(value('2026-02')).toBeCloseTo(10, 12);
        expect(value('2026-01')).toBeNull();
    });
});
