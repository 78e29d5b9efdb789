import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { focusPeriod } from '@kra-lang/compiler/evaluate';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const SCHEMA = JSON.parse(readFileSync(path.join(REPO, 'packages/compiler/schemas/kra-eval.schema.json'), 'utf8'));
const EXAMPLE = ['examples/contact-centre', '--data', 'examples/contact-centre/data'];

const { root: scratch, write } = scratchFolder('kra-eval-');

/** A small workspace that checks clean: one role, one KRA, one KPI. */
const SMALL = `organisation acme "Acme" {
  review quarterly
  rated on steps
}

rating scale steps "Steps" {
  stepped
  level 2 "Meets" from 95%
  level 1 "Below" from 0%
}

/** Calls the team answered. */
metric calls_answered "Calls answered" {
  description "Calls an agent answered."
  unit count
  additive
}

/** Calls that reached the queue. */
metric calls_offered "Calls offered" {
  description "Calls that entered the queue."
  unit count
  additive
}

objective serve "Serve callers quickly" {
  description "Callers reach an agent without waiting long."
  perspective customer
  by 2026-12-31
}

department ops "Operations" {
  description "Runs the phones for every client."

  kra service "Service" {
    description "Callers reach an agent, whatever the time of day."
    aligns to serve
    perspective customer
    last reviewed 2026-06-01

    kpi answer_rate "Answer rate" {
      description "Share of offered calls that an agent answered."
      formula safe_ratio(calls_answered, calls_offered)
      unit %
      higher is better
      baseline 85% in 2026-Q1
      target at least 90% by 2026-12-31
      thresholds green at least 90%, amber at least 85%, red below 85%
      last reviewed 2026-06-01
    }
  }
}

role lead "Team lead" in ops {
  description "Leads the team that answers the phones."
  carries ops.service
}
`;

