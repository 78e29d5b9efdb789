import { AstUtils, type AstNode, type LangiumDocument, type Reference } from 'langium';
import { describe, expect, it } from 'vitest';
import { ast, BUILTIN_LIBRARY_URI } from '../src/index.js';
import { all, named, readResource } from './ast-helpers.js';
import { buildWorkspace, ruleIds, summarise, type TestWorkspace } from './test-utils.js';

function root(workspace: TestWorkspace, name: string): ast.KraFile {
    return workspace.document(name).parseResult.value as ast.KraFile;
}

function uriOf(node: AstNode | undefined): string | undefined {
    return node ? AstUtils.getDocument(node).uri.toString() : undefined;
}

/** The formula's single measure reference. */
function formulaRef(kpi: ast.Kpi | ast.Variant): Reference<ast.Measure> {
    const refs = all(kpi.formula!, ast.isMeasureRef);
    expect(refs).toHaveLength(1);
    return refs[0].measure;
}

/** Every measure reference in a formula, by its text, with what it resolved to (qualified by type). */
function formulaRefs(kpi: ast.Kpi | ast.Variant): string[] {
    const refs = all(kpi.formula!, ast.isMeasureRef);
    return refs.map(r => `${r.measure.$refText}->${r.measure.ref ? `${r.measure.ref.$type}:${r.measure.ref.name}` : 'unresolved'}`);
}

function unresolved(workspace: TestWorkspace, name?: string): string[] {
    return summarise(workspace.diagnostics(name)).filter(d => d.startsWith('structure/unresolved-reference'));
}

function linkErrors(document: LangiumDocument): string[] {
    return document.references.filter(r => r.error).map(r => r.$refText);
}

describe('linking within a file', () => {
    it('resolves a metric in a formula to the metric', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'metric calls\nkpi k { formula calls }' });
        const file = root(ws, 'a.kra');
        expect(formulaRef(named(file, ast.isKpi, 'k')).ref).toBe(named(file, ast.isMetric, 'calls'));
        expect(unresolved(ws)).toEqual([]);
    });

    it('resolves declarations that come later in the file', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'kpi k { formula later }\nmetric later' });
        expect(formulaRef(named(root(ws, 'a.kra'), ast.isKpi, 'k')).ref).toBe(named(root(ws, 'a.kra'), ast.isMetric, 'later'));
    });

    it('resolves a nested KPI by its simple name inside its KRA', async () => {
        const ws = await buildWorkspace({
            'a.kra': `
metric calls
department operations {
  kra service {
    kpi aht { formula calls }
    kpi fcr { formula aht * 2 }
  }
}`
        });
        const file = root(ws, 'a.kra');
        expect(formulaRef(named(file, ast.isKpi, 'fcr')).ref).toBe(named(file, ast.isKpi, 'aht'));
        expect(unresolved(ws)).toEqual([]);
    });

    it('resolves a sibling KPI by simple name from inside a variant', async () => {
        const ws = await buildWorkspace({
            'a.kra': `
metric calls
kra service {
  kpi aht { formula calls }
  kpi fcr {
    formula calls
    variant v { formula aht }
  }
}`
        });
        const file = root(ws, 'a.kra');
        const variant = named(file, ast.isVariant, 'v');
        expect(formulaRef(variant).ref).toBe(named(file, ast.isKpi, 'aht'));
    });

    it('prefers the innermost declaration: a KPI in the KRA shadows a top-level metric of the same simple name', async () => {
        const ws = await buildWorkspace({
            'a.kra': `
metric aht
kra service {
  kpi aht { formula aht }
  kpi fcr { formula aht }
}
kpi outside { formula aht }`
        });
        const file = root(ws, 'a.kra');
        const nestedAht = named(file, ast.isKpi, 'aht');
        expect(formulaRef(named(file, ast.isKpi, 'fcr')).ref).toBe(nestedAht);
        expect(formulaRef(named(file, ast.isKpi, 'outside')).ref).toBe(named(file, ast.isMetric, 'aht'));
    });

    it('does not see a KPI of another KRA by its simple name', async () => {
        const ws = await buildWorkspace({
            'a.kra': `
department operations {
  kra service { kpi aht { } }
  kra quality { kpi qa { formula aht } }
}`
        });
        expect(formulaRefs(named(root(ws, 'a.kra'), ast.isKpi, 'qa'))).toEqual(['aht->unresolved']);
        expect(unresolved(ws)).toHaveLength(1);
    });

    it('resolves nested KPIs by qualified name from elsewhere in the file', async () => {
        const ws = await buildWorkspace({
            'a.kra': `
department operations { kra service { kpi aht { } } }
role agent { kra quality { kpi qa_score { } } }
kra other { kpi x { formula operations.service.aht + agent.quality.qa_score } }
department finance { kra margin { kpi m { formula operations.service.aht } } }`
        });
        const file = root(ws, 'a.kra');
        const refs = all(named(file, ast.isKpi, 'x').formula!, ast.isMeasureRef).map(r => r.measure.ref);
        expect(refs).toEqual([named(file, ast.isKpi, 'aht'), named(file, ast.isKpi, 'qa_score')]);
        expect(formulaRef(named(file, ast.isKpi, 'm')).ref).toBe(named(file, ast.isKpi, 'aht'));
        expect(unresolved(ws)).toEqual([]);
    });

    it('does not resolve a nested KPI by its simple name from outside its KRA', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'department operations { kra service { kpi aht { } } }\nkpi x { formula aht }' });
        expect(formulaRefs(named(root(ws, 'a.kra'), ast.isKpi, 'x'))).toEqual(['aht->unresolved']);
    });

    it('does not resolve a qualified name that skips a level', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'department operations { kra service { kpi aht { } } }\nkpi x { formula operations.aht }' });
        expect(formulaRefs(named(root(ws, 'a.kra'), ast.isKpi, 'x'))).toEqual(['operations.aht->unresolved']);
    });
});

