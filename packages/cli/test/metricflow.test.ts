/**
 * `kra export metricflow`: the contact centre's semantic models and metrics, valid against dbt's
 * published JSON Schema for YAML files (fixtures/dbt-jsonschema, Apache-2.0), with known
 * metrics and the KPIs it cannot express listed with the reason.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const SCHEMA = path.join(REPO, 'packages/cli/test/fixtures/dbt-jsonschema/dbt_yml_files-latest.json');

describe('kra export metricflow', { timeout: 120_000 }, () => {
    const scratch = scratchFolder('kra-mf-');

    it('writes semantic models and metrics that dbt\'s JSON Schema accepts, listing the KPIs it cannot express', async () => {
        const out = path.join(scratch.root, 'contact-centre');
        const run = await runKra(['export', 'metricflow', 'examples/contact-centre', '--out', out]);
        expect(run.code, run.stderr).toBe(0);
        const text = readFileSync(path.join(out, 'kra_metricflow.yml'), 'utf8');
        const document = parse(text) as { semantic_models: Array<Record<string, any>>; metrics: Array<Record<string, any>> };

        const ajv = new Ajv({ strict: false, allErrors: true });
        const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
        expect(validate(document), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
        // The schema does constrain: a name with a double underscore or an unknown key fails.
        expect(validate({ metrics: [{ name: 'bad__name', label: 'x', type: 'simple', type_params: { measure: 'x' } }] })).toBe(false);
        expect(validate({ semantic_models: [{ name: 'ok', model: "ref('x')", unknown_key: 1 }] })).toBe(false);

        expect(document.semantic_models.map(model => model.name)).toEqual(['calls', 'cases', 'csat_answers', 'shifts', 'surveys']);
        const calls = document.semantic_models[0];
        expect(calls.model).toBe("ref('calls')");
        expect(calls.dimensions).toContainEqual({ name: 'interval_start', type: 'time', type_params: { time_granularity: 'month' } });
        expect(calls.measures).toContainEqual(expect.objectContaining({ name: 'calls_offered', agg: 'sum', expr: 'CASE WHEN "direction" = \'inbound\' THEN offered END' }));
        const metric = (name: string) => document.metrics.find(candidate => candidate.name === name);
        expect(metric('calls_offered')).toMatchObject({ type: 'simple', type_params: { measure: 'calls_offered' } });
        expect(metric('operations_productivity_aht')).toMatchObject({
            type: 'derived',
            type_params: { expr: '(((talk_time + hold_time) + after_call_work) / NULLIF(calls_handled, 0))' }
        });
        // Metrics whose values come aggregated have no semantic model: their KPIs are listed.
        expect(metric('finance_profitability_ebitda_margin')).toBeUndefined();
        expect(text).toContain('# Not exported: KPI finance.profitability.ebitda_margin: metric revenue is not measured from a source.');
        expect(run.stderr).toContain('note: KPI finance.profitability.ebitda_margin is not exported: metric revenue is not measured from a source');
    });

    it('states a ratio of two metrics as a ratio metric, a previous-period window as an offset, rolling and to-date windows as cumulative metrics', async () => {
        const dir = scratch.write('small', {
            'ws.kra': `
source calls { table "ops"."calls" period from day team from team column day is date column outcome is text column seconds is number }
metric handled { unit count additive measured as count of calls where outcome = "handled" }
metric talk { unit count additive measured as sum of seconds in calls }
kpi per_call "Talk per call" { formula safe_ratio(talk, handled) }
kpi growth "Growth" { formula handled - handled over previous period }
kpi median_talk "Median" { formula median(talk) }
kpi recent "Talk per call, last 3 months" { formula safe_ratio(talk over rolling 3 months, handled over rolling 3 months) }
kpi so_far "Handled this quarter" { formula handled over quarter to date }
kpi last_days "Talk, last 30 days" { formula talk over rolling 30 days }
`
        });
        const out = path.join(scratch.root, 'small-out');
        expect((await runKra(['export', 'metricflow', dir, '--out', out, '--allow-errors'])).code).toBe(0);
        const document = parse(readFileSync(path.join(out, 'kra_metricflow.yml'), 'utf8')) as { metrics: Array<Record<string, any>> };
        expect(document.metrics.find(m => m.name === 'per_call')).toMatchObject({ type: 'ratio', type_params: { numerator: 'talk', denominator: 'handled' } });
        expect(document.metrics.find(m => m.name === 'growth')).toMatchObject({
            type: 'derived',
            type_params: { expr: '(handled - handled_1_month)', metrics: [{ name: 'handled' }, { name: 'handled', alias: 'handled_1_month', offset_window: '1 month' }] }
        });
        expect(document.metrics.find(m => m.name === 'median_talk')).toBeUndefined();
        // Rolling and to-date windows: one cumulative metric per metric and window, shared by the KPIs that need it.
        expect(document.metrics.find(m => m.name === 'talk_rolling_3_months')).toEqual({
            name: 'talk_rolling_3_months', label: 'talk, rolling 3 months', type: 'cumulative',
            type_params: { measure: 'talk', cumulative_type_params: { window: '3 months' } }
        });
        expect(document.metrics.find(m => m.name === 'recent')).toMatchObject({
            type: 'derived',
            type_params: { expr: '(talk_rolling_3_months / NULLIF(handled_rolling_3_months, 0))', metrics: [{ name: 'talk_rolling_3_months' }, { name: 'handled_rolling_3_months' }] }
        });
        expect(document.metrics.find(m => m.name === 'handled_quarter_to_date')).toMatchObject({
            type: 'cumulative', type_params: { measure: 'handled', cumulative_type_params: { grain_to_date: 'quarter' } }
        });
        expect(document.metrics.find(m => m.name === 'so_far')).toMatchObject({ type: 'derived', type_params: { expr: 'handled_quarter_to_date' } });
        // 30 days on monthly data: kra rounds to whole months, a MetricFlow window would not.
        expect(document.metrics.find(m => m.name === 'last_days')).toBeUndefined();
        expect(readFileSync(path.join(out, 'kra_metricflow.yml'), 'utf8')).toContain('# Not exported: KPI last_days: rolling days on data by month is rounded to whole periods by kra');
        const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
        expect(validate(document), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    });
});
