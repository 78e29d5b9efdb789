/**
 * Known answers for the formula language's conditions and scalar functions (docs/language.md,
 * "Conditionals" and "Functions"): `and`, `or` and `not` bind as in filters (`not`, then `and`,
 * then `or`); every comparison is evaluated, and one without a value leaves the condition, and
 * the `if`, without one. abs, round, floor, ceil and clamp compute in base units.
 */
import { URI } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import { formulaText } from '../src/formula-tree.js';
import type { KraModel } from '../src/model.js';
import { mergeData, parseDataFile } from '../src/evaluate/data.js';
import { evaluateModel } from '../src/evaluate/evaluate.js';
import type { EvaluationResult, KpiResult } from '../src/evaluate/result.js';

const KPIS: Record<string, string> = {
    both: 'if errors = 0 and close_days <= 3 days then 100% else 0%',
    either: 'if errors = 0 or close_days <= 3 days then 100% else 0%',
    neither: 'if not (errors > 0 or close_days > 3 days) then 100% else 0%',
    binding: 'if errors > 0 or close_days > 3 days and not errors >= 0 then 100% else 0%'
};

/** Scalar functions, stated in their own units. */
const FUNCTIONS: Record<string, [string, string]> = {
    accuracy: ['1 - safe_ratio(abs(forecast - actual), actual)', '%'],
    rounded_days: ['round(close_days / 86400, 1) * 86400', 'days'],
    whole_days_down: ['floor(close_days / 86400) * 86400', 'days'],
    whole_days_up: ['ceil(close_days / 86400) * 86400', 'days'],
    capped_attainment: ['clamp(safe_ratio(actual, forecast), 0%, 110%)', '%'],
    errors_last_quarter: ['errors over previous quarter', 'count'],
    errors_last_month: ['errors over previous month', 'count']
};

const SOURCE = `metric errors { unit count additive }
metric close_days { unit days aggregate by max }
metric forecast { unit USD additive }
metric actual { unit USD additive }

department finance "Finance" {
  kra closing "Closing" {
${Object.entries(KPIS).map(([id, formula]) => `    kpi ${id} "${id}" {
      formula ${formula}
      unit %
      higher is better
      target at least 90% by 2026-12-31
    }`).join('\n')}
${Object.entries(FUNCTIONS).map(([id, [formula, unit]]) => `    kpi ${id} "${id}" {
      formula ${formula}
      unit ${unit}
      higher is better
      target at least 1 ${unit} by 2026-12-31
    }`).join('\n')}
  }
}
`;

let model: KraModel;

beforeAll(async () => {
    const workspace = await buildWorkspace({ 'ws.kra': SOURCE });
    expect(workspace.diagnostics().filter(diagnostic => diagnostic.severity === 1)).toEqual([]);
    const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    model = compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
});

// 2026-01: no errors, closed in 2 days. 2026-02: no errors, 5 days. 2026-03: 2 errors, 2 days.
// 2026-04: 1 error, 6 days. 2026-05: errors unknown, 2 days.
const DATA = `period,errors,close_days,forecast,actual
2026-01,0,2,100,80
2026-02,0,5,100,125
2026-03,2,2.25,100,100
2026-04,1,6,100,0
2026-05,,2.5,100,100
`;

function evaluate(): EvaluationResult {
    const data = mergeData([parseDataFile(DATA, { file: 'close.csv', metrics: model.metrics.map(metric => metric.id) })]);
    return evaluateModel(model, data, {});
}

function kpi(result: EvaluationResult, id: string, period: string): KpiResult {
    return result.kpis.find(entry => entry.kpi === `finance.closing.${id}` && entry.period === period && entry.member === null && entry.variant === null)!;
}

