/**
 * Whatever `kra check` accepts, `kra eval` computes, unit-wise: over generated formulas on
 * metrics in many units, stated in simple, compound or no units, and evaluated on complete
 * synthetic data, a KPI is refused for units exactly when `kra check` reports units/mismatch on
 * its formula or its `unit` line. Both sides use the semantics kernel; this test keeps them one.
 */
import fc from 'fast-check';
import { URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import { mergeData, parseDataFile } from '../src/evaluate/data.js';
import { evaluateModel } from '../src/evaluate/evaluate.js';

/** Metrics, one per unit (by name or symbol); each has a value in the data. */
const METRICS: ReadonlyArray<readonly [string, string]> = [
    ['talk', 'seconds'], ['wait', 'min'], ['paid', 'h'], ['offered', 'count'], ['answered', 'calls'], ['staff', 'agents'],
    ['cost', 'USD'], ['fee', 'EUR'], ['quality', '%'], ['nps', 'score'], ['share', 'ratio']
];

const LITERALS = ['2', '30 s', '5 min', '85%', '10 USD', '3 calls', '4 agent'];

/** Units a KPI may state: none, one unit, or a compound. */
const STATED = [
    null, 'seconds', 'min', 'count', 'calls', '%', 'score', 'USD', 'EUR', 'agents',
    'USD per h', 'calls per agent', 'count per count', 'seconds per USD', 'calls per h', 'min per calls'
];

const formula: fc.Arbitrary<string> = fc.letrec<{ expression: string }>(tie => ({
    expression: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(...METRICS.map(([name]) => name)),
        fc.constantFrom(...LITERALS),
        fc.tuple(tie('expression'), fc.constantFrom('+', '-', '*', '/'), tie('expression')).map(([a, operator, b]) => `(${a} ${operator} ${b})`),
        fc.tuple(tie('expression'), tie('expression')).map(([a, b]) => `safe_ratio(${a}, ${b})`),
        fc.tuple(fc.constantFrom('min', 'max'), tie('expression'), tie('expression')).map(([name, a, b]) => `${name}(${a}, ${b})`),
        fc.tuple(fc.constantFrom('sum', 'avg', 'median'), tie('expression')).map(([name, a]) => `${name}(${a})`),
        fc.tuple(tie('expression'), tie('expression'), tie('expression'), tie('expression'))
            .map(([a, b, c, d]) => `(if ${a} > ${b} then ${c} else ${d})`)
    )
})).expression;

/** Targets and thresholds: plain numbers (in the KPI's unit) or in a unit of their own. */
const STATED_VALUES = ['30', '30 s', '2 min', '85%', '10 USD', '5 calls', '1 agent', '7 score'];

/** A variant with a formula and unit of its own, taking its KPI's targets and thresholds. */
const variantCase = fc.option(fc.record({ formula, unit: fc.constantFrom(...STATED) }), { nil: undefined });

const kpiCase = fc.record({
    formula, unit: fc.constantFrom(...STATED), target: fc.constantFrom(...STATED_VALUES), threshold: fc.constantFrom(...STATED_VALUES), variant: variantCase
});

type KpiCase = { formula: string; unit: string | null; target: string; threshold: string; variant?: { formula: string; unit: string | null } };

const HEADER = `unit calls "Calls" is count
unit agents "Agents" symbol agent is count
${METRICS.map(([name, unit]) => `metric ${name} { unit ${unit} additive }`).join('\n')}
`;

const DATA = `period,${METRICS.map(([name]) => name).join(',')}\n2026-01,${METRICS.map((_, index) => 3 + index * 7).join(',')}\n`;

/** KPI `k<i>` of each case, and `uses` over the first, so that a problem in a used KPI is followed. */
function workspaceText(cases: readonly KpiCase[]): string {
    const kpis = cases.map((each, index) => `kpi k${index} "K${index}" {\n  formula ${each.formula}\n${each.unit ? `  unit ${each.unit}\n` : ''}`
        + `  higher is better\n  target at least ${each.target} each month\n  thresholds green at least ${each.threshold}, red otherwise\n`
        + (each.variant ? `  variant v "V" {\n    formula ${each.variant.formula}\n${each.variant.unit ? `    unit ${each.variant.unit}\n` : ''}  }\n` : '')
        + '}');
    return `${HEADER}\n${kpis.join('\n\n')}\n\nkpi uses "Uses k0" {\n  formula k0 * 2\n}\n`;
}

