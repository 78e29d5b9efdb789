/**
 * Property-based tests of the formula and import graphs (issue 14): generated KPIs that use
 * earlier KPIs several times each (a fan-out that doubles the work at every step when values
 * are not shared), with loops added at random, and rings of files that import each other.
 *
 * - Evaluation gives each KPI the value worked out independently here, and does work linear in
 *   the graph: each KPI is computed once per context, and asked for at most once per use.
 * - Each loop is reported once (as many `formula/cycle` findings as tangles of KPIs with a
 *   loop, found here by brute-force reachability), and every message stays short.
 * - A ring of files with chords is one tangle: one `structure/import-cycle`, short.
 *
 * In CI fixed seeds run; `npm run fuzz -- --minutes N` runs fresh seeds.
 */
import fc from 'fast-check';
import { URI } from 'langium';
import { describe, expect, it, vi } from 'vitest';
import { compileWorkspace } from '../../packages/compiler/src/index.js';
import { evaluateModel, mergeData, parseDataFile } from '../../packages/compiler/src/evaluate/index.js';
import { FormulaEvaluator } from '../../packages/compiler/src/evaluate/formulas.js';
import { checkWithFreshSeeds, FIXED_SEED, MINUTES } from './fresh-seeds.js';
import { build, PropertyViolation, ROOT } from './properties.js';

/** KPI i uses the KPIs `uses[i]` (with repeats) and the metric; back edges make loops. */
interface Graph {
    readonly uses: number[][];
}

