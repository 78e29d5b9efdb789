import { URI, type LangiumDocument, type Reference } from 'langium';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_SOURCE } from '../src/builtins/builtin-library.js';
import { ast, BUILTIN_LIBRARY_URI, isBuiltinUri } from '../src/index.js';
import { buildWorkspace, type TestWorkspace } from './test-utils.js';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'PHP', 'AUD', 'CAD', 'JPY', 'CNY', 'SGD', 'ZAR', 'MXN', 'BRL', 'CHF', 'SEK', 'NZD', 'AED', 'PLN', 'EGP', 'MYR'];
const PERSPECTIVES = ['financial', 'customer', 'internal_process', 'people'];

async function builtins(): Promise<{ workspace: TestWorkspace; document: LangiumDocument; file: ast.KraFile }> {
    const workspace = await buildWorkspace({});
    const document = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    expect(document, 'the built-in library is loaded with every workspace').toBeDefined();
    return { workspace, document: document!, file: document!.parseResult.value as ast.KraFile };
}

function units(file: ast.KraFile): Map<string, ast.Unit> {
    return new Map(file.declarations.filter(ast.isUnit).map(unit => [unit.name, unit]));
}

describe('built-in library', () => {
    it('is the library source, at the built-in URI', async () => {
        const { document } = await builtins();
        expect(document.textDocument.getText()).toBe(BUILTIN_LIBRARY_SOURCE);
        expect(isBuiltinUri(document.uri.toString())).toBe(true);
        expect(isBuiltinUri('file:///ws/builtins.kra')).toBe(false);
    });

    it('parses with no lexer or parser errors', async () => {
        const { document } = await builtins();
        expect(document.parseResult.lexerErrors).toEqual([]);
        expect(document.parseResult.parserErrors.map(e => e.message)).toEqual([]);
    });

    it('links every reference', async () => {
        const { document } = await builtins();
        expect(document.references.length).toBeGreaterThan(0);
        expect(document.references.filter(r => (r as Reference).ref === undefined || r.error).map(r => r.$refText)).toEqual([]);
    });

    it('has no diagnostics at all when every check runs on it', async () => {
        const { workspace, document } = await builtins();
        const diagnostics = await workspace.services.validation.DocumentValidator.validateDocument(document, { categories: ['built-in', 'fast', 'slow'] });
        expect(diagnostics.map(d => `${String(d.code)}@${d.range.start.line + 1}: ${String(d.message)}`)).toEqual([]);
    });

    it('gives an empty workspace no diagnostics', async () => {
        const workspace = await buildWorkspace({ 'a.kra': '' });
        expect(workspace.diagnostics()).toEqual([]);
    });

    it('declares only units and perspectives', async () => {
        const { file } = await builtins();
        expect(file.imports).toEqual([]);
        expect(new Set(file.declarations.map(d => d.$type))).toEqual(new Set(['Unit', 'Perspective']));
    });

    it('declares the units of the design notes and no others', async () => {
        const { file } = await builtins();
        expect([...units(file).keys()].sort()).toEqual(
            ['count', 'ratio', 'percent', 'score', 'seconds', 'minutes', 'hours', 'days', 'weeks', ...CURRENCIES].sort());
    });

    it.each([
        ['count', { kind: 'count' }],
        ['ratio', { kind: 'ratio' }],
        ['score', { kind: 'score' }],
        ['percent', { symbol: '%', factor: 0.01, base: 'ratio' }],
        ['seconds', { symbol: 's', kind: 'time' }],
        ['minutes', { symbol: 'min', factor: 60, base: 'seconds' }],
        ['hours', { symbol: 'h', factor: 3600, base: 'seconds' }],
        ['days', { symbol: 'd', factor: 86400, base: 'seconds' }],
        ['weeks', { factor: 604800, base: 'seconds' }]
    ])('defines the unit %s', async (name, expected) => {
        const { file } = await builtins();
        const unit = units(file).get(name)!;
        expect(unit).toBeDefined();
        expect({ symbol: unit.symbol, kind: unit.kind, factor: unit.factor, base: unit.base?.ref?.name })
            .toEqual({ symbol: undefined, kind: undefined, factor: undefined, base: undefined, ...expected });
        expect(unit.title).toBeTruthy();
    });

    it.each(CURRENCIES)('defines the currency %s', async code => {
        const { file } = await builtins();
        const unit = units(file).get(code)!;
        expect(unit.kind).toBe('currency');
        expect(unit.title).toBeTruthy();
    });

    it('declares the four balanced-scorecard perspectives', async () => {
        const { file } = await builtins();
        const perspectives = file.declarations.filter(ast.isPerspective);
        expect(perspectives.map(p => p.name).sort()).toEqual([...PERSPECTIVES].sort());
        expect(perspectives.every(p => p.title)).toBe(true);
    });

    it('documents every built-in base unit and perspective for hover', async () => {
        const { workspace, file } = await builtins();
        const comments = workspace.services.documentation.CommentProvider;
        for (const name of ['count', 'ratio', 'percent', 'score', 'seconds', 'USD']) {
            expect(comments.getComment(units(file).get(name)!), name).toMatch(/^\/\*\*/);
        }
        for (const perspective of file.declarations.filter(ast.isPerspective)) {
            expect(comments.getComment(perspective), perspective.name).toMatch(/^\/\*\*/);
        }
    });
});
