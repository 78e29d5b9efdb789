/**
 * Inline suppressions: `// kra-disable-next-line <rule-id>[, <rule-id>] -- <reason>` and
 * `// kra-disable-file <rule-id> -- <reason>`, and the suppressions/* rules about them.
 * structure/invalid-date and structure/duplicate-field are the rules being suppressed: both fast,
 * both reported on the line of the offending value.
 */
import { EmptyFileSystem, URI, type LangiumDocument, type ValidationCategory } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createKraServices } from '../src/index.js';
import { buildWorkspace, summarise, TEST_ROOT } from './test-utils.js';

/** The diagnostics of the families these tests are about, as `rule@line:column message`. */
function relevant(diagnostics: readonly Diagnostic[]): string[] {
    return summarise(diagnostics.filter(d => /^(syntax|structure|suppressions)\//.test(String(d.code))));
}

/** `rule@line` of the relevant diagnostics, sorted. */
function where(diagnostics: readonly Diagnostic[]): string[] {
    return relevant(diagnostics).map(line => line.replace(/:\d+ .*$/s, '')).sort();
}

async function check(text: string): Promise<Diagnostic[]> {
    return (await buildWorkspace({ 'a.kra': text })).diagnostics('a.kra');
}

describe('kra-disable-next-line', () => {
    it('removes the named rule\'s problem from the next line, and reports nothing about itself', async () => {
        const without = 'objective launch {\n  by 2026-02-30\n}\n';
        expect(where(await check(without))).toEqual(['structure/invalid-date@2']);

        const withComment = 'objective launch {\n  // kra-disable-next-line structure/invalid-date -- the client contract names this date\n  by 2026-02-30\n}\n';
        expect(relevant(await check(withComment))).toEqual([]);
    });

    it('covers only the next line', async () => {
        const text = [
            'objective launch {',
            '  // kra-disable-next-line structure/invalid-date -- the client contract names this date',
            '  by 2026-02-30',
            '}',
            'objective relaunch { by 2026-02-31 }',
            ''
        ].join('\n');
        expect(where(await check(text))).toEqual(['structure/invalid-date@5']);
    });

    it('covers only the rules it names', async () => {
        const text = [
            '// kra-disable-next-line structure/duplicate-field -- the second title is the one printed on the scorecard',
            'objective launch { by 2026-02-30 description "Launch" description "Launch the new client programme" }',
            ''
        ].join('\n');
        expect(where(await check(text.replace(/^\/\/.*\n/, '')))).toEqual(['structure/duplicate-field@1', 'structure/invalid-date@1']);
        expect(where(await check(text))).toEqual(['structure/invalid-date@2']);
    });

    it('skips blank lines and other comments to find the line it covers', async () => {
        const text = [
            'objective launch {',
            '  // kra-disable-next-line structure/invalid-date -- the client contract names this date',
            '',
            '  // The deadline from schedule B.',
            '  by 2026-02-30',
            '}',
            ''
        ].join('\n');
        expect(relevant(await check(text))).toEqual([]);
    });

    it('may name several rules, separated by commas', async () => {
        const text = [
            '// kra-disable-next-line structure/invalid-date, structure/duplicate-field -- copied from the client contract as is',
            'objective launch { by 2026-02-30 description "Launch" description "Launch the new client programme" }',
            ''
        ].join('\n');
        expect(relevant(await check(text))).toEqual([]);
        // Without the comma too.
        expect(relevant(await check(text.replace(', ', ' ')))).toEqual([]);
    });

    it('may be stacked: each comment suppresses its rules on the next code line', async () => {
        const text = [
            '// kra-disable-next-line structure/invalid-date -- copied from the client contract as is',
            '// kra-disable-next-line structure/duplicate-field -- the second title is the one printed on the scorecard',
            'objective launch { by 2026-02-30 description "Launch" description "Launch the new client programme" }',
            ''
        ].join('\n');
        expect(relevant(await check(text))).toEqual([]);
    });

    it('suppresses every problem of the named rule on that line', async () => {
        const text = [
            '// kra-disable-next-line structure/invalid-date -- both dates come from the client contract',
            'objective launch { by 2026-02-30 } objective relaunch { by 2026-02-31 }',
            ''
        ].join('\n');
        expect(where(await check(text.replace(/^\/\/.*\n/, '')))).toEqual(['structure/invalid-date@1', 'structure/invalid-date@1']);
        expect(relevant(await check(text))).toEqual([]);
    });

    it('at the end of a line, covers the line after it, not its own', async () => {
        const text = 'objective launch { by 2026-02-30 } // kra-disable-next-line structure/invalid-date -- dates from the client contract\nobjective relaunch { by 2026-02-31 }\n';
        expect(where(await check(text))).toEqual(['structure/invalid-date@1']);
    });

    it('is only recognised in a // comment', async () => {
        const text = '/* kra-disable-next-line structure/invalid-date -- dates from the client contract */\nobjective launch { by 2026-02-30 }\n';
        expect(where(await check(text))).toEqual(['structure/invalid-date@2']);
    });

    it('does not reach into other files', async () => {
        const workspace = await buildWorkspace({
            'a.kra': '// kra-disable-file structure/invalid-date -- dates from the client contract\nobjective launch { by 2026-02-30 }\n',
            'b.kra': 'objective relaunch { by 2026-02-31 }\n'
        });
        expect(relevant(workspace.diagnostics('a.kra'))).toEqual([]);
        expect(where(workspace.diagnostics('b.kra'))).toEqual(['structure/invalid-date@1']);
    });
});

describe('kra-disable-file', () => {
    it('removes the named rule\'s problems anywhere in the file', async () => {
        const text = [
            '// kra-disable-file structure/invalid-date -- dates copied from the 2019 HR system, which accepted them',
            'objective launch { by 2026-02-30 }',
            'objective relaunch {',
            '  description "Relaunch"',
            '  by 2027-02-29',
            '  description "Relaunch the client programme"',
            '}',
            ''
        ].join('\n');
        expect(where(await check(text.replace(/^\/\/.*\n/, '')))).toEqual(['structure/duplicate-field@5', 'structure/invalid-date@1', 'structure/invalid-date@4']);
        // The duplicate description is another rule, and stays.
        expect(where(await check(text))).toEqual(['structure/duplicate-field@6']);
    });

    it('works wherever it stands in the file', async () => {
        const text = 'objective launch { by 2026-02-30 }\n// kra-disable-file structure/invalid-date -- dates from the client contract\n';
        expect(relevant(await check(text))).toEqual([]);
    });
});

describe('suppressions/missing-reason', () => {
    it('asks for a reason, and still suppresses', async () => {
        const text = '// kra-disable-next-line structure/invalid-date\nobjective launch { by 2026-02-30 }\n';
        const diagnostics = relevant(await check(text));
        expect(diagnostics).toEqual([
            "suppressions/missing-reason@1:1 'kra-disable-next-line' gives no reason. Add one after '--', e.g. // kra-disable-next-line structure/invalid-date -- set by the client contract."
        ]);
        const [diagnostic] = (await check(text)).filter(d => d.code === 'suppressions/missing-reason');
        expect(diagnostic.severity).toBe(2);
        expect(diagnostic.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 47 } });
        expect(diagnostic.codeDescription?.href).toMatch(/\/suppressions\/missing-reason\.md$/);
    });

    it('treats an empty reason after -- as missing', async () => {
        for (const comment of ['// kra-disable-next-line structure/invalid-date --', '// kra-disable-next-line structure/invalid-date --   ']) {
            expect(where(await check(`${comment}\nobjective launch { by 2026-02-30 }\n`)), comment).toEqual(['suppressions/missing-reason@1']);
        }
    });

    it('applies to the file form too', async () => {
        const text = '// kra-disable-file structure/invalid-date\nobjective launch { by 2026-02-30 }\n';
        expect(relevant(await check(text))).toEqual([
            "suppressions/missing-reason@1:1 'kra-disable-file' gives no reason. Add one after '--', e.g. // kra-disable-file structure/invalid-date -- set by the client contract."
        ]);
    });
});