describe('linking across files', () => {
    it('resolves references through an import, to the node in the imported file', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'import "./b.kra"\nkpi k { formula calls + operations.service.aht }',
            'b.kra': 'metric calls\ndepartment operations { kra service { kpi aht { } } }'
        });
        const k = named(root(ws, 'a.kra'), ast.isKpi, 'k');
        const refs = all(k.formula!, ast.isMeasureRef).map(r => r.measure.ref);
        expect(refs).toEqual([named(root(ws, 'b.kra'), ast.isMetric, 'calls'), named(root(ws, 'b.kra'), ast.isKpi, 'aht')]);
        expect(refs.map(uriOf)).toEqual(['file:///ws/b.kra', 'file:///ws/b.kra']);
        expect(unresolved(ws)).toEqual([]);
    });

    it('resolves imports into and out of subfolders', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'import "./sub/b.kra"\nkpi k { formula from_b }',
            'sub/b.kra': 'import "../c.kra"\nimport "./d.kra"\nmetric from_b\nkpi kb { formula from_c + from_d }',
            'c.kra': 'metric from_c',
            'sub/d.kra': 'metric from_d'
        });
        expect(formulaRef(named(root(ws, 'a.kra'), ast.isKpi, 'k')).ref).toBe(named(root(ws, 'sub/b.kra'), ast.isMetric, 'from_b'));
        const kb = named(root(ws, 'sub/b.kra'), ast.isKpi, 'kb');
        expect(all(kb.formula!, ast.isMeasureRef).map(r => uriOf(r.measure.ref))).toEqual(['file:///ws/c.kra', 'file:///ws/sub/d.kra']);
        expect(unresolved(ws)).toEqual([]);
    });

    it('does not resolve references to a file that is not imported', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'kpi k { formula calls }',
            'b.kra': 'metric calls'
        });
        expect(formulaRefs(named(root(ws, 'a.kra'), ast.isKpi, 'k'))).toEqual(['calls->unresolved']);
        expect(ruleIds(ws.diagnostics('a.kra')).filter(id => id.startsWith('structure/'))).toEqual(['structure/unresolved-reference']);
        expect(linkErrors(ws.document('a.kra'))).toEqual(['calls']);
    });

    it('does not resolve a qualified name in a file that is not imported', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'kra r { measured by operations.service.aht }',
            'b.kra': 'department operations { kra service { kpi aht { } } }'
        });
        expect(named(root(ws, 'a.kra'), ast.isKra, 'r').measuredBy[0].kpi.ref).toBeUndefined();
        expect(linkErrors(ws.document('a.kra'))).toEqual(['operations.service.aht']);
    });

    it('does not make imports transitive: a imports b imports c, a cannot see c', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'import "./b.kra"\nkpi k { formula from_b + from_c }',
            'b.kra': 'import "./c.kra"\nmetric from_b\nkpi kb { formula from_c }',
            'c.kra': 'metric from_c'
        });
        expect(formulaRefs(named(root(ws, 'a.kra'), ast.isKpi, 'k'))).toEqual(['from_b->Metric:from_b', 'from_c->unresolved']);
        expect(formulaRefs(named(root(ws, 'b.kra'), ast.isKpi, 'kb'))).toEqual(['from_c->Metric:from_c']);
        expect(unresolved(ws, 'b.kra')).toEqual([]);
        expect(unresolved(ws, 'a.kra')).toHaveLength(1);
    });

    it('does not let an imported file see the importing file', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'import "./b.kra"\nmetric in_a',
            'b.kra': 'kpi kb { formula in_a }'
        });
        expect(formulaRefs(named(root(ws, 'b.kra'), ast.isKpi, 'kb'))).toEqual(['in_a->unresolved']);
    });

    it('does not see a nested KPI of an imported file by its simple name', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'import "./b.kra"\nkpi k { formula aht }',
            'b.kra': 'kra service { kpi aht { } }'
        });
        expect(formulaRefs(named(root(ws, 'a.kra'), ast.isKpi, 'k'))).toEqual(['aht->unresolved']);
    });

    it('sees units, symbols and perspectives declared in an imported file', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'import "./units.kra"\nkpi k { unit calls formula 3 mn perspective esg }',
            'units.kra': 'unit calls is count\nunit minutes2 symbol mn = 60 seconds\nperspective esg'
        });
        const k = named(root(ws, 'a.kra'), ast.isKpi, 'k');
        const units = root(ws, 'units.kra');
        expect(k.unit?.ref).toBe(named(units, ast.isUnit, 'calls'));
        expect((k.formula as ast.NumberLiteral).unit?.ref).toBe(named(units, ast.isUnit, 'minutes2'));
        expect(k.perspective?.ref).toBe(named(units, ast.isPerspective, 'esg'));
        expect(unresolved(ws)).toEqual([]);
    });
});