const graphArbitrary: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 45 }).chain(count => fc.tuple(
    // Each KPI uses up to three earlier KPIs, repeats allowed: 2^count walks without sharing.
    fc.tuple(...Array.from({ length: count }, (_, i) => fc.array(fc.nat({ max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 3 }))),
    // A few back edges: KPI `from` also uses the later (or the same) KPI `to`.
    fc.array(fc.tuple(fc.nat({ max: count - 1 }), fc.nat({ max: count - 1 })), { maxLength: 3 })
).map(([forward, back]) => {
    const uses = forward.map(list => [...list]);
    for (const [a, b] of back) {
        const [from, to] = a <= b ? [a, b] : [b, a];
        uses[from].push(to);
    }
    return { uses };
}));

function source(graph: Graph): string {
    const lines = ['metric calls "Calls" { unit count }'];
    graph.uses.forEach((used, i) => {
        lines.push(`kpi k${String(i).padStart(2, '0')} { formula ${[...used.map(j => `k${String(j).padStart(2, '0')}`), 'calls'].join(' + ')} unit count }`);
    });
    return lines.join('\n');
}

function violation(what: string, detail: unknown): never {
    throw new PropertyViolation(`${what}: ${JSON.stringify(detail).slice(0, 2000)}`);
}

/** Reachability by brute force (at most 45 KPIs): KPIs on a loop, and the tangles with a loop. */
function loops(graph: Graph): { cyclic: Set<number>; tangles: number } {
    const count = graph.uses.length;
    const reach = graph.uses.map(used => {
        const row = new Array<boolean>(count).fill(false);
        used.forEach(j => { row[j] = true; });
        return row;
    });
    for (let k = 0; k < count; k++) {
        for (let i = 0; i < count; i++) {
            for (let j = 0; j < count; j++) {
                reach[i][j] ||= reach[i][k] && reach[k][j];
            }
        }
    }
    const cyclic = new Set(Array.from({ length: count }, (_, i) => i).filter(i => reach[i][i]));
    const tangles = new Set([...cyclic].map(i => Math.min(...[...cyclic].filter(j => reach[i][j] && reach[j][i]))));
    return { cyclic, tangles: tangles.size };
}

export const formulaGraphProperty = fc.asyncProperty(graphArbitrary, fc.integer({ min: 1, max: 9 }), async (graph, calls) => {
    const workspace = await build({ 'a.kra': source(graph) });
    const diagnostics = workspace.documents.flatMap(document => document.diagnostics ?? []);
    const { cyclic, tangles } = loops(graph);
    const reported = diagnostics.filter(diagnostic => diagnostic.code === 'formula/cycle');
    if (reported.length !== tangles) {
        violation(`${tangles} tangle(s) of KPIs with a loop, ${reported.length} formula/cycle finding(s)`, reported.map(d => d.message));
    }
    const long = diagnostics.filter(diagnostic => String(diagnostic.message).length > 1000);
    if (long.length > 0) {
        violation('a message longer than 1,000 characters', long[0].message);
    }

    const model = compileWorkspace({ documents: workspace.all, root: URI.parse(ROOT) });
    const data = mergeData([parseDataFile(`period,calls\n2026-07,${calls}\n`, { file: 'data.csv', metrics: ['calls'] })]);
    const spy = vi.spyOn(FormulaEvaluator.prototype, 'evaluateKpi');
    try {
        const result = evaluateModel(model, data);
        // The value of each KPI, worked out here: no value when it reaches a loop.
        const memo = new Map<number, number | null>();
        const valueOf = (i: number): number | null => {
            if (cyclic.has(i)) {
                return null;
            }
            if (!memo.has(i)) {
                const parts = graph.uses[i].map(valueOf);
                memo.set(i, parts.includes(null) ? null : parts.reduce<number>((sum, part) => sum + part!, calls));
            }
            return memo.get(i)!;
        };
        const expected = graph.uses.map((_, i) => valueOf(i));
        for (const [i, value] of expected.entries()) {
            const found = result.kpis.find(kpi => kpi.kpi === `k${String(i).padStart(2, '0')}` && kpi.period === '2026-07' && kpi.member === null);
            const ok = value === null ? found?.value === null && /^cycle: /.test(found.reason ?? '')
                : found?.value !== null && found?.value !== undefined && Math.abs(found.value - value) <= Math.abs(value) * 1e-11;
            if (!ok) {
                violation(`k${i}: expected ${value}`, found);
            }
        }
        const evaluator = spy.mock.contexts[0] as FormulaEvaluator | undefined;
        const mostUses = Math.max(1, ...graph.uses.map(used => used.length));
        if (evaluator && spy.mock.calls.length > evaluator.computed * (mostUses + 1) + graph.uses.length * 4) {
            violation('KPIs asked for more often than their uses account for', { calls: spy.mock.calls.length, computed: evaluator.computed, mostUses });
        }
    } finally {
        spy.mockRestore();
    }
});

export const importRingProperty = fc.asyncProperty(
    fc.integer({ min: 2, max: 60 }).chain(count => fc.tuple(fc.constant(count), fc.array(fc.tuple(fc.nat({ max: count - 1 }), fc.integer({ min: 2, max: count })), { maxLength: 5 }))),
    async ([count, chords]) => {
        const imports = Array.from({ length: count }, (_, i) => new Set([(i + 1) % count]));
        for (const [from, step] of chords) {
            imports[from].add((from + step) % count);
        }
        const name = (i: number) => `f${String(i).padStart(2, '0')}.kra`;
        const files = Object.fromEntries(imports.map((targets, i) => [name(i), `${[...targets].map(j => `import "./${name(j)}"`).join('\n')}\nmetric m${i} { unit count }\n`]));
        const workspace = await build(files);
        const reported = workspace.documents.flatMap(document => document.diagnostics ?? []).filter(diagnostic => diagnostic.code === 'structure/import-cycle');
        // One tangle (the ring), and each file that imports itself.
        const selfImports = imports.filter((targets, i) => targets.has(i)).length;
        if (reported.length !== 1 + selfImports || reported.some(diagnostic => String(diagnostic.message).length > 400)) {
            violation(`a ring of ${count} files: ${1 + selfImports} import-cycle finding(s) expected`, reported.map(d => d.message));
        }
    }
);

const PROPERTIES: ReadonlyArray<{ name: string; property: fc.IAsyncProperty<never>; runs: number }> = [
    { name: 'formula graphs', property: formulaGraphProperty as unknown as fc.IAsyncProperty<never>, runs: 30 },
    { name: 'import rings', property: importRingProperty as unknown as fc.IAsyncProperty<never>, runs: 20 }
];

const CI_SEEDS = [20261205, 14];

if (MINUTES > 0) {
    describe('graph fuzzing (long run)', () => {
        it(`runs fresh seeds for ${MINUTES} minute(s) and reports counterexamples`, async () => {
            const failures = await checkWithFreshSeeds('graph fuzzing', 'graphs', PROPERTIES.map(({ name, property }) => ({ name, property, numRuns: 20 })));
            expect(failures).toEqual([]);
        }, MINUTES * 60_000 + 600_000);
    });
} else {
    describe('graph fuzzing (CI seeds)', () => {
        for (const { name, property, runs } of PROPERTIES) {
            it(name, async () => {
                for (const seed of FIXED_SEED !== undefined ? [FIXED_SEED] : CI_SEEDS) {
                    await fc.assert(property, { numRuns: Math.ceil(runs / CI_SEEDS.length), seed, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: true });
                }
            }, 120_000);
        }
    });
}