describe('suppressions/unknown-rule', () => {
    it('reports a rule id that does not exist, on the id, and the problem stays', async () => {
        const text = '// kra-disable-next-line structure/invalid-dates -- the client contract names this date\nobjective launch { by 2026-02-30 }\n';
        const diagnostics = await check(text);
        expect(relevant(diagnostics)).toEqual([
            "suppressions/unknown-rule@1:26 'structure/invalid-dates' is not a rule. Run 'kra rules' for the list of rule ids.",
            expect.stringMatching(/^structure\/invalid-date@2:/)
        ].sort());
        const unknown = diagnostics.find(d => d.code === 'suppressions/unknown-rule')!;
        expect(unknown.severity).toBe(1);
        expect(unknown.range).toEqual({ start: { line: 0, character: 25 }, end: { line: 0, character: 48 } });
    });

    it('reports only the unknown id of a list; the known ones still suppress', async () => {
        const text = '// kra-disable-next-line bogus/rule, structure/invalid-date -- the client contract names this date\nobjective launch { by 2026-02-30 }\n';
        expect(relevant(await check(text))).toEqual(["suppressions/unknown-rule@1:26 'bogus/rule' is not a rule. Run 'kra rules' for the list of rule ids."]);
    });

    it('refuses a blanket suppression that names no rule', async () => {
        const nextLine = await check('// kra-disable-next-line -- legacy objective, fixed next quarter\nobjective launch { by 2026-02-30 }\n');
        expect(where(nextLine)).toEqual(['structure/invalid-date@2', 'suppressions/unknown-rule@1']);
        expect(relevant(nextLine)).toContain("suppressions/unknown-rule@1:1 'kra-disable-next-line' must name the rule it suppresses, "
            + 'e.g. // kra-disable-next-line smart/time-bound -- reason. Blanket suppressions are not allowed.');

        const file = await check('// kra-disable-file\nobjective launch { by 2026-02-30 }\n');
        expect(where(file)).toEqual(['structure/invalid-date@2', 'suppressions/missing-reason@1', 'suppressions/unknown-rule@1']);
        expect(relevant(file).find(line => line.startsWith('suppressions/unknown-rule'))).toContain("'kra-disable-file' must name the rule it suppresses");
    });

    it('refuses to suppress a syntax problem: it cannot be suppressed, and stays', async () => {
        const text = '// kra-disable-next-line syntax/unexpected-token -- written by the old exporter\nmetric calls { unit count additive oops }\n';
        const diagnostics = await check(text);
        expect(where(diagnostics)).toEqual(['suppressions/unknown-rule@1', 'syntax/unexpected-token@2']);
        expect(relevant(diagnostics)).toContain("suppressions/unknown-rule@1:26 'syntax/unexpected-token' cannot be suppressed: fix the file instead.");
    });

    it('refuses to suppress an invalid character', async () => {
        const text = '// kra-disable-next-line syntax/invalid-character -- pasted from the policy document\nmetric calls { unit count; }\n';
        expect(where(await check(text))).toEqual(['suppressions/unknown-rule@1', 'syntax/invalid-character@2']);
    });

    it('refuses to suppress an unresolved reference: it cannot be suppressed, and stays', async () => {
        const text = '// kra-disable-next-line structure/unresolved-reference -- the unit comes later\nmetric calls { unit cals }\n';
        const diagnostics = await check(text);
        expect(where(diagnostics)).toEqual(['structure/unresolved-reference@2', 'suppressions/unknown-rule@1']);
        expect(relevant(diagnostics)).toContain("suppressions/unknown-rule@1:26 'structure/unresolved-reference' cannot be suppressed: fix the file instead.");
    });

    it('refuses to suppress the suppression rules themselves', async () => {
        const text = [
            '// kra-disable-next-line suppressions/missing-reason -- the next comment has none on purpose',
            '// kra-disable-next-line structure/invalid-date',
            'objective launch { by 2026-02-30 }',
            ''
        ].join('\n');
        const diagnostics = await check(text);
        expect(where(diagnostics)).toEqual(['suppressions/missing-reason@2', 'suppressions/unknown-rule@1']);
        expect(relevant(diagnostics)).toContain("suppressions/unknown-rule@1:26 'suppressions/missing-reason' cannot be suppressed: fix the file instead.");
    });
});

