/**
 * Hostile shapes of the formula graph (issue 14): 45 KPIs where k(i) = k(i-1) + k(i-1). Each
 * KPI is evaluated once per period and scope, whatever the number of formulas that use it, and
 * the SQL and MetricFlow writers, which write the KPIs a formula uses out in it, refuse a
 * formula that would be written out exponentially large. Loops and over-long chains are found
 * on the graph before evaluation. Behaviour only; the time is measured by bench/.
 */
import { URI } from 'langium';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import type { KraModel } from '../src/model.js';
import { mergeData, parseDataFile } from '../src/evaluate/data.js';
import { evaluateModel } from '../src/evaluate/evaluate.js';
import { FormulaEvaluator } from '../src/evaluate/formulas.js';
import { DIALECT, workspaceSql } from '../src/sql/index.js';
import { exportMetricFlow } from '../src/metricflow/export.js';
import { MAX_INLINED_NODES } from '../src/formula-graph.js';

const COUNT = 45;

const SOURCE = [
    'source events { file "events.csv" period from day team from team column day is date column team is text column n is number }',
    'metric calls "Calls" { unit count measured as sum of n in events }',
    ...Array.from({ length: COUNT + 1 }, (_, i) => `kpi k${i} "K${i}" { formula ${i === 0 ? 'calls' : `k${i - 1} + k${i - 1}`} unit count }`)
].join('\n');

async function compile(text: string): Promise<KraModel> {
    const workspace = await buildWorkspace({ 'ws.kra': text });
    const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    return compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
}

afterEach(() => {
    vi.restoreAllMocks();
});

describe('a fan-out of 45 KPIs, each using the previous one twice', () => {
    it('evaluates to 2^45 times the data, computing each KPI once per period and scope', async () => {
        const model = await compile(SOURCE);
        const data = mergeData([parseDataFile('period,team,calls\n2026-01,north,1\n2026-01,south,2\n', { file: 'calls.csv', metrics: ['calls'] })]);
        const uses = vi.spyOn(FormulaEvaluator.prototype, 'evaluateKpi');
        const result = evaluateModel(model, data, { periods: ['2026-01'] });
        // Results keep 12 significant digits (docs/evaluation.md).
        const ratio = (member: string | null, base: number) => result.kpis.find(kpi => kpi.kpi === `k${COUNT}` && kpi.member === member)!.value! / (2 ** COUNT * base);
        expect(ratio(null, 3)).toBeCloseTo(1, 10);
        expect(ratio('north', 1)).toBeCloseTo(1, 10);
        expect(ratio('south', 2)).toBeCloseTo(1, 10);
        // Each KPI is computed once per context (period, span, scope: the trends and targets
        // ask for earlier periods too), and asked for at most three times in each: once as a
        // measure and twice by the next KPI's formula. Without the memo it would be 2^46 times.
        const evaluator = uses.mock.contexts[0] as FormulaEvaluator;
        expect(evaluator.computed % (COUNT + 1)).toBe(0);
        expect(evaluator.computed).toBeGreaterThanOrEqual(3 * (COUNT + 1));
        expect(uses.mock.calls.length).toBeLessThanOrEqual(3 * evaluator.computed);
    });

    it('SQL and MetricFlow leave out the KPIs too large to write out, and say why', async () => {
        const model = await compile(SOURCE);
        // Written out, k(i) has 2^(i+1) - 1 terms: k11 has 4095, k12 has 8191.
        const tooLarge = Array.from({ length: COUNT + 1 }, (_, i) => i).filter(i => 2 ** (i + 1) - 1 > MAX_INLINED_NODES).map(i => `k${i}`);
        expect(tooLarge[0]).toBe('k12');
        const sql = workspaceSql(model, DIALECT.duckdb);
        expect(sql.omitted.map(entry => entry.kpi)).toEqual(tooLarge);
        expect(sql.omitted[0].reason).toMatch(/would have more than 5000 terms.*compute the KPI with kra eval/);
        expect(sql.sql).toContain("'k11' AS");
        expect(sql.sql.length).toBeLessThan(1_000_000);
        const flow = exportMetricFlow(model);
        expect(flow.omitted.map(entry => entry.kpi)).toEqual(tooLarge);
    });
});

describe('loops and chains, found on the graph', () => {
    it('each KPI of a loop of 300 has no value, with the loop from itself, shortened', async () => {
        const count = 300;
        const lines = ['metric calls "Calls" { unit count }'];
        for (let i = 0; i < count; i++) {
            lines.push(`kpi k${i} { formula k${(i + 1) % count} + calls unit count }`);
        }
        lines.push(`kpi outside { formula k7 * 2 unit count }`);
        const model = await compile(lines.join('\n'));
        const data = mergeData([parseDataFile('period,calls\n2026-01,1\n', { file: 'calls.csv', metrics: ['calls'] })]);
        const result = evaluateModel(model, data);
        const reason = (id: string) => result.kpis.find(kpi => kpi.kpi === id)!.reason;
        expect(reason('k7')).toBe('cycle: k7 → k8 → k9 → k10 → … (300 KPIs in all) → k4 → k5 → k6 → k7');
        expect(reason('k0')).toBe('cycle: k0 → k1 → k2 → k3 → … (300 KPIs in all) → k297 → k298 → k299 → k0');
        // A KPI that uses the loop, but is not in it, gets the reason of the KPI it uses.
        expect(reason('outside')).toBe(reason('k7'));
    });
});