describe('conditions with and, or and not', () => {
    it('gives the known answers month by month', () => {
        const result = evaluate();
        const table = Object.fromEntries(Object.keys(KPIS).map(id => [id, ['2026-01', '2026-02', '2026-03', '2026-04'].map(period => kpi(result, id, period).value)]));
        expect(table).toEqual({
            both: [100, 0, 0, 0],
            either: [100, 100, 100, 0],
            neither: [100, 0, 0, 0],
            // errors > 0 or (close_days > 3 and not errors >= 0): the second part never holds.
            binding: [0, 0, 100, 100]
        });
    });

    it('gives no value when a comparison has none, whatever the other parts would decide', () => {
        const result = evaluate();
        for (const id of Object.keys(KPIS)) {
            const may = kpi(result, id, '2026-05');
            expect(may.value, id).toBeNull();
            expect(may.reason, id).toMatch(/^missing data: errors in 2026-05/);
        }
    });

    it('compiles conditions as trees, one list per connective, and writes them back in canonical form', () => {
        const formula = (id: string) => model.kpis.find(entry => entry.id === `finance.closing.${id}`)!.formula!;
        const binding = formula('binding').tree;
        expect(binding.kind === 'if' && binding.condition.kind).toBe('or');
        expect(formulaText(binding)).toBe('if errors > 0 or close_days > 3 days and not errors >= 0 then 100% else 0%');
        expect(formulaText(formula('neither').tree)).toBe('if not (errors > 0 or close_days > 3 days) then 100% else 0%');
        expect(formulaText(formula('both').tree)).toBe('if errors = 0 and close_days <= 3 days then 100% else 0%');
    });
});

describe('abs, round, floor, ceil and clamp', () => {
    it('gives the known answers month by month', () => {
        const result = evaluate();
        const table = Object.fromEntries(Object.keys(FUNCTIONS).filter(id => !id.startsWith('errors_')).map(id => [id, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'].map(period => kpi(result, id, period).value)]));
        expect(table).toEqual({
            // 1 - |f - a| / a: 1 - 20/80, 1 - 25/125, 1 - 0, no value (zero actual), 1 - 0.
            accuracy: [75, 80, 100, null, 100],
            // Days are seconds inside a formula: dividing by 86400 gives days, rounded to 0.1.
            rounded_days: [2, 5, 2.3, 6, 2.5],
            whole_days_down: [2, 5, 2, 6, 2],
            whole_days_up: [2, 5, 3, 6, 3],
            // actual / forecast within 0% to 110%: 80%, 125% capped, 100%, 0%, 100%.
            capped_attainment: [80, 110, 100, 0, 100]
        });
        expect(kpi(result, 'accuracy', '2026-04').reason).toBe('zero denominator');
    });
});

describe('fixed-grain windows', () => {
    it('take the whole calendar quarter or month before, whatever the grain of the period reported', () => {
        const monthly = evaluate();
        // April and May 2026 lie in Q2: the previous quarter is Q1 (0 + 0 + 2 errors).
        expect(kpi(monthly, 'errors_last_quarter', '2026-04').value).toBe(2);
        expect(kpi(monthly, 'errors_last_quarter', '2026-05').value).toBe(2);
        expect(kpi(monthly, 'errors_last_month', '2026-04').value).toBe(2);
        // Q4 2025 has no data.
        expect(kpi(monthly, 'errors_last_quarter', '2026-03').reason).toMatch(/^missing data: errors in 2025-/);
        const data = mergeData([parseDataFile(DATA, { file: 'close.csv', metrics: model.metrics.map(metric => metric.id) })]);
        const quarterly = evaluateModel(model, data, { periods: ['2026-Q2', '2026'] });
        expect(kpi(quarterly, 'errors_last_quarter', '2026-Q2').value).toBe(2);
        expect(kpi(quarterly, 'errors_last_month', '2026-Q2').reason).toBe('2026-Q2 is longer than one month, so previous month is not defined for it');
        expect(kpi(quarterly, 'errors_last_quarter', '2026').reason).toBe('2026 is longer than one quarter, so previous quarter is not defined for it');
    });

    it('compile to their own window kinds and write back as written', () => {
        const formula = model.kpis.find(entry => entry.id === 'finance.closing.errors_last_quarter')!.formula!;
        expect(formula.tree.kind === 'window' && formula.tree.window).toEqual({ kind: 'previous', grain: 'quarter' });
        expect(formulaText(formula.tree)).toBe('errors over previous quarter');
    });
});