describe('units: check and eval agree', () => {
    it('a KPI gets no value for units exactly when kra check reports units/mismatch on it, and no target is refused that check accepts', async () => {
        await fc.assert(fc.asyncProperty(fc.array(kpiCase, { minLength: 1, maxLength: 3 }), async cases => {
            const text = workspaceText(cases);
            const workspace = await buildWorkspace({ 'ws.kra': text });
            const diagnostics = workspace.diagnostics('ws.kra');
            // Only generated formulas are checked here: syntax is the generator's business.
            expect(diagnostics.filter(d => String(d.code).startsWith('syntax/') || d.code === 'structure/unresolved-reference')).toEqual([]);
            const lines = text.split('\n');
            /** The KPI (`k0`) or variant (`k0.v`) a line belongs to. */
            const definitionOfLine = (line: number): string | undefined => {
                let variant = false;
                for (let index = line; index >= 0; index--) {
                    variant ||= /^\s+variant v /.test(lines[index]);
                    const match = /^kpi (\w+)/.exec(lines[index]);
                    if (match) {
                        return variant ? `${match[1]}.v` : match[1];
                    }
                }
                return undefined;
            };
            const errors = diagnostics.filter(d => d.code === 'units/mismatch' && d.severity === 1);
            // What check rejects in a formula or its unit line, not in a target or threshold (a
            // variant's inherited ones are reported on its name).
            const onValues = (line: number) => /^\s+(target|thresholds|variant) /.test(lines[line]);
            const rejected = new Set(errors.filter(d => !onValues(d.range.start.line)).map(d => definitionOfLine(d.range.start.line)));
            const anyError = new Set(errors.map(d => definitionOfLine(d.range.start.line)));

            const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
            const model = compileWorkspace({ documents: [...workspace.documents.values(), builtin], root: URI.parse('file:///ws') });
            const data = mergeData([parseDataFile(DATA, { file: 'data.csv', metrics: model.metrics.map(metric => metric.id) })]);
            const result = evaluateModel(model, data, {});
            const keyOf = (entry: { kpi: string; variant: string | null }) => entry.variant ?? entry.kpi;
            const refused = new Set(result.kpis.filter(entry => /^unit /.test(entry.reason ?? '')).map(keyOf));
            // Targets and thresholds: what check accepts gets an achievement and a status wherever
            // it has a value. A variant takes its KPI's targets and thresholds when it has none.
            const accepted = (entry: { kpi: string; variant: string | null }) => !anyError.has(entry.kpi) && !anyError.has(keyOf(entry))
                && !(entry.kpi === 'uses' && anyError.has('k0'));
            const targetRefused = result.kpis.filter(entry => accepted(entry) && [entry.achievementReason, entry.statusReason].some(reason => /^unit /.test(reason ?? '')));
            expect(targetRefused.map(entry => `${keyOf(entry)}: ${entry.achievementReason ?? entry.statusReason}`), text).toEqual([]);

            for (const { id, formula: compiled } of model.kpis.flatMap(kpi => [kpi, ...kpi.variants])) {
                const formulaRejected = rejected.has(id);
                // `uses` has no unit problem of its own; it is refused when k0 is.
                const expected = id === 'uses' ? rejected.has('k0') : formulaRejected;
                expect(refused.has(id), `${id}: check ${formulaRejected ? 'rejects' : 'accepts'} it\n${text}`).toBe(expected);
                expect(compiled?.unitProblem !== null, `${id}: the model's unitProblem\n${text}`).toBe(id === 'uses' ? false : formulaRejected);
            }
        }), { numRuns: 60 });
    }, 120_000);

    it('computes the cases of issue 12 that checked clean and evaluated to null, and rejects the wrong ones in check', async () => {
        const text = `unit calls "Calls" is count
metric calls_answered { unit calls additive }
metric shifts_worked { unit count additive }
metric handled { unit count additive }
metric agents_on { unit count additive }
metric cost { unit USD additive }
metric hours_paid { unit h additive }
metric talk { unit seconds additive }
kpi calls_per_shift { formula safe_ratio(calls_answered, shifts_worked) unit calls }
kpi calls_per_agent { formula safe_ratio(handled, agents_on) unit count }
kpi calls_as_count { formula calls_answered unit count }
kpi cost_per_hour { formula safe_ratio(cost, hours_paid) unit USD per h }
kpi cost_per_minute { formula safe_ratio(cost, hours_paid) unit USD per min }
kpi cost_in_usd { formula safe_ratio(cost, hours_paid) unit USD }
kpi talk_per_cost { formula safe_ratio(talk, cost) unit seconds }
kpi talk_squared { formula talk * talk unit seconds }
`;
        const workspace = await buildWorkspace({ 'ws.kra': text });
        const rejected = workspace.diagnostics('ws.kra').filter(d => d.code === 'units/mismatch').map(d => text.split('\n')[d.range.start.line].split(' ')[1]);
        expect(rejected.sort()).toEqual(['cost_in_usd', 'talk_per_cost', 'talk_squared']);
        const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
        const model = compileWorkspace({ documents: [...workspace.documents.values(), builtin], root: URI.parse('file:///ws') });
        const csv = 'period,calls_answered,shifts_worked,handled,agents_on,cost,hours_paid,talk\n2026-01,1000,10,1000,8,3600,100,3600\n';
        const result = evaluateModel(model, mergeData([parseDataFile(csv, { file: 'data.csv', metrics: model.metrics.map(metric => metric.id) })]), {});
        const value = (id: string) => result.kpis.find(entry => entry.kpi === id && entry.dimension === null)!;
        expect(value('calls_per_shift')).toMatchObject({ value: 100, unit: 'calls', reason: null });
        expect(value('calls_per_agent')).toMatchObject({ value: 125, unit: 'count', reason: null });
        expect(value('calls_as_count')).toMatchObject({ value: 1000, unit: 'count', reason: null });
        expect(value('cost_per_hour')).toMatchObject({ value: 36, unit: 'USD per hours', reason: null });
        expect(value('cost_per_minute')).toMatchObject({ value: 0.6, unit: 'USD per minutes', reason: null });
        expect(value('cost_in_usd')).toMatchObject({ value: null, reason: "unit problem: the formula gives USD per hours, which cannot be stated in USD, the KPI's unit" });
        expect(value('talk_squared')).toMatchObject({ value: null, reason: "unit problem: the formula gives seconds^2, which cannot be stated in seconds, the KPI's unit" });
    });
});
