/**
 * The structure rules in detail: ranges, related information and the words of their messages.
 * Where each one fires is checked by the rule cases of test/rules/structure/ (rule-cases.test.ts).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { describe, expect, it } from 'vitest';
import { messageOf } from '../../../test/support/rule-cases.js';
import { buildWorkspace } from './test-utils.js';

/** The families these tests are about. */
const CHECKED = /^(structure|syntax)\//;

/** The structure and syntax diagnostics of a workspace (or of one file). */
function structural(workspace: Awaited<ReturnType<typeof buildWorkspace>>, file?: string): Diagnostic[] {
    return workspace.diagnostics(file).filter(d => CHECKED.test(String(d.code)));
}

describe('structure rules: diagnostics in detail', () => {
    it('places a duplicate id on the name, with the other declaration as related information', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'metric calls\n', 'sub/b.kra': '\n  metric calls\n' });
        const [inB] = structural(workspace, 'sub/b.kra');
        expect(inB.code).toBe('structure/duplicate-id');
        expect(inB.range).toEqual({ start: { line: 1, character: 9 }, end: { line: 1, character: 14 } });
        expect(inB.relatedInformation?.map(r => [r.location.uri, r.location.range.start.line, r.location.range.start.character]))
            .toEqual([['file:///ws/a.kra', 0, 7]]);
        expect(inB.severity).toBe(1);
    });

    it('places an unresolved reference on the reference text', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'metric talk_time\nkpi k { formula 1 + talk_tme }' });
        const [diagnostic] = structural(workspace);
        expect(diagnostic.code).toBe('structure/unresolved-reference');
        expect(diagnostic.range).toEqual({ start: { line: 1, character: 20 }, end: { line: 1, character: 28 } });
        expect(diagnostic.codeDescription?.href).toMatch(/\/structure\/unresolved-reference\.md$/);
    });

    it('places an import problem on the path', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'import "./missing.kra"' });
        const [diagnostic] = structural(workspace);
        expect(diagnostic.code).toBe('structure/import-not-found');
        expect(diagnostic.range).toEqual({ start: { line: 0, character: 7 }, end: { line: 0, character: 22 } });
    });

    it('reports an import outside the root against the workspace root given', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'import "../sibling/x.kra"' }, { root: 'file:///org/ws' });
        expect(structural(workspace).map(d => [d.code, messageOf(d).includes('/org/ws')])).toEqual([['structure/import-outside-root', true]]);
    });

    it('reports an unknown function on the function name', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'metric a\nkpi k { formula 2 * foo(a) }' });
        const [diagnostic] = structural(workspace);
        expect(diagnostic.code).toBe('structure/unknown-function');
        expect(diagnostic.range).toEqual({ start: { line: 1, character: 20 }, end: { line: 1, character: 23 } });
    });
});

describe('structure rules: field names in messages', () => {
    it('names the repeated field of a duplicate', async () => {
        const workspace = await buildWorkspace({ 'a.kra': 'kpi k {\n  unit count\n  unit seconds\n}' });
        expect(structural(workspace).map(d => [d.code, messageOf(d)])).toEqual([
            ['structure/duplicate-field', "KPI 'k' gives 'unit' 2 times; only the last one counts. Keep one."]
        ]);
    });

    it.each([
        ['department d { part of a part of b }\ndepartment a { }\ndepartment b { }', 'part of', 'parent'],
        ['role r { reports to q reports to q }\nrole q { }', 'reports to', 'reportsTo'],
        ['kpi k { last reviewed 2026-01-01 last reviewed 2026-02-01 }', 'last reviewed', 'lastReviewed'],
        ['kpi k { measured daily measured weekly }', 'measured', 'frequency']
    ])('names the repeated field as written: %s', async (text, written, property) => {
        const workspace = await buildWorkspace({ 'a.kra': text });
        const [diagnostic] = structural(workspace).filter(d => d.code === 'structure/duplicate-field');
        expect(messageOf(diagnostic)).toContain(`'${written}'`);
        expect(messageOf(diagnostic)).not.toContain(`'${property}'`);
    });

    it.each([
        ['kpi k { target at least 1 by 2026-02-30 }', 'by', 'deadline'],
        ['kpi k { baseline 1 as of 2026-02-30 }', 'as of', 'asOf'],
        ['kra r { last reviewed 2026-02-30 }', 'last reviewed', 'lastReviewed']
    ])('names the date field as written: %s', async (text, written, property) => {
        const workspace = await buildWorkspace({ 'a.kra': text });
        const [diagnostic] = structural(workspace).filter(d => d.code === 'structure/invalid-date');
        expect(messageOf(diagnostic)).toContain(`in '${written}'`);
        expect(messageOf(diagnostic)).not.toContain(`'${property}'`);
    });
});

describe('structure rules: periods', () => {
    it.each(['12.5', '0', '99999'])('reports the period %s, which is not a year', async period => {
        const workspace = await buildWorkspace({ 'a.kra': `kpi k {\n  target at least 1 in ${period}\n}` });
        const onLine = workspace.diagnostics().filter(d => d.range.start.line === 1 && d.severity === 1);
        expect(onLine.map(d => messageOf(d)).join('\n')).toContain(period);
    });

    it.each(['2026', '2026-Q1', '2026-H2', '2026-12', 'FY2027'])('accepts the period %s', async period => {
        const workspace = await buildWorkspace({ 'a.kra': `kpi k {\n  target at least 1 in ${period}\n}` });
        expect(structural(workspace)).toEqual([]);
    });
});
