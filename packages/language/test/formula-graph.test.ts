/**
 * Hostile shapes of the formula and import graphs (issue 14): KPIs that each use the previous
 * one twice, loops of thousands of KPIs or files. Every walk of the graph is linear, and each
 * loop is reported once with a path of bounded length. Behaviour only: had a walk been
 * exponential, the test would not end within vitest's timeout.
 */
import { describe, expect, it } from 'vitest';
import { unitTypeText } from '@kra-lang/semantics';
import { ast, UnitInference } from '../src/index.js';
import { buildWorkspace, summarise } from './test-utils.js';

/** k0 = calls; k(i) = k(i-1) + k(i-1): 2^count copies of `calls` once written out. */
function fanOut(count: number, declareUnits: boolean): string {
    const lines = ['metric calls "Calls" { unit count }'];
    for (let i = 0; i <= count; i++) {
        lines.push(`kpi k${i} "K${i}" { formula ${i === 0 ? 'calls' : `k${i - 1} + k${i - 1}`}${declareUnits ? ' unit count' : ''} }`);
    }
    return lines.join('\n');
}

describe('a fan-out of KPIs that each use the previous one twice', () => {
    it('checks: no loop, no depth problem, and units are inferred through all 45 KPIs', async () => {
        const workspace = await buildWorkspace({ 'a.kra': fanOut(45, false) });
        const rules = workspace.diagnostics().map(diagnostic => String(diagnostic.code));
        expect(rules.filter(rule => rule.startsWith('formula/') || rule.startsWith('units/') || rule.startsWith('syntax/'))).toEqual([]);
        const root = workspace.document('a.kra').parseResult.value as ast.KraFile;
        const last = root.declarations.filter(ast.isKpi).find(kpi => kpi.name === 'k45')!;
        // 45 KPIs deep is within the chain the inference follows (50).
        expect(unitTypeText(new UnitInference().kpiUnit(last))).toBe('count');
    });
});

describe('loops', () => {
    it('a loop of 2,000 KPIs is reported once, with a short path', async () => {
        const count = 2000;
        const lines = ['metric calls "Calls" { unit count }'];
        for (let i = 0; i < count; i++) {
            lines.push(`kpi k${String(i).padStart(4, '0')} { formula k${String((i + 1) % count).padStart(4, '0')} + calls unit count }`);
        }
        const workspace = await buildWorkspace({ 'a.kra': lines.join('\n') });
        const cycles = workspace.diagnostics().filter(diagnostic => diagnostic.code === 'formula/cycle');
        expect(summarise(cycles)).toEqual([
            "formula/cycle@2:21 KPI 'k0000': the formula depends on itself through other KPIs (k0000 → k0001 → k0002 → k0003 → … (2000 KPIs in all) → k1997 → k1998 → k1999 → k0000), so none of them can be computed. Break the loop: compute one of them from metrics instead of from the others."
        ]);
    });

    it('loops tangled together are reported once, naming the KPIs tangled in them', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'kpi d { formula e + f }\nkpi e { formula d }\nkpi f { formula d }\n' });
        const cycles = workspace.diagnostics().filter(diagnostic => diagnostic.code === 'formula/cycle');
        expect(cycles).toHaveLength(1);
        expect(cycles[0].message).toContain('(d → e → d)');
        expect(cycles[0].message).toContain('1 more KPI is tangled in the loop');
    });

    it('a ring of 1,000 files that import each other is reported once, with a short path', async () => {
        const count = 1000;
        const name = (i: number) => `f${String(i % count).padStart(4, '0')}.kra`;
        const files: Record<string, string> = {};
        for (let i = 0; i < count; i++) {
            files[name(i)] = `import "./${name(i + 1)}"\nmetric m${i} { unit count }\n`;
        }
        const workspace = await buildWorkspace(files);
        const cycles = workspace.diagnostics().filter(diagnostic => diagnostic.code === 'structure/import-cycle');
        expect(summarise(cycles)).toEqual([
            'structure/import-cycle@1:8 Import cycle: f0000.kra → f0001.kra → f0002.kra → f0003.kra → … (1000 files in all) → f0997.kra → f0998.kra → f0999.kra → f0000.kra. Move the shared declarations into a file that both import.'
        ]);
    });

    it('a file that imports itself on a longer cycle: both the cycle and the self-import are reported', async () => {
        // Found by test/fuzz/graphs.test.ts: the self-import was the shortest loop and hid the cycle.
        const workspace = await buildWorkspace({ 'a.kra': 'import "./b.kra"\nimport "./a.kra"\n', 'b.kra': 'import "./a.kra"\n' });
        const cycles = workspace.diagnostics().filter(diagnostic => diagnostic.code === 'structure/import-cycle');
        expect(cycles.map(diagnostic => diagnostic.message).sort()).toEqual([
            'Import cycle: a.kra → b.kra → a.kra. Move the shared declarations into a file that both import.',
            'a.kra imports itself. Remove this import: a file always sees its own declarations.'
        ]);
    });
});