describe('suppressions/unused', () => {
    it('reports a suppression whose rule reports nothing on the next line, on the rule id', async () => {
        const text = 'objective launch {\n  // kra-disable-next-line structure/invalid-date -- the client contract names this date\n  by 2026-02-28\n}\n';
        const diagnostics = await check(text);
        expect(relevant(diagnostics)).toEqual([
            "suppressions/unused@2:28 'kra-disable-next-line structure/invalid-date' suppresses nothing: the rule reports no problem on the next line. Remove the comment."
        ]);
        const unused = diagnostics.find(d => d.code === 'suppressions/unused')!;
        expect(unused.severity).toBe(2);
        expect(unused.range).toEqual({ start: { line: 1, character: 27 }, end: { line: 1, character: 49 } });
    });

    it('reports a suppression above the wrong line', async () => {
        const text = [
            '// kra-disable-next-line structure/invalid-date -- the client contract names this date',
            'objective launch {',
            '  by 2026-02-30',
            '}',
            ''
        ].join('\n');
        expect(where(await check(text))).toEqual(['structure/invalid-date@3', 'suppressions/unused@1']);
    });

    it('reports each unused id of a list, and not the used ones', async () => {
        const text = '// kra-disable-next-line structure/duplicate-field, structure/invalid-date -- the client contract names this date\nobjective launch { by 2026-02-30 }\n';
        expect(relevant(await check(text))).toEqual([
            "suppressions/unused@1:26 'kra-disable-next-line structure/duplicate-field' suppresses nothing: the rule reports no problem on the next line. Remove the comment."
        ]);
    });

    it('reports an unused file suppression', async () => {
        const text = '// kra-disable-file structure/invalid-date -- dates from the client contract\nobjective launch { by 2026-02-28 }\n';
        expect(relevant(await check(text))).toEqual([
            "suppressions/unused@1:21 'kra-disable-file structure/invalid-date' suppresses nothing: the rule reports no problem in this file. Remove the comment."
        ]);
    });

    it('is not reported for a suppression that is used', async () => {
        const text = '// kra-disable-file structure/invalid-date -- dates from the client contract\nobjective launch { by 2026-02-30 }\n';
        expect(relevant(await check(text))).toEqual([]);
    });

    it('is reported for a rule the configuration turns off: the comment is stale there', async () => {
        const workspace = await buildWorkspace(
            { 'a.kra': '// kra-disable-next-line structure/invalid-date -- dates from the client contract\nobjective launch { by 2026-02-30 }\n' },
            { config: 'rules:\n  structure/invalid-date: off\n' });
        expect(where(workspace.diagnostics('a.kra'))).toEqual(['suppressions/unused@1']);
    });

    it('is not reported when the configuration turns suppressions/unused off', async () => {
        const workspace = await buildWorkspace(
            { 'a.kra': '// kra-disable-next-line structure/invalid-date -- dates from the client contract\nobjective launch { by 2026-02-28 }\n' },
            { config: 'rules:\n  suppressions/unused: off\n' });
        expect(relevant(workspace.diagnostics('a.kra'))).toEqual([]);
    });

    it('counts a slow rule\'s suppression as used when the slow checks ran', async () => {
        // structure/import-cycle is a slow (whole-workspace) rule.
        const workspace = await buildWorkspace({
            'a.kra': '// kra-disable-next-line structure/import-cycle -- being split into two files this sprint\nimport "./a.kra"\n'
        });
        expect(relevant(workspace.diagnostics('a.kra'))).toEqual([]);
    });
});

