/**
 * The grammar must stay LL: an ambiguity that ALL(*) has to resolve at parse time is logged by
 * chevrotain ("Ambiguous Alternatives Detected") and makes parsing slow. These tests fail on any
 * console output while the parser is created and while it parses every construct of the language.
 */
import { createDefaultCoreModule, createDefaultSharedCoreModule, EmptyFileSystem, inject, URI, type LangiumDocument, type Module, type PartialLangiumCoreServices } from 'langium';
import { createServicesForGrammar } from 'langium/grammar';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kraFiles } from '../../../test/support/kra-files.js';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { KraLangGeneratedModule, KraLangGeneratedSharedModule, KraLangLanguageMetaData } from '../src/generated/module.js';
import { createKraCoreServices, KraCoreModule, KraSharedCoreModule, type KraCoreServices } from '../src/index.js';

const RESOURCES = fileURLToPath(new URL('./resources/', import.meta.url));
/** Other .kra files of the repository: the examples and the rule test cases. */
const MORE_KRA = [new URL('../../../examples/', import.meta.url), new URL('./rules/', import.meta.url)]
    .map(url => fileURLToPath(url))
    .filter(folder => existsSync(folder));

const FORMULAS = [
    'a + b * c', 'a - b - c', 'a / b / c', '(a + b) * c', '-a', '-a * b', 'a * -b', '--a', '-(a + b)',
    'safe_ratio(a + b, c)', 'max(a, b, 20 s)', 'sum()', 'f(a)(b)', 'percentile(a, 90)',
    'if a > 0 then b else c', 'if a >= 0 then b else c', 'if a < 0 then b else c', 'if a <= 0 then b else c',
    'if a = 0 then b else c', 'if a != 0 then b else c', 'if a + b > c * 2 then if b > 0 then 1 else 2 else 3',
    'if a > 0 and b > 0 then 1 else 0', 'if a > 0 or b > 0 and not c > 0 then 1 else 0', 'if (a > 0 or b > 0) and c > 0 then 1 else 0',
    'if not (a > 0) then 1 else 0', 'if (a + b) * 2 > c then 1 else 0', 'if ((a) > b) then 1 else 0', 'metric a + b', 'a over previous quarter', 'a over previous month - a over same month last year', 'a over same quarter last year',
    'a over rolling 30 days', 'a over rolling 4 weeks', 'a over rolling 3 months', 'a over month to date',
    'a over quarter to date', 'a over year to date', 'a over previous period', 'a over same period last year',
    'a + b over previous period', '(a + b) over previous period', '-a over previous period',
    '20s', '20 s', '85%', '85 %', '1.5 h', '2 days', '3 weeks', 'x.y.z * 2', 'a.b', '100',
    // Broken formulas: error recovery must not be ambiguous either.
    'a +', 'a * * b', '(a + b', 'a over', 'a over rolling days', 'if a then b else c', 'max(a,)', '20 %%'
];

const SNIPPETS = [
    ...FORMULAS.map(formula => `kpi k {\n  formula ${formula}\n  unit count\n}`),
    '', '// only a comment', 'metrik calls\nmetric ok', 'metric talk-time', 'kpi k {\n  unit', 'metric a }\nmetric b',
    'kpi k { target at least by 2026-12-31 }', 'objective o { by 2026-1-01 }', 'metric calls "Calls\nmetric ok',
    'metric ok\n/* never ends\nmetric x', 'kpi k { target +15% year over year }', 'kpi k { target 15 year over year by 2026-12-31 }',
    'kpi k { target at least 80% in 2026-Q1, 82% in 2026-Q2, 85% in 2026-Q3 }', 'kpi k { target for c between 1 and 2 each day }',
    'kpi k { thresholds green between 1 and 2, red otherwise }', 'kpi k { baseline 385 s as of 2026-06-30 }',
    'kpi k { baseline 4% in FY2026 benchmark 3 from "x" }', 'unit u symbol v = 2 w', 'unit days2 = 2 days',
    'role r in d { reports to q carries a.b weighted 50% kra x { measured by a.b.c weighted 10% } }',
    'department d { part of e owner "HR" kra x { aligns to y } }', 'kpi k { target -5 s over previous period in 2026-07 }',
    'kpi k { target -50 % from baseline in 2026 }', 'kpi k { target exactly 0 count each week }'
];