describe('kra eval on the contact-centre example', () => {
    let json: { code: number | null; stdout: string; stderr: string };
    let result: any;
    beforeAll(async () => {
        json = await runKra(['eval', ...EXAMPLE, '--format', 'json']);
        result = JSON.parse(json.stdout);
    }, 60_000);

    it('scores the 30 people of the assignments export, per agent, team or organisation as each KPI is measured', () => {
        const december = result.people.filter((entry: any) => entry.period === '2026-12');
        expect(new Set(december.map((entry: any) => entry.person)).size).toBe(30);
        expect(december.filter((entry: any) => entry.score === null || entry.rating === null).map((entry: any) => entry.person)).toEqual([]);
        const amelia = december.find((entry: any) => entry.person === 'amelia_hart');
        expect(amelia.kpis.find((kpi: any) => kpi.kpi === 'operations.customer_experience.csat')).toMatchObject({ level: 'agent', member: 'amelia_hart' });
        expect(amelia.kpis.find((kpi: any) => kpi.kpi === 'operations.productivity.aht')).toMatchObject({ level: 'team', member: 'leeds_a' });
        const leader = december.find((entry: any) => entry.person === 'priya_patel');
        expect(leader.kpis.find((kpi: any) => kpi.kpi === 'operations.customer_experience.csat')).toMatchObject({ level: 'team', member: 'leeds_a' });
        // jack_nolan moved from leeds_b to leeds_a on 2026-12-16: one score per assignment.
        expect(december.filter((entry: any) => entry.person === 'jack_nolan').map((entry: any) => [entry.team, entry.days])).toEqual([['leeds_b', 15], ['leeds_a', 16]]);
    });

    it('prints a scorecard per role with RAG status, role scores and ratings (exit 0)', async () => {
        const table = await runKra(['eval', ...EXAMPLE]);
        expect(table.stderr).toBe('');
        expect(table.code).toBe(0);
        expect(table.stdout).toContain('Northwind Contact Services: scorecard for 2026-12');
        expect(table.stdout).toMatch(/Operations manager \(operations_manager\)\s+score \d+\.\d%\s+rating \d /);
        expect(table.stdout).toMatch(/Service level \(20 seconds\)\s+\d+%\s+\d+\.\d%\s+at least \d+% (in|by) \S+\s+\d+\.\d%\s+(green|amber|red)/);
        expect(table.stdout).toContain('By team, 2026-12');
        expect(table.stdout).toContain('By client, 2026-12');
        // NO_COLOR: words, no escape codes.
        expect(table.stdout).not.toMatch(/\u001b\[/);
    });

    it('colours the status when colour is forced, and keeps the word', async () => {
        const table = await runKra(['eval', ...EXAMPLE], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
        expect(table.code).toBe(0);
        expect(table.stdout).toMatch(/\u001b\[32mgreen\u001b\[39m/);
    });

    it('--format json validates against the published schema and has no NaN or Infinity', () => {
        expect(json.code).toBe(0);
        const ajv = new Ajv2020({ allErrors: true, strict: true });
        const validate = ajv.compile(SCHEMA);
        expect(validate(result), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
        expect(result.$schema).toBe('https://kra-lang.dev/schemas/kra-eval/v1.json');
        expect(json.stdout).not.toMatch(/NaN|Infinity/);
    });

    it('evaluates a KPI measured quarterly for the whole quarters of monthly data only, and scores the month without it', () => {
        const quarterly = ['finance.billing_and_close.invoice_dispute_rate', 'finance.profitability.revenue_growth', 'hr.engagement.enps', 'hr.engagement.survey_participation', 'hr.talent_acquisition.cost_per_hire'];
        expect(result.periods.filter((period: any) => period.origin === 'cadence').map((period: any) => period.id))
            .toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'].filter(id => !result.periods.some((period: any) => period.id === id && period.origin === 'data')));
        const rowsOf = (kpi: string) => result.kpis.filter((entry: any) => entry.kpi === kpi && entry.dimension === null && entry.variant === null);
        for (const kpi of quarterly) {
            expect(rowsOf(kpi).map((entry: any) => entry.period).filter((period: string) => !period.includes('Q')), kpi).toEqual([]);
            expect(rowsOf(kpi).find((entry: any) => entry.period === '2026-Q4')?.value, kpi).not.toBeNull();
        }
        const engagement = result.kras.find((entry: any) => entry.kra === 'hr.engagement' && entry.period === '2026-12');
        expect(engagement).toMatchObject({ score: null, reason: 'no KPI of the KRA is measured per month' });
        expect(engagement.notes).toContain('hr.engagement.enps left out: measured quarterly: no value for a month');
        expect(result.kras.find((entry: any) => entry.kra === 'hr.engagement' && entry.period === '2026-Q4').score).toBeGreaterThan(0);
    });

    it('gives every KPI of the example a number in the latest period, and every role a score and a rating', () => {
        const latest = focusPeriod(result.periods as Array<{ id: string; grain: 'month' }>)!.id;
        expect(latest).toBe('2026-12');
        const totals = result.kpis.filter((entry: any) => entry.period === latest && entry.dimension === null && entry.variant === null);
        expect(totals.length).toBeGreaterThan(30);
        expect(totals.filter((entry: any) => entry.value === null).map((entry: any) => `${entry.kpi}: ${entry.reason}`)).toEqual([]);
        expect(totals.filter((entry: any) => entry.status === null).map((entry: any) => entry.kpi)).toEqual([]);
        const roles = result.roles.filter((entry: any) => entry.period === latest);
        expect(roles.length).toBeGreaterThan(5);
        expect(roles.filter((entry: any) => entry.score === null || entry.rating === null).map((entry: any) => entry.role)).toEqual([]);
        expect(result.warnings).toEqual([]);
    });

    it('has data for every metric the example declares', async () => {
        const model = await runKra(['build', 'examples/contact-centre', '--out', path.join(scratch, 'model')]);
        expect(model.code).toBe(0);
        const metrics = JSON.parse(readFileSync(path.join(scratch, 'model', 'kra-model.json'), 'utf8')).metrics.map((metric: any) => metric.id);
        const columns = new Set<string>();
        const dataDir = path.join(REPO, 'examples/contact-centre/data');
        for (const file of readdirSync(dataDir).filter(name => name.endsWith('.csv'))) {
            const lines = readFileSync(path.join(dataDir, file), 'utf8').trim().split('\n').map(line => line.split(',').map(cell => cell.trim()));
            lines[0].forEach(column => columns.add(column));
            // Long form: the metric ids are in the `metric` column.
            const metric = lines[0].indexOf('metric');
            if (metric >= 0) {
                lines.slice(1).forEach(cells => columns.add(cells[metric]));
            }
        }
        expect(metrics.filter((metric: string) => !columns.has(metric))).toEqual([]);
    });

    it('evaluates variants too, with a client\'s own target for that client', () => {
        const variant = result.kpis.filter((entry: any) => entry.variant === 'operations.service.service_level.excluding_short_abandons' && entry.period === '2026-12');
        expect(variant.find((entry: any) => entry.dimension === null)).toMatchObject({ achievement: null, achievementReason: 'no general target (only for initech)' });
        const initech = variant.find((entry: any) => entry.dimension === 'client' && entry.member === 'initech');
        expect(initech.target).toMatchObject({ client: 'initech' });
        expect(initech.achievement).toEqual(expect.any(Number));
    });

    it('shows the ratio of sums over teams: the total is not the mean of the teams', () => {
        const aht = result.kpis.filter((entry: any) => entry.kpi === 'operations.productivity.aht' && entry.period === '2026-12' && entry.variant === null);
        const teams = aht.filter((entry: any) => entry.dimension === 'team');
        const total = aht.find((entry: any) => entry.dimension === null);
        expect(teams).toHaveLength(4);
        const mean = teams.reduce((sum: number, entry: any) => sum + entry.value, 0) / teams.length;
        expect(Math.abs(total.value - mean)).toBeGreaterThan(0.01);
    });

    it('--period restricts the output, and a quarter rolls up from monthly data', async () => {
        const quarter = await runKra(['eval', ...EXAMPLE, '--format', 'json', '--period', '2026-Q4']);
        expect(quarter.code).toBe(0);
        const output = JSON.parse(quarter.stdout);
        expect(output.periods).toEqual([{ id: '2026-Q4', grain: 'quarter', start: '2026-10-01', end: '2026-12-31', inData: true, origin: 'asked', definitions: { from: 'files', commit: null, committed: null } }]);
        expect(output.kpis.every((entry: any) => entry.period === '2026-Q4')).toBe(true);
        const table = await runKra(['eval', ...EXAMPLE, '--period', '2026-07']);
        expect(table.stdout).toContain('scorecard for 2026-07');
    });

    it('--format csv is one table with a record column', async () => {
        const csv = await runKra(['eval', ...EXAMPLE, '--format', 'csv', '--period', '2026-12']);
        expect(csv.code).toBe(0);
        const lines = csv.stdout.trimEnd().split('\r\n');
        expect(lines[0]).toBe('record,period,role,kra,kpi,variant,dimension,member,value,unit,target,achievement,status,score,rating,reason,person,team,department,objective,change_previous,change_last_year,red_streak');
        expect(lines.some(line => line.startsWith('kpi,2026-12,,,operations.productivity.aht,,team,leeds_a,'))).toBe(true);
        expect(lines.some(line => /^role,2026-12,operations_manager,.*,\d+ [A-Z]/.test(line))).toBe(true);
        // A target that starts with a sign would run as a spreadsheet formula: it is quoted with '.
        expect(csv.stdout).toContain("'-8% year over year");
    });

    it('--format markdown prints the scorecard as tables', async () => {
        const markdown = await runKra(['eval', ...EXAMPLE, '--format', 'markdown']);
        expect(markdown.code).toBe(0);
        expect(markdown.stdout).toContain('# Northwind Contact Services: scorecard for 2026-12');
        expect(markdown.stdout).toContain('| KRA / KPI | weight | value | target | achievement | status | note |');
        expect(markdown.stdout).toContain('## By team');
    });
});

describe('kra eval on bad input', () => {
    const workspace = write('small', { 'acme.kra': SMALL });
    const goodData = 'period,calls_answered,calls_offered\n2026-06,88,100\n2026-07,0,0\n';

    it('checks the small workspace clean, evaluates it, and explains a zero denominator', async () => {
        const data = write('small-data', { 'calls.csv': goodData });
        const result = await runKra(['eval', workspace, '--data', path.join(data, 'calls.csv'), '--format', 'json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const output = JSON.parse(result.stdout);
        const june = output.kpis.find((entry: any) => entry.period === '2026-06');
        // 88 / 100 = 88%: amber; 88 / 90 × 100 = 97.78%.
        expect(june).toMatchObject({ value: 88, unit: 'percent', status: 'amber' });
        expect(june.achievement).toBeCloseTo(88 / 90 * 100, 6);
        expect(output.kpis.find((entry: any) => entry.period === '2026-07')).toMatchObject({ value: null, reason: 'zero denominator' });
        const july = await runKra(['eval', workspace, '--data', path.join(data, 'calls.csv'), '--period', '2026-07']);
        expect(july.code).toBe(0);
        expect(july.stdout).toContain('(zero denominator)');
    });

    it('exits 2 on bad data, naming file, row and column', async () => {
        const data = write('bad-data', { 'calls.csv': 'period,calls_answerd,calls_offered\n2026-07,1,=SUM(A1)\n07/2026,1,2\n' });
        const result = await runKra(['eval', workspace, '--data', data], { cwd: scratch });
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain("bad-data/calls.csv:1:2  error  unknown metric column 'calls_answerd'");
        expect(result.stderr).toContain("Did you mean 'calls_answered'?");
        expect(result.stderr).toContain("bad-data/calls.csv:2:3  error  column 'calls_offered': '=SUM(A1)' looks like a spreadsheet formula");
        expect(result.stderr).toContain("bad-data/calls.csv:3:1  error  column 'period': '07/2026' is not a period");
        expect(result.stderr).toContain('kra eval: 3 errors in the data; nothing was evaluated.');
    });

    it('exits 2 on bad JSON data, naming file and row', async () => {
        const data = write('bad-json', { 'calls.json': JSON.stringify([{ period: '2026-07', calls_offered: 'many' }]) });
        const result = await runKra(['eval', workspace, '--data', data], { cwd: scratch });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`bad-json/calls.json:1  error  key "calls_offered": 'many' is not a number`);
    });

    it('exits 2 when the data path is missing, empty of data files, or not .csv/.json', async () => {
        expect(await runKra(['eval', workspace, '--data', path.join(scratch, 'nowhere')])).toMatchObject({ code: 2, stderr: expect.stringContaining('does not exist') });
        const empty = write('no-data', { 'notes.txt': 'nothing here' });
        expect(await runKra(['eval', workspace, '--data', empty])).toMatchObject({ code: 2, stderr: expect.stringContaining('has no .csv, .json or raw data (.parquet, .csv.gz, .ndjson) files') });
        expect(await runKra(['eval', workspace, '--data', path.join(empty, 'notes.txt')])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a .csv or .json file, nor raw data (.parquet, .csv.gz, .ndjson)') });
    });

    it('--period takes a list and ranges of periods, and says what is wrong with one', async () => {
        const run = await runKra(['eval', ...EXAMPLE, '--format', 'json', '--period', '2026-Q1..2026-Q2,2026-10']);
        expect(run.code, run.stderr).toBe(0);
        expect((JSON.parse(run.stdout) as { periods: Array<{ id: string }> }).periods.map(period => period.id)).toEqual(['2026-Q1', '2026-Q2', '2026-10']);
        const mixed = await runKra(['eval', ...EXAMPLE, '--period', '2026-01..2026-Q2']);
        expect(mixed.code).toBe(2);
        expect(mixed.stderr).toBe("kra eval: --period '2026-01..2026-Q2' goes from a month to a quarter: a range has one grain.\n");
    });

    it('exits 2 on usage errors: no --data, a bad --period, an unknown format', async () => {
        const data = write('usage-data', { 'calls.csv': goodData });
        expect((await runKra(['eval', workspace])).code).toBe(2);
        const period = await runKra(['eval', workspace, '--data', data, '--period', '2026-7']);
        expect(period.code).toBe(2);
        expect(period.stderr).toContain("--period '2026-7' is not a period");
        expect((await runKra(['eval', workspace, '--data', data, '--format', 'xml'])).code).toBe(2);
    });

    it('exits 1 on a workspace with errors unless --allow-errors', async () => {
        const broken = write('broken', { 'acme.kra': SMALL.replace('formula safe_ratio(calls_answered, calls_offered)', 'formula safe_ratio(calls_answered, calls_ofered)') });
        const data = write('broken-data', { 'calls.csv': goodData });
        const refused = await runKra(['eval', broken, '--data', data]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('nothing was evaluated');
        const allowed = await runKra(['eval', broken, '--data', data, '--allow-errors', '--format', 'json']);
        expect(allowed.code).toBe(0);
        expect(JSON.parse(allowed.stdout).kpis[0].reason).toBe('unknown metric calls_ofered');
    });

    it('warns about a metric with no data, and explains the missing value', async () => {
        const data = write('partial-data', { 'calls.csv': 'period,calls_offered\n2026-07,100\n' });
        const result = await runKra(['eval', workspace, '--data', data, '--format', 'json']);
        expect(result.code).toBe(0);
        expect(result.stderr).toContain('warning: no data for metric calls_answered, used by ops.service.answer_rate');
        expect(JSON.parse(result.stdout).kpis[0]).toMatchObject({ value: null, reason: 'missing data: calls_answered in 2026-07' });
    });
});