describe('linking to built-ins and units', () => {
    it('resolves built-in units by name and by symbol in every file, without an import', async () => {
        const ws = await buildWorkspace({
            'a.kra': 'kpi k { unit s target at least 20 s formula 85% }',
            'sub/b.kra': 'kpi kb { unit percent target at most 5 % formula 2 min + 1 h + 1 d }'
        });
        const k = named(root(ws, 'a.kra'), ast.isKpi, 'k');
        expect(k.unit?.ref?.name).toBe('seconds');
        expect(uriOf(k.unit?.ref)).toBe(BUILTIN_LIBRARY_URI);
        expect(((k.targets[0].goal as ast.Comparison).value.unit?.ref)?.name).toBe('seconds');
        expect((k.formula as ast.NumberLiteral).unit?.ref?.name).toBe('percent');
        const kb = named(root(ws, 'sub/b.kra'), ast.isKpi, 'kb');
        expect(kb.unit?.ref?.name).toBe('percent');
        expect(all(kb.formula!, ast.isNumberLiteral).map(n => n.unit?.ref?.name)).toEqual(['minutes', 'hours', 'days']);
        expect(unresolved(ws)).toEqual([]);
    });

    it.each(['count', 'ratio', 'percent', '%', 'score', 'seconds', 's', 'minutes', 'min', 'hours', 'h', 'days', 'd', 'weeks',
        'USD', 'EUR', 'GBP', 'INR', 'PHP', 'AUD', 'CAD', 'JPY', 'CNY', 'SGD', 'ZAR', 'MXN', 'BRL', 'CHF', 'SEK', 'NZD', 'AED', 'PLN', 'EGP', 'MYR'])(
        'resolves the built-in unit %s', async unit => {
            const ws = await buildWorkspace({ 'a.kra': `kpi k { unit ${unit} }` });
            const ref = named(root(ws, 'a.kra'), ast.isKpi, 'k').unit;
            expect(ref?.ref).toBeDefined();
            expect(uriOf(ref?.ref)).toBe(BUILTIN_LIBRARY_URI);
        });

    it.each(['financial', 'customer', 'internal_process', 'people'])('resolves the built-in perspective %s', async perspective => {
        const ws = await buildWorkspace({ 'a.kra': `kra r { perspective ${perspective} }` });
        const ref = named(root(ws, 'a.kra'), ast.isKra, 'r').perspective;
        expect(ref?.ref?.name).toBe(perspective);
        expect(uriOf(ref?.ref)).toBe(BUILTIN_LIBRARY_URI);
    });

    it('resolves a user unit by name and by symbol, and a unit base', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'unit minutes2 symbol mn = 60 seconds\nunit calls is count\nkpi k { unit mn formula 5 minutes2 target at least 3 calls }' });
        const file = root(ws, 'a.kra');
        const minutes2 = named(file, ast.isUnit, 'minutes2');
        const k = named(file, ast.isKpi, 'k');
        expect(k.unit?.ref).toBe(minutes2);
        expect((k.formula as ast.NumberLiteral).unit?.ref).toBe(minutes2);
        expect((k.targets[0].goal as ast.Comparison).value.unit?.ref).toBe(named(file, ast.isUnit, 'calls'));
        expect(minutes2.base?.ref?.name).toBe('seconds');
        expect(uriOf(minutes2.base?.ref)).toBe(BUILTIN_LIBRARY_URI);
    });

    it('resolves an organisation currency to a built-in currency unit', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'organisation o { currency EUR }' });
        expect(named(root(ws, 'a.kra'), ast.isOrganisation, 'o').currency?.ref?.title).toBe('Euro');
    });

    it('does not resolve an unknown unit', async () => {
        const ws = await buildWorkspace({ 'a.kra': 'kpi k { unit parsecs }' });
        expect(named(root(ws, 'a.kra'), ast.isKpi, 'k').unit?.ref).toBeUndefined();
        expect(unresolved(ws)).toHaveLength(1);
    });
});