function corpus(): string[] {
    return [...[RESOURCES, ...MORE_KRA].flatMap(kraFiles).map(file => readFileSync(file, 'utf8')), ...SNIPPETS];
}

let spies: MockInstance[] = [];

beforeEach(() => {
    spies = (['log', 'warn', 'error', 'info', 'debug', 'trace'] as const).map(method => vi.spyOn(console, method).mockImplementation(() => { }));
});

afterEach(() => {
    vi.restoreAllMocks();
});

function consoleOutput(): string[] {
    return spies.flatMap(spy => spy.mock.calls.map(args => args.map(String).join(' ')));
}

async function parseAndBuild(shared: ReturnType<typeof createKraCoreServices>['shared'], services: KraCoreServices): Promise<LangiumDocument[]> {
    const texts = corpus();
    // Parse each text directly, then build them all as a workspace (linking and every check).
    for (const text of texts) {
        services.parser.LangiumParser.parse(text);
    }
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: 'file:///ws' }]);
    const documents = texts.map((text, index) => {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`file:///ws/f${index}.kra`));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(documents, { validation: { categories: ['built-in', 'fast', 'slow'] } });
    return documents;
}

describe('grammar ambiguity', () => {
    it('detects an ambiguous grammar (the check itself works)', async () => {
        const services = await createServicesForGrammar({
            grammar: `
grammar Ambiguous
entry Model: items+=Item*;
Item: A | B;
A: 'x' name=ID;
B: 'x' name=ID;
hidden terminal WS: /\\s+/;
terminal ID: /[a-z]+/;
`
        });
        services.parser.LangiumParser.parse('x foo');
        expect(consoleOutput().join('\n')).toMatch(/Ambiguous Alternatives/);
    });

    it('creates the parser and parses every construct with no console output', async () => {
        const { shared, Kra } = createKraCoreServices(EmptyFileSystem);
        const documents = await parseAndBuild(shared, Kra);
        expect(documents.length).toBeGreaterThan(50);
        expect(consoleOutput()).toEqual([]);
    });

    it('stays silent with chevrotain grammar validation and lookahead logging forced on', async () => {
        const shared = inject(createDefaultSharedCoreModule(EmptyFileSystem), KraLangGeneratedSharedModule, KraSharedCoreModule);
        // KraCoreModule sets Langium's 'production' mode, which skips the validation and silences
        // the lookahead logging whatever ParserConfig says: back to the generated 'development'.
        const development: Module<KraCoreServices, PartialLangiumCoreServices> = {
            LanguageMetaData: () => KraLangLanguageMetaData,
            parser: { ParserConfig: () => ({ skipValidations: false }) }
        };
        const Kra = inject(createDefaultCoreModule({ shared }), KraLangGeneratedModule, KraCoreModule, development);
        expect(Kra.LanguageMetaData.mode).toBe('development');
        shared.ServiceRegistry.register(Kra);
        shared.workspace.ConfigurationProvider.initialized({});
        expect(Kra.parser.ParserConfig?.skipValidations).toBe(false);
        await parseAndBuild(shared, Kra);
        expect(consoleOutput()).toEqual([]);
    });

    it('parses the corpus without syntax errors', () => {
        const { Kra } = createKraCoreServices(EmptyFileSystem);
        const text = readFileSync(join(RESOURCES, 'corpus', 'contact-centre.kra'), 'utf8');
        const result = Kra.parser.LangiumParser.parse(text);
        expect(result.lexerErrors).toEqual([]);
        expect(result.parserErrors.map(e => e.message)).toEqual([]);
        expect(consoleOutput()).toEqual([]);
    });
});
