import type { Diagnostic } from 'vscode-languageserver-types';
import { describe, expect, it } from 'vitest';
import { ast } from '../src/index.js';
import { named } from './ast-helpers.js';
import { buildWorkspace, type TestWorkspace } from './test-utils.js';

interface Result {
    readonly workspace: TestWorkspace;
    readonly file: ast.KraFile;
    readonly diagnostics: Diagnostic[];
}

async function check(text: string): Promise<Result> {
    const workspace = await buildWorkspace({ 'a.kra': text });
    // Syntax and structure problems only: the other rule families have test cases of their own.
    const diagnostics = workspace.diagnostics('a.kra').filter(d => /^(syntax|structure)\//.test(String(d.code)));
    return { workspace, file: workspace.document('a.kra').parseResult.value as ast.KraFile, diagnostics };
}

function message(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** `code@line:column` (1-based) of each diagnostic. */
function where(diagnostics: readonly Diagnostic[]): string[] {
    return diagnostics.map(d => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
}

function expectIdentified(diagnostics: readonly Diagnostic[]): void {
    for (const diagnostic of diagnostics) {
        expect(diagnostic.severity, message(diagnostic)).toBe(1);
        expect(diagnostic.codeDescription?.href, message(diagnostic)).toMatch(new RegExp(`/${String(diagnostic.code)}\\.md$`));
        // Token type names are not words.
        expect(message(diagnostic)).not.toMatch(/\b(NUMBER|STRING|ID|DATE|PERIOD|EOF)\b/);
    }
}

describe('syntax errors: unexpected tokens', () => {
    it('reports a missing value with its position and what was expected', async () => {
        const { diagnostics } = await check('kpi k {\n  target at least by 2026-12-31\n}');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@2:19']);
        expect(message(diagnostics[0])).toBe("Expected a number but found 'by'.");
        expectIdentified(diagnostics);
    });

    it('reports a date in the wrong form, naming the expected form', async () => {
        const { diagnostics } = await check('objective o { by 2026-1-01 }');
        expect(where(diagnostics)[0]).toBe('syntax/unexpected-token@1:18');
        expect(message(diagnostics[0])).toContain('a date (YYYY-MM-DD)');
        expect(message(diagnostics[0])).toContain('in an objective');
        expect(message(diagnostics[0])).toContain("'2026'");
        expectIdentified(diagnostics);
    });

    it('reports an unknown field in a KPI at the field', async () => {
        const { diagnostics } = await check('metric calls\nkpi aht {\n  colour red\n  unit seconds\n}');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@3:3']);
        expect(message(diagnostics[0])).toContain("'colour'");
        expect(message(diagnostics[0])).toContain('in a KPI');
        expectIdentified(diagnostics);
    });

    it('reports a missing closing brace where the next declaration starts', async () => {
        const { diagnostics } = await check('metric calls\nkpi aht {\n  unit seconds\n\nkpi fcr { formula calls }\n');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@5:1']);
        expect(message(diagnostics[0])).toContain("Expected '}'");
        expect(message(diagnostics[0])).toContain("found 'kpi'");
        expectIdentified(diagnostics);
    });

    it('reports the end of the file in words', async () => {
        const { diagnostics } = await check('kpi k {\n  unit');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@2:7']);
        expect(message(diagnostics[0])).toContain('The file ends too early');
        expect(message(diagnostics[0])).toContain('a name');
        expectIdentified(diagnostics);
    });

    it('words an early end of the file grammatically', async () => {
        const { diagnostics } = await check('kpi k {\n  unit');
        expect(message(diagnostics[0])).not.toContain('Unexpected the end of the file');
    });

    it('reports an error in a formula on the line of the formula', async () => {
        // The lookahead cannot continue `a` with `+ *`, so the formula ends at `a` and `+` is the unexpected token.
        const { diagnostics } = await check('metric a\nkpi k {\n  formula a + * 2\n  unit count\n}');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@3:13']);
        expect(message(diagnostics[0])).toContain("'+'");
        expectIdentified(diagnostics);
    });

    it('reports an unknown keyword at the top level', async () => {
        const { diagnostics } = await check('metrik calls\nmetric ok');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@1:1']);
        expect(message(diagnostics[0])).toContain("'metrik'");
        expectIdentified(diagnostics);
    });

    it('says that a declaration was expected when a top-level word is unknown', async () => {
        const { diagnostics } = await check('metrik calls\nmetric ok');
        expect(message(diagnostics[0])).toMatch(/declaration/);
        expect(message(diagnostics[0])).not.toContain('end of the file');
    });

    it('rejects a hyphen in an id', async () => {
        const { diagnostics, file } = await check('metric talk-time');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@1:12']);
        expect(file.declarations.map(d => d.name)).toEqual(['talk']);
    });

    it('reports each of several independent errors on its own line', async () => {
        const { diagnostics } = await check('kpi a {\n  target at least by 2026-12-31\n}\nkpi b {\n  baseline in 2026\n}');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@2:19', 'syntax/unexpected-token@5:12']);
    });

    it('a reserved word used as a name gets one error, saying so, and nothing about the nameless declaration', async () => {
        const workspace = await buildWorkspace({
            'a.kra': 'metric weighted "Weighted calls" {\n  unit count\n}\n\nkpi target "Target" {\n  formula weighted\n  unit count\n}\n'
        });
        const diagnostics = workspace.diagnostics('a.kra');
        expect(diagnostics.map(d => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`))
            .toEqual(['syntax/unexpected-token@1:8', 'syntax/unexpected-token@5:5', 'syntax/unexpected-token@6:11']);
        expect(diagnostics.map(message)).toEqual([
            expect.stringMatching(/^'weighted' is a reserved word and cannot be used as a name\. .*section 28/),
            expect.stringMatching(/^'target' is a reserved word and cannot be used as a name\./),
            "Unexpected 'weighted' in a formula: expected one of '(', '-', a number, 'if', a name, 'metric', 'missing', 'zero' ('weighted' is a reserved word, so it cannot be a name either)."
        ]);
        expectIdentified(diagnostics);
    });
});

describe('syntax errors: recovery', () => {
    it('keeps parsing after an error: a later declaration is in the AST and linked', async () => {
        const { file, diagnostics } = await check('metric calls\nkpi aht {\n  colour red\n  unit seconds\n}\nkpi fcr { formula calls }\n');
        expect(file.declarations.map(d => `${d.$type}:${d.name}`)).toEqual(['Metric:calls', 'Kpi:aht', 'Kpi:fcr']);
        const fcr = named(file, ast.isKpi, 'fcr');
        expect((fcr.formula as ast.MeasureRef).measure.ref).toBe(named(file, ast.isMetric, 'calls'));
        expect(diagnostics.filter(d => d.code === 'structure/unresolved-reference')).toEqual([]);
    });

    it('keeps parsing after a missing closing brace', async () => {
        const { file } = await check('metric calls\nkpi aht {\n  unit seconds\n\nkpi fcr { formula calls }\n');
        const fcr = named(file, ast.isKpi, 'fcr');
        expect((fcr.formula as ast.MeasureRef).measure.ref?.name).toBe('calls');
    });

    it('keeps parsing after an unknown top-level keyword', async () => {
        const { file } = await check('metrik calls\nmetric ok\nkpi k { formula ok }');
        expect(file.declarations.map(d => `${d.$type}:${d.name}`)).toEqual(['Metric:ok', 'Kpi:k']);
        expect((named(file, ast.isKpi, 'k').formula as ast.MeasureRef).measure.ref).toBe(named(file, ast.isMetric, 'ok'));
    });

    it('keeps parsing after a broken formula', async () => {
        const { file } = await check('metric a\nkpi k {\n  formula a + * 2\n  unit count\n}\nkpi j { formula a }');
        expect(file.declarations.map(d => d.name)).toEqual(['a', 'k', 'j']);
        expect((named(file, ast.isKpi, 'j').formula as ast.MeasureRef).measure.ref?.name).toBe('a');
    });

    it('keeps parsing after a stray closing brace', async () => {
        const { file, diagnostics } = await check('metric a }\nmetric b\nkpi j { formula b }');
        expect(where(diagnostics)).toEqual(['syntax/unexpected-token@1:10']);
        expect(file.declarations.map(d => d.name)).toEqual(['a', 'b', 'j']);
        expect((named(file, ast.isKpi, 'j').formula as ast.MeasureRef).measure.ref?.name).toBe('b');
    });
});

describe('syntax errors: lexer', () => {
    it('reports an invalid character with its position and the character', async () => {
        const { diagnostics, file } = await check('metric calls\nkpi k { formula calls # 2 }\nkpi j { formula calls }');
        const invalid = diagnostics.filter(d => d.code === 'syntax/invalid-character');
        expect(where(invalid)).toEqual(['syntax/invalid-character@2:23']);
        expect(message(invalid[0])).toContain("'#'");
        expectIdentified(diagnostics);
        expect((named(file, ast.isKpi, 'j').formula as ast.MeasureRef).measure.ref?.name).toBe('calls');
    });

    it('reports a letter outside the id alphabet', async () => {
        const { diagnostics } = await check('metric café\nmetric ok');
        expect(where(diagnostics)).toEqual(['syntax/invalid-character@1:11']);
        expect(message(diagnostics[0])).toContain("'é'");
    });

    it('shows an invisible character by its code point', async () => {
        const { diagnostics } = await check('metric a\u0007\nmetric b');
        expect(where(diagnostics)).toEqual(['syntax/invalid-character@1:9']);
        expect(message(diagnostics[0])).toContain('U+0007');
    });

    it('reports an unterminated text and keeps parsing the following lines', async () => {
        const { diagnostics, file } = await check('metric calls "Calls\nmetric ok\nkpi k { formula ok }');
        const invalid = diagnostics.filter(d => d.code === 'syntax/invalid-character');
        expect(where(invalid)).toEqual(['syntax/invalid-character@1:14']);
        expect(message(invalid[0])).toMatch(/^Unterminated text/);
        expectIdentified(diagnostics);
        expect(file.declarations.map(d => d.name)).toEqual(['calls', 'ok', 'k']);
        expect((named(file, ast.isKpi, 'k').formula as ast.MeasureRef).measure.ref?.name).toBe('ok');
    });

    it('accepts escaped quotes in a text', async () => {
        const { diagnostics, file } = await check('metric m "The \\"real\\" count"');
        expect(diagnostics).toEqual([]);
        expect(named(file, ast.isMetric, 'm').title).toBe('The "real" count');
    });

    it('reports an unterminated block comment as an error', async () => {
        const { diagnostics } = await check('metric ok\n/* never ends\nmetric x');
        expect(diagnostics.length).toBeGreaterThan(0);
        expect(where(diagnostics)[0]).toMatch(/@2:1$/);
    });

    it('says that a block comment is unterminated', async () => {
        const { diagnostics } = await check('metric ok\n/* never ends\nmetric x');
        expect(message(diagnostics[0])).toMatch(/Unterminated comment/);
    });

    it('tells an unterminated comment from slash-stars and star-slashes in strings and closed comments', async () => {
        const closed = await check('/* a */ metric ok "Calls /* in a title" {\n  unit count\n}\n/** b */\n');
        expect(closed.diagnostics.map(message).filter(text => /Unterminated comment/.test(text))).toEqual([]);
        const open = await check('metric ok "Calls */ in a title" {\n  unit count\n}\n/* c */\n/* never ends');
        expect(open.diagnostics.map(message).filter(text => /Unterminated comment/.test(text))).toHaveLength(1);
    });
});

describe('syntax errors: files without declarations', () => {
    it.each([
        ['an empty file', ''],
        ['a whitespace-only file', '  \n\t\n\r\n'],
        ['a comment-only file', '// just a comment\n/* and a block */\n/** doc */\n'],
        ['a file with only imports', 'import "./b.kra"']
    ])('accepts %s', async (_name, text) => {
        const workspace = await buildWorkspace({ 'a.kra': text, 'b.kra': '' });
        expect(workspace.diagnostics()).toEqual([]);
        const file = workspace.document('a.kra').parseResult.value as ast.KraFile;
        expect(file.declarations).toEqual([]);
    });
});

describe('formulas nested past the limit (issue 14)', () => {
    const depth = 60;
    const shapes: Array<[string, string]> = [
        ['parentheses', `${'('.repeat(depth)}calls${')'.repeat(depth)}`],
        ['safe_ratio calls', `${'safe_ratio('.repeat(depth)}calls${', calls)'.repeat(depth)}`],
        ['max calls', `${'max('.repeat(depth)}calls${')'.repeat(depth)}`],
        ['sum calls', `${'sum('.repeat(depth)}calls${')'.repeat(depth)}`],
        ['minus signs', `${'-'.repeat(depth)}calls`],
        ['ifs', `${'if calls > 0 then '.repeat(depth)}calls${' else 0'.repeat(depth)}`]
    ];
    it.each(shapes)('%s, 60 deep: one error, the nesting limit, and nothing about the part read', async (_name, formula) => {
        const workspace = await buildWorkspace({ 'a.kra': `metric calls { unit count }\nkpi k {\n  formula ${formula}\n  unit count\n}\n` });
        const errors = workspace.diagnostics('a.kra').filter(diagnostic => diagnostic.severity === 1);
        expect(errors.map(message)).toEqual([expect.stringMatching(/^This formula is nested too deeply: more than 50 /)]);
        expect(String(errors[0].code)).toBe('syntax/unexpected-token');
        expect(errors[0].range.start.line).toBe(2);
    });
});
