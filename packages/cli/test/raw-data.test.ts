/**
 * `kra eval --data` on raw rows, aggregated by DuckDB: the contact centre's raw events give the
 * same scorecard as its aggregated data; known answers for filters, distinct counts, missing
 * members and zero denominators; raw files that do not fit their source are refused clearly.
 */
import { gzipSync } from 'node:zlib';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';
import { expectSameNumbers } from './same-numbers.js';

const EXAMPLE = path.join(REPO, 'examples/contact-centre');
const AGGREGATED = path.join(EXAMPLE, 'data');
/** The aggregated files the raw events replace; the others are given as they are. */
const REPLACED = ['telephony-by-team.csv', 'cases-and-surveys-by-team.csv', 'csat-by-agent.csv', 'workforce-by-team.csv'];
const KEPT = ['agents-long.csv', 'assignments.csv', 'engagement-survey.csv', 'finance.csv', 'people.csv', 'quality-by-team.csv', 'quality-calibration.csv', 'training.csv'];

async function evaluate(args: string[]): Promise<EvaluationResult> {
    const run = await runKra(['eval', ...args, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as EvaluationResult;
}

// Each test starts kra (and DuckDB) several times: generous on a loaded machine.
describe('kra eval on raw data (DuckDB)', { timeout: 120_000 }, () => {
    it('gives the contact centre the same values from its raw events as from its aggregated data, to 1e-9', async () => {
        const aggregated = await evaluate(['examples/contact-centre', '--data', 'examples/contact-centre/data']);
        const raw = await evaluate(['examples/contact-centre', '--data', 'examples/contact-centre/raw', ...KEPT.map(file => `examples/contact-centre/data/${file}`)]);
        expect(aggregated.kpis.length).toBeGreaterThan(3000);
        expect(raw.periods).toEqual(aggregated.periods);
        expect(raw.dimensions).toEqual(aggregated.dimensions);
        expectSameNumbers(raw, aggregated);
        expect(REPLACED.length + KEPT.length).toBe(readdirSync(AGGREGATED).length);
    }, 120_000);

    const scratch = scratchFolder('kra-raw-');
    const WORKSPACE = `
source calls "Calls" {
  file "calls.csv"
  period from "started at"
  team from team
  column "started at" is timestamp
  column team is text
  column outcome is text
  column "select" is number
  column agent is text
}
metric handled "Handled" { unit count additive measured as count of calls where outcome = "handled" and not "select" is null }
metric talk "Talk" { unit seconds additive measured as sum of "select" in calls where outcome in ("handled", "transferred") }
metric agents "Agents" { unit count non-additive aggregate by max measured as count distinct agent in calls }
metric longest "Longest" { unit seconds non-additive aggregate by max measured as max of "select" in calls }
kpi aht "AHT" { formula safe_ratio(talk, handled) unit seconds }
kpi per_agent "Handled per agent" { formula safe_ratio(handled, agents) }
kpi longest_call "Longest call" { formula longest unit seconds }
`;
    const CALLS = [
        'started at,team,outcome,select,agent',
        '2026-01-05 09:00:00,a,handled,100,ann',
        '2026-01-06 09:00:00,a,transferred,50,ann',
        '2026-01-07 09:00:00,a,handled,,bob',
        '2026-01-08 09:00:00,b,handled,300,ann',
        '2026-01-09 09:00:00,b,abandoned,7,cat',
        '2026-02-02 09:00:00,a,abandoned,9,bob',
        '2026-02-03 09:00:00,b,handled,200,dan',
        ''
    ].join('\n');

    function kpi(result: EvaluationResult, id: string, period: string, member: string | null = null) {
        return result.kpis.find(k => k.kpi === id && k.period === period && k.member === member && k.variant === null);
    }

    it('has known answers for filters, distinct counts, missing members and zero denominators', async () => {
        const dir = scratch.write('known', { 'ws.kra': WORKSPACE, 'data/calls.csv': CALLS });
        const result = await evaluate([dir, '--data', path.join(dir, 'data'), '--allow-errors']);
        // January: handled with a value = rows 1 and 4 (row 3 has no "select"); talk over handled and transferred = 100 + 50 + 300.
        expect(kpi(result, 'aht', '2026-01')!.value).toBeCloseTo(450 / 2, 12);
        expect(kpi(result, 'aht', '2026-01', 'a')!.value).toBeCloseTo(150 / 1, 12);
        expect(kpi(result, 'aht', '2026-01', 'b')!.value).toBeCloseTo(300 / 1, 12);
        // Distinct agents in January: ann, bob, cat (ann worked in both teams and counts once).
        expect(kpi(result, 'per_agent', '2026-01')!.value).toBeCloseTo(2 / 3, 12);
        // A distinct count does not add up over teams, so it is given in total only: no per-team value.
        expect(kpi(result, 'per_agent', '2026-01', 'a')).toBeUndefined();
        expect(kpi(result, 'longest_call', '2026-01')!.value).toBe(300);
        // February, team a: rows but none handled: a zero denominator, no value.
        expect(kpi(result, 'aht', '2026-02', 'a')).toMatchObject({ value: null, reason: 'zero denominator' });
        expect(kpi(result, 'aht', '2026-02')!.value).toBeCloseTo(200, 12);
        // A member with no rows in a period is missing, not zero.
        const teams = result.dimensions.find(d => d.dimension === 'team')!;
        expect(teams.members).toEqual(['a', 'b']);
    });

    it('reads gzip CSV, JSON lines and Parquet as well as CSV', async () => {
        const rows = CALLS.trim().split('\n').slice(1).map(line => line.split(','));
        const json = rows.map(([at, team, outcome, select, agent]) => JSON.stringify({
            'started at': at, team, outcome, select: select === '' ? null : Number(select), agent
        })).join('\n');
        const csvDir = scratch.write('csv', { 'ws.kra': WORKSPACE, 'data/.keep': '' });
        const expected = await evaluate([csvDir, '--data', scratch.write('csv-data', { 'calls.csv': CALLS }), '--allow-errors']);
        const gzDir = scratch.write('gz', { 'ws.kra': WORKSPACE.replace('file "calls.csv"', 'file "calls.csv.gz"') });
        writeFileSync(path.join(gzDir, 'calls.csv.gz'), gzipSync(CALLS));
        expectSameNumbers(await evaluate([gzDir, '--data', path.join(gzDir, 'calls.csv.gz'), '--allow-errors']), expected);
        const jsonDir = scratch.write('json', { 'ws.kra': WORKSPACE.replace('file "calls.csv"', 'file "calls.ndjson"'), 'calls.ndjson': json });
        expectSameNumbers(await evaluate([jsonDir, '--data', path.join(jsonDir, 'calls.ndjson'), '--allow-errors']), expected);
    });

    it('refuses a raw file without a column its metrics need, naming the file, the column and the metric', async () => {
        const dir = scratch.write('missing', {
            'ws.kra': WORKSPACE,
            'data/calls.csv': CALLS.replace('started at,team,outcome,select,agent', 'started at,team,result,select,agent')
        });
        const run = await runKra(['eval', dir, '--data', path.join(dir, 'data'), '--allow-errors']);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/calls\.csv: column 'outcome' is missing, but metric 'handled' \(ws\.kra:\d+, measured as count of calls where outcome = "handled" and not select is null\) reads it/);
        expect(run.stderr).toContain('nothing was evaluated');
    });

    it('refuses a column of the wrong type, naming the file, the column, its type and the metric', async () => {
        const dir = scratch.write('type', { 'ws.kra': WORKSPACE, 'data/calls.csv': CALLS.replace(',100,', ',a hundred,') });
        const run = await runKra(['eval', dir, '--data', path.join(dir, 'data'), '--allow-errors']);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/calls\.csv: column 'select' holds VARCHAR values, but .*metric 'talk'.* as number/s);
    });

    it('refuses a data file that is neither a source\'s nor aggregated CSV or JSON', async () => {
        const dir = scratch.write('stray', { 'ws.kra': WORKSPACE, 'data/calls.csv': CALLS });
        writeFileSync(path.join(dir, 'data', 'other.parquet'), 'not parquet');
        const run = await runKra(['eval', dir, '--data', path.join(dir, 'data'), '--allow-errors']);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("other.parquet: no source of the workspace reads this file");
    });
});
