/**
 * One generated file with 10,000 KPIs links completely and correctly. Correctness only: speed is
 * measured by the benchmarks, not asserted here.
 */
import { AstUtils, type Reference } from 'langium';
import { describe, expect, it } from 'vitest';
import { ast, qualifiedName } from '../src/index.js';
import { buildWorkspace } from './test-utils.js';

const DEPARTMENTS = 20;
const KRAS_PER_DEPARTMENT = 10;
const KPIS_PER_KRA = 50;
const METRICS = 200;
const KPI_COUNT = DEPARTMENTS * KRAS_PER_DEPARTMENT * KPIS_PER_KRA;

const kpiName = (d: number, r: number, k: number) => `d${d}.r${r}.k${k}`;

/**
 * Each KPI's formula names two metrics, the previous KPI of its KRA by its simple name and a KPI
 * of another department by its qualified name; every KRA is also measured by a KPI elsewhere.
 */
function generate(): string {
    const lines: string[] = ['unit calls is count', 'objective grow'];
    for (let m = 0; m < METRICS; m++) {
        lines.push(`metric m${m} { unit calls aggregate by sum }`);
    }
    let n = 0;
    for (let d = 0; d < DEPARTMENTS; d++) {
        lines.push(`department d${d} {`);
        for (let r = 0; r < KRAS_PER_DEPARTMENT; r++) {
            lines.push(`  kra r${r} {`, '    aligns to grow');
            for (let k = 0; k < KPIS_PER_KRA; k++, n++) {
                const metricA = `m${n % METRICS}`;
                const metricB = `m${(n * 7 + 3) % METRICS}`;
                const sibling = k > 0 ? `k${k - 1}` : `k${KPIS_PER_KRA - 1}`;
                const remote = kpiName((d + 1) % DEPARTMENTS, (r + 3) % KRAS_PER_DEPARTMENT, (k + 11) % KPIS_PER_KRA);
                lines.push(`    kpi k${k} { formula safe_ratio(${metricA} + ${metricB}, ${sibling}) - ${remote} over previous period unit calls target at least 1 calls by 2026-12-31 }`);
            }
            lines.push(`    measured by ${kpiName((d + 2) % DEPARTMENTS, r, 0)} weighted 10%`, '  }');
        }
        lines.push('}');
    }
    for (let d = 0; d < DEPARTMENTS; d++) {
        lines.push(`role lead${d} in d${d} { carries d${d}.r0 weighted 50% ${d > 0 ? `reports to lead${d - 1}` : ''} }`);
    }
    return lines.join('\n');
}

describe('scale', () => {
    it(`links a file with ${KPI_COUNT.toLocaleString('en')} KPIs with every reference resolved to the right declaration`, async () => {
        const workspace = await buildWorkspace({ 'big.kra': generate() });
        const document = workspace.document('big.kra');
        const file = document.parseResult.value as ast.KraFile;

        expect(document.parseResult.lexerErrors).toEqual([]);
        expect(document.parseResult.parserErrors).toEqual([]);
        const kpis = AstUtils.streamAst(file).filter(ast.isKpi).toArray();
        expect(kpis).toHaveLength(KPI_COUNT);

        // Nothing unresolved, and no structure problem of any kind.
        expect(document.references.filter(r => (r as Reference).ref === undefined).length).toBe(0);
        const problems = workspace.diagnostics().filter(d => String(d.code).startsWith('structure/') || String(d.code).startsWith('syntax/'));
        expect(problems.slice(0, 5).map(d => d.message)).toEqual([]);

        // 4 measure references per KPI, each to the right declaration.
        let checked = 0;
        for (const kpi of kpis) {
            const refs = AstUtils.streamAst(kpi.formula!).filter(ast.isMeasureRef).toArray();
            expect(refs).toHaveLength(4);
            const [metricA, metricB, sibling, remote] = refs.map(r => r.measure);
            expect(ast.isMetric(metricA.ref) && metricA.ref.name === metricA.$refText).toBe(true);
            expect(ast.isMetric(metricB.ref) && metricB.ref.name === metricB.$refText).toBe(true);
            // The simple name finds the KPI of the same KRA.
            expect(ast.isKpi(sibling.ref) && sibling.ref.name === sibling.$refText && sibling.ref.$container === kpi.$container).toBe(true);
            // The qualified name finds exactly the KPI it names.
            expect(ast.isKpi(remote.ref) && qualifiedName(remote.ref) === remote.$refText).toBe(true);
            expect(kpi.unit?.ref?.name).toBe('calls');
            checked += refs.length;
        }
        expect(checked).toBe(4 * KPI_COUNT);

        for (const kra of AstUtils.streamAst(file).filter(ast.isKra)) {
            expect(kra.alignsTo?.ref?.name).toBe('grow');
            expect(qualifiedName(kra.measuredBy[0].kpi.ref!)).toBe(kra.measuredBy[0].kpi.$refText);
        }
        for (const role of file.declarations.filter(ast.isRole)) {
            expect(qualifiedName(role.carries[0].kra.ref!)).toBe(role.carries[0].kra.$refText);
            expect(role.department?.ref?.name).toBe(role.carries[0].kra.$refText.split('.')[0]);
        }
    }, 300_000);
});
