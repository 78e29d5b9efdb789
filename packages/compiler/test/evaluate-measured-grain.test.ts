/**
 * Known answers for a KPI evaluated at its own grain (docs/evaluation.md, "Measured at its own
 * grain"): a KPI `measured quarterly` has no row for a month; by default the whole quarters that
 * monthly data covers are added to the periods; the KRA score of a month leaves the KPI out; a
 * run whose periods are all too short for a KPI warns; `over previous period` of a quarterly KPI
 * is the quarter before.
 */
import { URI } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { focusPeriod } from '@kra-lang/semantics';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import type { KraModel } from '../src/model.js';
import { mergeData, parseDataFile } from '../src/evaluate/data.js';
import { evaluateModel, type EvaluateOptions } from '../src/evaluate/evaluate.js';
import type { EvaluationResult } from '../src/evaluate/result.js';

const SOURCE = `metric revenue { unit USD additive }
metric calls { unit count additive }

department sales "Sales" {
  kra growth "Growth" {
    kpi revenue_qoq "Revenue growth, quarter over quarter" {
      formula safe_ratio(revenue - revenue over previous period, revenue over previous period)
      unit %
      higher is better
      target at least 10% by 2026-12-31
      measured quarterly
      weight 50%
    }
    kpi volume "Calls" {
      formula calls
      unit count
      higher is better
      target at least 100 count by 2026-12-31
      measured monthly
      weight 50%
    }
  }
  kra annual "Annual" {
    kpi revenue_year "Revenue in the year" {
      formula revenue
      unit USD
      higher is better
      target at least 1 USD by 2026-12-31
      measured yearly
    }
  }
}
`;

// January to August 2026: Q1 and Q2 are whole, Q3 is not.
const DATA = `period,revenue,calls
2026-01,100,100
2026-02,100,100
2026-03,100,100
2026-04,110,100
2026-05,120,100
2026-06,130,100
2026-07,100,100
2026-08,100,100
`;

let model: KraModel;

beforeAll(async () => {
    const workspace = await buildWorkspace({ 'ws.kra': SOURCE });
    expect(workspace.diagnostics().filter(diagnostic => diagnostic.severity === 1)).toEqual([]);
    const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    model = compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
});

function evaluate(options: EvaluateOptions = {}, text = DATA): EvaluationResult {
    const data = mergeData([parseDataFile(text, { file: 'sales.csv', metrics: model.metrics.map(metric => metric.id) })]);
    return evaluateModel(model, data, options);
}

const periodsOf = (result: EvaluationResult, kpi: string) =>
    result.kpis.filter(entry => entry.kpi === `sales.${kpi}` && entry.dimension === null && entry.variant === null).map(entry => entry.period);