describe('linking declarations to each other', () => {
    const STRUCTURE = `
objective delight
objective grow
client globex
client initech
rating scale five_point { level 1 "Low" from 0% }
rating scale three_point { level 1 "Low" from 0% }
department delivery { }
department operations {
  part of delivery
  owner operations_manager
  kra service {
    aligns to delight
    owner operations_manager
    kpi aht {
      owner team_leader
      target for globex at most 330 s by 2026-12-31
      target for initech at most 300 s, 290 s in 2026-Q2
    }
    kpi fcr { }
  }
}
organisation acme { rated on five_point }
role operations_manager in operations { rated on three_point }
role team_leader in operations {
  reports to operations_manager
  carries operations.service weighted 50%
  kra people { aligns to operations.service measured by operations.service.fcr weighted 20% }
}
kra growth { aligns to grow measured by operations.service.aht }
metric calls { owner team_leader }
objective o2 { owner team_leader }
`;

    async function structure() {
        const ws = await buildWorkspace({ 'a.kra': STRUCTURE });
        return { ws, file: root(ws, 'a.kra') };
    }

    it('links the structure with no unresolved references', async () => {
        const { ws } = await structure();
        expect(unresolved(ws)).toEqual([]);
        expect(linkErrors(ws.document('a.kra'))).toEqual([]);
    });

    it('links aligns to an objective or a KRA', async () => {
        const { file } = await structure();
        expect(named(file, ast.isKra, 'service').alignsTo?.ref).toBe(named(file, ast.isObjective, 'delight'));
        expect(named(file, ast.isKra, 'growth').alignsTo?.ref).toBe(named(file, ast.isObjective, 'grow'));
        expect(named(file, ast.isKra, 'people').alignsTo?.ref).toBe(named(file, ast.isKra, 'service'));
    });

    it('links owners to roles', async () => {
        const { file } = await structure();
        const manager = named(file, ast.isRole, 'operations_manager');
        const leader = named(file, ast.isRole, 'team_leader');
        expect(named(file, ast.isDepartment, 'operations').owner?.role?.ref).toBe(manager);
        expect(named(file, ast.isKra, 'service').owner?.role?.ref).toBe(manager);
        expect(named(file, ast.isKpi, 'aht').owner?.role?.ref).toBe(leader);
        expect(named(file, ast.isMetric, 'calls').owner?.role?.ref).toBe(leader);
        expect(named(file, ast.isObjective, 'o2').owner?.role?.ref).toBe(leader);
    });

    it('links carries to a KRA and measured by to a KPI', async () => {
        const { file } = await structure();
        expect(named(file, ast.isRole, 'team_leader').carries[0].kra.ref).toBe(named(file, ast.isKra, 'service'));
        expect(named(file, ast.isKra, 'people').measuredBy[0].kpi.ref).toBe(named(file, ast.isKpi, 'fcr'));
        expect(named(file, ast.isKra, 'growth').measuredBy[0].kpi.ref).toBe(named(file, ast.isKpi, 'aht'));
    });

    it('links clients in targets', async () => {
        const { file } = await structure();
        const targets = named(file, ast.isKpi, 'aht').targets;
        expect(targets.map(t => t.client?.ref)).toEqual([named(file, ast.isClient, 'globex'), named(file, ast.isClient, 'initech')]);
    });

    it('links rating scales of the organisation and of roles', async () => {
        const { file } = await structure();
        expect(named(file, ast.isOrganisation, 'acme').scale?.ref).toBe(named(file, ast.isRatingScale, 'five_point'));
        expect(named(file, ast.isRole, 'operations_manager').scale?.ref).toBe(named(file, ast.isRatingScale, 'three_point'));
    });

    it('links part of, in and reports to', async () => {
        const { file } = await structure();
        const operations = named(file, ast.isDepartment, 'operations');
        expect(operations.parent?.ref).toBe(named(file, ast.isDepartment, 'delivery'));
        expect(named(file, ast.isRole, 'team_leader').department?.ref).toBe(operations);
        expect(named(file, ast.isRole, 'team_leader').reportsTo?.ref).toBe(named(file, ast.isRole, 'operations_manager'));
    });

    it.each([
        ['aligns to a metric', 'metric m\nkra r { aligns to m }', 'm'],
        ['a unit that is a metric', 'metric m\nkpi k { unit m }', 'm'],
        ['an owner that is a department', 'department d { }\nkpi k { owner d }', 'd'],
        ['measured by a KRA', 'kra other { }\nkra r { measured by other }', 'other'],
        ['carries a KPI', 'kpi k { }\nrole x { carries k }', 'k'],
        ['a target client that is a metric', 'metric m\nkpi k { target for m at least 1 }', 'm'],
        ['rated on a unit', 'organisation o { rated on count }', 'count'],
        ['a perspective that is an objective', 'objective o\nkra r { perspective o }', 'o'],
        ['part of a role', 'role x { }\ndepartment d { part of x }', 'x'],
        ['reports to a department', 'department d { }\nrole x { reports to d }', 'd'],
        ['a formula that names a client', 'client c\nkpi k { formula c }', 'c'],
        ['a formula that names a unit', 'kpi k { formula seconds }', 'seconds']
    ])('does not link a reference to a declaration of the wrong kind: %s', async (_case, text, name) => {
        const ws = await buildWorkspace({ 'a.kra': text });
        expect(linkErrors(ws.document('a.kra'))).toEqual([name]);
        expect(ruleIds(ws.diagnostics())).toContain('structure/unresolved-reference');
    });
});