/** Builds a workspace running only the given validation categories, as an editor does on a keystroke. */
async function checkOnly(files: Record<string, string>, categories: ValidationCategory[]): Promise<Diagnostic[]> {
    const { shared } = createKraServices(EmptyFileSystem);
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: TEST_ROOT }]);
    const documents: LangiumDocument[] = Object.entries(files).map(([name, text]) => {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`${TEST_ROOT}/${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(documents, { validation: { categories } });
    return documents[0].diagnostics ?? [];
}

describe('suppressions/unused when only the fast checks ran', () => {
    // structure/import-cycle is a slow (whole-workspace) rule; a.kra imports b.kra, which imports nothing.
    const noCycle = {
        'a.kra': '// kra-disable-next-line structure/import-cycle -- shared declarations are moving to common.kra\nimport "./b.kra"\n',
        'b.kra': 'metric calls\n'
    };

    it('is not reported for a slow rule, which did not run', async () => {
        expect(relevant(await checkOnly(noCycle, ['built-in', 'fast']))).toEqual([]);
    });

    it('is reported for the same slow rule once the slow checks ran', async () => {
        expect(relevant(await checkOnly(noCycle, ['built-in', 'fast', 'slow']))).toEqual([
            "suppressions/unused@1:26 'kra-disable-next-line structure/import-cycle' suppresses nothing: the rule reports no problem on the next line. Remove the comment."
        ]);
    });

    it('is still reported for a fast rule', async () => {
        const text = '// kra-disable-next-line structure/invalid-date -- the client contract names this date\nobjective launch { by 2026-02-28 }\n';
        expect(where(await checkOnly({ 'a.kra': text }, ['built-in', 'fast']))).toEqual(['suppressions/unused@1']);
    });

    it('suppresses the slow rule\'s problem once the slow checks run', async () => {
        const cycle = { ...noCycle, 'b.kra': 'import "./a.kra"\nmetric calls\n' };
        expect(relevant(await checkOnly(cycle, ['built-in', 'fast']))).toEqual([]);
        expect(relevant(await checkOnly(cycle, ['built-in', 'fast', 'slow']))).toEqual([]);
        const unsuppressed = { ...cycle, 'a.kra': 'import "./b.kra"\n' };
        expect(where(await checkOnly(unsuppressed, ['built-in', 'fast', 'slow']))).toEqual(['structure/import-cycle@1']);
    });
});
