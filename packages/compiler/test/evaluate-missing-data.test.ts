/**
 * Known answers on partial data (docs/evaluation.md, "Missing data"): a total, a roll-up or an
 * aggregate over members that lacks a member's value for a metric it needs is null with a
 * reason naming the metric, the member and the period, never a sum of the other members;
 * `missing as zero` makes an empty cell count as 0.
 */
import { URI } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import type { KraModel } from '../src/model.js';
import { mergeData, parseDataFile } from '../src/evaluate/data.js';
import { evaluateModel, nonFiniteNumbers, type EvaluateOptions } from '../src/evaluate/evaluate.js';
import type { EvaluationResult, KpiResult } from '../src/evaluate/result.js';
import { validateEvaluation } from '../src/evaluate/schema.js';

const SOURCE = `metric talk_time { unit seconds additive }
metric calls_handled { unit count additive }
metric csat_responses { unit count additive }
metric csat_satisfied { unit count additive }
metric complaints { unit count additive missing as zero }
metric lowest_staffing { unit count aggregate by min missing as zero }

department ops "Operations" {
  kra service "Service" {
    kpi aht "Average handle time" {
      formula safe_ratio(talk_time, calls_handled)
      unit seconds
      lower is better
      target at most 360 s by 2026-12-31
    }
    kpi csat "CSAT" {
      formula safe_ratio(csat_satisfied, csat_responses)
      unit %
      higher is better
      target at least 85% by 2026-12-31
    }
    kpi team_aht "Mean of the teams' AHT" {
      formula avg(aht)
      unit seconds
      lower is better
      target at most 360 s by 2026-12-31
    }
    kpi complaint_count "Complaints" {
      formula complaints
      unit count
      lower is better
      target at most 10 by 2026-12-31
    }
    kpi staffing "Lowest staffing" {
      formula lowest_staffing
      unit count
      higher is better
      target at least 5 by 2026-12-31
    }
  }
}
`;

let model: KraModel;

beforeAll(async () => {
    const workspace = await buildWorkspace({ 'ws.kra': SOURCE });
    const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    model = compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
    expect(workspace.diagnostics().filter(diagnostic => diagnostic.severity === 1)).toEqual([]);
});

function evaluate(files: Record<string, string>, options: EvaluateOptions = {}): EvaluationResult {
    const data = mergeData(Object.entries(files).map(([file, text]) => parseDataFile(text, { file, metrics: model.metrics.map(metric => metric.id) })));
    expect(data.problems.filter(problem => problem.severity === 'error')).toEqual([]);
    const result = evaluateModel(model, data, options);
    expect(validateEvaluation(result)).toEqual([]);
    expect(nonFiniteNumbers(result)).toEqual([]);
    return result;
}

function kpi(result: EvaluationResult, id: string, period: string, member: string | null = null): KpiResult {
    const found = result.kpis.find(entry => entry.kpi === `ops.service.${id}` && entry.period === period && entry.member === member && entry.variant === null);
    expect(found, `${id} ${period} ${member}`).toBeDefined();
    return found!;
}

// Team b leaves calls_handled and csat_responses empty in July. Summed around, total AHT would
// be (120000 + 118800) / 400 = 597 s and total CSAT (90 + 46) / 100 = 136 %.
const CALLS = `period,team,talk_time,calls_handled,csat_responses,csat_satisfied,complaints,lowest_staffing
2026-06,a,100000,400,100,80,2,7
2026-06,b,90000,300,50,40,1,6
2026-07,a,120000,400,100,90,3,8
2026-07,b,118800,,,46,,
`;