describe('a KPI measured at a coarser grain than the data', () => {
    it('by default adds the whole quarters the data covers, and only those', () => {
        const result = evaluate();
        expect(result.periods.map(period => `${period.id} ${period.origin}`)).toEqual([
            '2026-01 data', '2026-02 data', '2026-03 data', '2026-Q1 cadence', '2026-04 data', '2026-05 data', '2026-06 data', '2026-Q2 cadence', '2026-07 data', '2026-08 data'
        ]);
        expect(result.periods.find(period => period.id === '2026-Q1')).toMatchObject({ inData: false, grain: 'quarter' });
        // No year is whole, so the KPI measured yearly has no period: a warning says how to ask for one.
        expect(periodsOf(result, 'annual.revenue_year')).toEqual([]);
        expect(result.warnings).toContain('sales.annual.revenue_year is measured yearly: no period reported is long enough, so it has no value; ask for one with --period (such as 2026)');
    });

    it('has no row for a month; a monthly KPI has rows for months and quarters', () => {
        const result = evaluate();
        expect(periodsOf(result, 'growth.revenue_qoq')).toEqual(['2026-Q1', '2026-Q2']);
        expect(periodsOf(result, 'growth.volume')).toEqual(['2026-01', '2026-02', '2026-03', '2026-Q1', '2026-04', '2026-05', '2026-06', '2026-Q2', '2026-07', '2026-08']);
    });

    it('compares a quarter with the quarter before: over previous period follows the KPI grain', () => {
        const result = evaluate();
        const value = (period: string) => result.kpis.find(entry => entry.kpi === 'sales.growth.revenue_qoq' && entry.period === period && entry.dimension === null)!;
        // Q2 360 over Q1 300: +20%. Q1 has no quarter before it in the data.
        expect(value('2026-Q2').value).toBe(20);
        expect(value('2026-Q1').value).toBeNull();
        expect(value('2026-Q1').reason).toMatch(/missing data|no data/);
    });

    it('scores a month without the KPI, with a note, and a quarter with it', () => {
        const result = evaluate();
        const growth = (period: string) => result.kras.find(entry => entry.kra === 'sales.growth' && entry.period === period)!;
        expect(growth('2026-05')).toMatchObject({ score: 100, reason: null });
        expect(growth('2026-05').kpis.map(entry => [entry.kpi, entry.included])).toEqual([['sales.growth.revenue_qoq', false], ['sales.growth.volume', true]]);
        expect(growth('2026-05').notes).toEqual([
            'sales.growth.revenue_qoq left out: measured quarterly: no value for a month',
            'weights renormalised over the KPIs that have an achievement'
        ]);
        // Q2: growth 20% against 10% (capped at 150%), volume 300 against 100 (capped): both in.
        expect(growth('2026-Q2').kpis.every(entry => entry.included)).toBe(true);
        const yearly = result.kras.find(entry => entry.kra === 'sales.annual' && entry.period === '2026-05')!;
        expect(yearly).toMatchObject({ score: null, reason: 'no KPI of the KRA is measured per month' });
    });

    it('adds no period when periods are asked for, and warns about each KPI none of them can measure', () => {
        const result = evaluate({ periods: ['2026-05'] });
        expect(result.periods.map(period => `${period.id} ${period.origin}`)).toEqual(['2026-05 asked']);
        expect(result.warnings).toEqual([
            'sales.annual.revenue_year is measured yearly: no period reported is long enough, so it has no value; ask for one with --period (such as 2026)',
            'sales.growth.revenue_qoq is measured quarterly: no period reported is long enough, so it has no value; ask for one with --period (such as 2026-Q2)'
        ]);
        const asked = evaluate({ periods: ['2026-05', '2026-Q2', '2026'] });
        expect(periodsOf(asked, 'growth.revenue_qoq')).toEqual(['2026-Q2', '2026']);
        expect(periodsOf(asked, 'annual.revenue_year')).toEqual(['2026']);
        expect(asked.warnings).toEqual([]);
    });

    it('counts only data as fine as the grain: a month covers no day, and quarterly data covers its quarter', () => {
        const quarterly = evaluate({}, 'period,revenue,calls\n2026-Q1,300,300\n2026-Q2,360,300\n');
        expect(quarterly.periods.map(period => `${period.id} ${period.origin}`)).toEqual(['2026-Q1 data', '2026-Q2 data']);
        expect(periodsOf(quarterly, 'growth.revenue_qoq')).toEqual(['2026-Q1', '2026-Q2']);
        const twelve = evaluate({}, `period,revenue,calls\n${Array.from({ length: 12 }, (_, index) => `2025-${String(index + 1).padStart(2, '0')},100,100`).join('\n')}\n`);
        expect(twelve.periods.filter(period => period.origin === 'cadence').map(period => period.id)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2025']);
        expect(periodsOf(twelve, 'annual.revenue_year')).toEqual(['2025']);
    });

    it('focuses a scorecard on the last month of monthly data, not on the quarter that ends with it', () => {
        const result = evaluate({}, DATA.replace('2026-07,100,100\n2026-08,100,100\n', ''));
        expect(result.periods.at(-1)!.id).toBe('2026-Q2');
        expect(focusPeriod(result.periods)!.id).toBe('2026-06');
        expect(focusPeriod(evaluate({ periods: ['2026-06', '2026-Q2'] }).periods)!.id).toBe('2026-Q2');
    });
});