describe('linking the corpus', () => {
    it('resolves every reference of a corpus that uses every construct', async () => {
        const ws = await buildWorkspace({ 'contact-centre.kra': readResource('corpus/contact-centre.kra') });
        const document = ws.document('contact-centre.kra');
        expect(document.references.length).toBeGreaterThan(150);
        expect(linkErrors(document)).toEqual([]);
        expect(document.references.filter(r => (r as Reference).ref === undefined).map(r => r.$refText)).toEqual([]);
        expect(summarise(ws.diagnostics()).filter(d => d.startsWith('syntax/') || d.startsWith('structure/'))).toEqual([]);
    });

    it('resolves the corpus when it is split into files that import each other', async () => {
        const ws = await buildWorkspace({
            'main.kra': 'import "./lib/metrics.kra"\nimport "./lib/structure.kra"\nkpi total { formula calls + operations.service.aht unit count perspective esg }',
            'lib/metrics.kra': 'import "./units.kra"\nmetric calls { unit calls_u }',
            'lib/units.kra': 'unit calls_u is count',
            'lib/structure.kra': 'import "./metrics.kra"\nperspective esg\ndepartment operations { kra service { kpi aht { formula calls } } }'
        });
        expect(summarise(ws.diagnostics()).filter(d => /^(syntax|structure)\//.test(d))).toEqual([]);
        const total = named(root(ws, 'main.kra'), ast.isKpi, 'total');
        expect(all(total.formula!, ast.isMeasureRef).map(r => uriOf(r.measure.ref))).toEqual(['file:///ws/lib/metrics.kra', 'file:///ws/lib/structure.kra']);
        expect(uriOf(total.perspective?.ref)).toBe('file:///ws/lib/structure.kra');
    });
});