describe('missing data is never summed around', () => {
    it('gives a total that lacks a member\'s value as null, naming the metric, the member, the period and the cell', () => {
        const result = evaluate({ 'calls.csv': CALLS });
        const aht = kpi(result, 'aht', '2026-07');
        expect(aht.value).toBeNull();
        expect(aht.reason).toBe('missing data: calls_handled in 2026-07 for team b (an empty cell at calls.csv:5)');
        expect(aht.achievement).toBeNull();
        const csat = kpi(result, 'csat', '2026-07');
        expect(csat.value).toBeNull();
        expect(csat.reason).toBe('missing data: csat_responses in 2026-07 for team b (an empty cell at calls.csv:5)');
    });

    it('still computes the members that have their values, and the periods that are complete', () => {
        const result = evaluate({ 'calls.csv': CALLS });
        expect(kpi(result, 'aht', '2026-07', 'a').value).toBe(300);
        expect(kpi(result, 'aht', '2026-07', 'b').reason).toBe('missing data: calls_handled in 2026-07 for team b (an empty cell at calls.csv:5)');
        // June: (100000 + 90000) / (400 + 300).
        expect(kpi(result, 'aht', '2026-06').value).toBeCloseTo(271.428571, 5);
        expect(kpi(result, 'csat', '2026-06').value).toBe(80);
    });

    it('gives a roll-up over periods that lacks a member\'s value as null, naming the month', () => {
        const quarter = 'period,team,talk_time,calls_handled\n2026-04,a,100,1\n2026-04,b,100,1\n2026-05,a,100,1\n2026-05,b,100,\n2026-06,a,100,1\n2026-06,b,100,1\n';
        const result = evaluate({ 'calls.csv': quarter }, { periods: ['2026-Q2'] });
        expect(kpi(result, 'aht', '2026-Q2').reason).toBe('missing data: calls_handled in 2026-05 for team b (an empty cell at calls.csv:5)');
        expect(kpi(result, 'aht', '2026-Q2', 'a').value).toBe(100);
    });

    it('gives an average over members that lacks a member\'s value as null too, not the mean of the others', () => {
        const result = evaluate({ 'calls.csv': CALLS });
        const mean = kpi(result, 'team_aht', '2026-07');
        expect(mean.value).toBeNull();
        expect(mean.reason).toBe('missing data: calls_handled in 2026-07 for team b (an empty cell at calls.csv:5)');
        // June has every value: (250 + 300) / 2.
        expect(kpi(result, 'team_aht', '2026-06').value).toBe(275);
    });

    it('counts an empty cell as 0 for a metric declared `missing as zero`: the sum with zeros', () => {
        const result = evaluate({ 'calls.csv': CALLS });
        expect(kpi(result, 'complaint_count', '2026-07').value).toBe(3);
        expect(kpi(result, 'complaint_count', '2026-07', 'b').value).toBe(0);
        expect(kpi(result, 'complaint_count', '2026-06').value).toBe(3);
        // Aggregated by min over members, the zero is the minimum.
        expect(kpi(result, 'staffing', '2026-07').value).toBe(0);
        expect(kpi(result, 'staffing', '2026-06').value).toBe(6);
    });

    it('takes a value another file gives for the member whose cell is empty', () => {
        const result = evaluate({ 'calls.csv': CALLS, 'late.csv': 'period,team,calls_handled,csat_responses\n2026-07,b,396,80\n' });
        // (120000 + 118800) / (400 + 396) and (90 + 46) / (100 + 80).
        expect(kpi(result, 'aht', '2026-07').value).toBe(300);
        expect(kpi(result, 'csat', '2026-07').value).toBeCloseTo(75.5556, 4);
    });

    it('takes the breakdown another file gives for a total left empty', () => {
        const result = evaluate({
            'totals.csv': 'period,calls_handled,talk_time\n2026-07,,238800\n',
            'teams.csv': 'period,team,calls_handled\n2026-07,a,400\n2026-07,b,396\n'
        });
        expect(kpi(result, 'aht', '2026-07').value).toBe(300);
    });

    it('reads JSON nulls and keys left out of a row as empty cells', () => {
        const json = JSON.stringify([
            { period: '2026-07', team: 'a', talk_time: 120000, calls_handled: 400 },
            { period: '2026-07', team: 'b', talk_time: 118800, calls_handled: null },
            { period: '2026-08', team: 'a', talk_time: 100000, calls_handled: 400 },
            { period: '2026-08', team: 'b', talk_time: 90000 }
        ]);
        const result = evaluate({ 'calls.json': json });
        expect(kpi(result, 'aht', '2026-07').reason).toBe('missing data: calls_handled in 2026-07 for team b (an empty cell at calls.json row 2)');
        expect(kpi(result, 'aht', '2026-08').reason).toBe('missing data: calls_handled in 2026-08 for team b (an empty cell at calls.json row 4)');
    });

    it('treats a row whose cells are all empty as missing data for its members, without reporting its period', () => {
        const data = 'period,team,talk_time,calls_handled\n2026-07,a,120000,400\n2026-07,b,,\n2026-08,a,,\n';
        const parsed = parseDataFile(data, { file: 'calls.csv', metrics: model.metrics.map(metric => metric.id) });
        expect(parsed.problems.map(problem => `${problem.row} ${problem.severity} ${problem.message}`)).toEqual([
            '3 warning no metric values for 2026-07: every metric of the file is missing data for this row\'s period and members',
            '4 warning no metric values for 2026-08: every metric of the file is missing data for this row\'s period and members'
        ]);
        const result = evaluate({ 'calls.csv': data });
        expect(result.periods.map(period => period.id)).toEqual(['2026-07']);
        expect(kpi(result, 'aht', '2026-07').reason).toBe('missing data: talk_time in 2026-07 for team b (an empty cell at calls.csv:3)');
    });

    it('names the first member and counts the others when several leave the cell empty', () => {
        const result = evaluate({ 'calls.csv': 'period,team,talk_time,calls_handled\n2026-07,a,100,\n2026-07,b,100,\n2026-07,c,100,1\n' });
        expect(kpi(result, 'aht', '2026-07').reason).toBe('missing data: calls_handled in 2026-07 for team a (an empty cell at calls.csv:2 and 1 more row)');
    });
});
