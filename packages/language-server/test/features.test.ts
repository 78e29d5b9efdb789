/**
 * The language server's features over the real protocol: the built server runs in a child
 * process on a copy of test/workspace, and every request goes through JSON-RPC on its stdio.
 * Run `npx tsc -b tsconfig.build.json` first: the tests start bin/kra-language-server.js.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createKraServices } from '@kra-lang/language';
import { EmptyFileSystem, URI } from 'langium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
    CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentHighlight, DocumentSymbol, FoldingRange,
    Hover, InlayHint, Location, Range, SemanticTokens, SignatureHelp, TextEdit, WorkspaceEdit, WorkspaceSymbol
} from 'vscode-languageserver-protocol';
import { after, applyEdits, at, codes, copyWorkspace, decodeTokens, editsFor, textIn, waitUntil } from './helpers.js';
import { LspClient } from '../../../test/support/lsp-client.js';

let workspace: string;
let client: LspClient;
const texts = new Map<string, string>();

/** Opens a workspace file (or an in-memory one with `text`) and remembers its text. */
async function open(file: string, text?: string): Promise<{ uri: string; text: string }> {
    const uri = await client.open(file, text);
    const content = text ?? readFileSync(new URL(uri), 'utf8');
    texts.set(uri, content);
    return { uri, text: content };
}

beforeAll(async () => {
    workspace = copyWorkspace();
    client = await LspClient.start({ workspace });
    // An editor opens its active document at once, while the server still builds the workspace.
    await open('ops.kra');
});

afterAll(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
});

describe('initialize', () => {
    it('announces the features and sync mode the server supports', () => {
        const capabilities = client.initializeResult.capabilities;
        expect(capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2, save: true });
        expect(capabilities.completionProvider?.triggerCharacters).toContain('.');
        expect(capabilities.signatureHelpProvider).toEqual({ triggerCharacters: ['('], retriggerCharacters: [','] });
        expect(capabilities.renameProvider).toEqual({ prepareProvider: true });
        for (const feature of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'workspaceSymbolProvider',
            'foldingRangeProvider', 'documentHighlightProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider',
            'codeActionProvider', 'semanticTokensProvider', 'inlayHintProvider', 'codeLensProvider'] as const) {
            expect(capabilities[feature], feature).toBeTruthy();
        }
    });

    it('registers a file watcher, through which it learns of kra.config.yaml changes', async () => {
        await waitUntil(() => client.registrations.some(registration => registration.method === 'workspace/didChangeWatchedFiles'), 10_000, 'the watcher');
        const watcher = client.registrations.find(registration => registration.method === 'workspace/didChangeWatchedFiles')!;
        expect(watcher.registerOptions).toEqual({ watchers: [{ globPattern: '**/*' }] });
    });
});

describe('diagnostics', () => {
    it('runs the slow checks at start-up, even when a document is opened during the first build', async () => {
        const metrics = client.uri('metrics.kra');
        const diagnostics = await client.waitForDiagnostics(metrics, list => list.length > 0);
        const unused = diagnostics.find(diagnostic => diagnostic.code === 'metrics/unused');
        expect(unused).toBeDefined();
        expect(unused!.tags).toEqual([1]); // DiagnosticTag.Unnecessary: editors grey the metric out
        expect(unused!.severity).toBe(2);
        expect(unused!.codeDescription?.href).toMatch(/docs\/rules\/metrics\/unused\.md$/);
        expect(unused!.data).toMatchObject({ rule: 'metrics/unused' });
        const text = readFileSync(new URL(metrics), 'utf8');
        expect(textIn(text, unused!.range)).toBe('legacy_count');
    });

    it('gives related information: where else a duplicate id is declared', async () => {
        const { uri } = await open('duplicate.kra', 'metric talk_time "Talk time again" {\n  description "The same metric, declared a second time by mistake."\n  unit seconds\n}\n');
        const diagnostics = await client.waitForDiagnostics(uri, list => list.some(diagnostic => diagnostic.code === 'structure/duplicate-id'));
        const duplicate = diagnostics.find(diagnostic => diagnostic.code === 'structure/duplicate-id')!;
        expect(duplicate.codeDescription?.href).toMatch(/structure\/duplicate-id\.md$/);
        expect(duplicate.relatedInformation?.[0].location.uri).toBe(client.uri('metrics.kra'));
        expect(duplicate.relatedInformation?.[0].message).toContain('also declared here');
        await client.close(uri);
    });

    it('runs fast checks on each edit and slow ones on save', async () => {
        const metrics = client.uri('metrics.kra');
        await client.waitForDiagnostics(metrics, list => codes(list).includes('metrics/unused'));
        const text = 'import "./metrics.kra"\n\nkra legacy "Legacy reporting" {\n  description "Keeps the old reporting pack alive until the new one is trusted."\n  weight 100%\n\n'
            + '  kpi legacy_kpi "Legacy" {\n    description "The old count, reported as it always was."\n    formula legacy_count\n    unit count\n  }\n}\n';
        const { uri } = await open('uses-legacy.kra', text);
        await client.waitForDiagnostics(uri);
        // The edit alone does not run metrics/unused again: it is a slow, whole-workspace check.
        expect(codes(client.diagnostics.get(metrics)!)).toContain('metrics/unused');
        await client.save(uri);
        await client.waitForDiagnostics(metrics, list => !codes(list).includes('metrics/unused'));
        await client.change(uri, 'import "./metrics.kra"\n');
        await client.save(uri);
        await client.waitForDiagnostics(metrics, list => codes(list).includes('metrics/unused'));
        await client.close(uri);
    });

    it('keeps up with a burst of edits: the last text wins', async () => {
        const version = (i: number, unit: string) => `metric burst_${i} "Burst ${i}" {\n  description "A metric typed fast, version ${i}."\n  unit ${unit}\n}\n`;
        const { uri } = await open('burst.kra', version(0, 'coun'));
        for (let i = 1; i <= 25; i++) {
            await client.change(uri, version(i, i === 25 ? 'count' : 'coun'));
        }
        // Every version but the last names an unknown unit.
        await client.waitForDiagnostics(uri, list => !codes(list).includes('structure/unresolved-reference'));
        const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
        expect(symbols.map(symbol => symbol.name)).toEqual(['burst_25']);
        await client.close(uri);
    });

    it('cancels the build of a large document when it changes again', async () => {
        const big = (version: number, unit: string) => Array.from({ length: 3000 }, (_, i) =>
            `metric big_${i} "Big ${i}" {\n  description "Metric ${i} of a large file, version ${version}."\n  unit ${i === 2999 ? unit : 'count'}\n}\n`).join('\n');
        const { uri } = await open('big.kra', big(0, 'coun'));
        await client.waitForDiagnostics(uri, list => codes(list).includes('structure/unresolved-reference'), 60_000);
        const before = client.published.filter(params => params.uri === uri).length;
        for (let version = 1; version <= 6; version++) {
            await client.change(uri, big(version, version === 6 ? 'count' : 'coun'));
        }
        await client.waitForDiagnostics(uri, list => !codes(list).includes('structure/unresolved-reference'), 60_000);
        const published = client.published.filter(params => params.uri === uri).length - before;
        expect(published).toBeLessThan(6); // builds of superseded versions were cancelled before validating
        await client.close(uri);
    }, 120_000);
});

describe('completion', () => {
    async function complete(file: string, text: string, position: { line: number; character: number }): Promise<CompletionItem[]> {
        const { uri } = await open(file, text);
        const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position });
        await client.close(uri);
        return Array.isArray(result) ? result : result?.items ?? [];
    }

    const kpiBody = (line: string) => 'import "./metrics.kra"\n\nkra c1 "Completion" {\n  description "A KRA to complete in."\n\n  kpi c1_kpi "Completion KPI" {\n'
        + `    ${line}\n  }\n}\n`;

    it('offers the keywords valid at the cursor', async () => {
        const text = kpiBody('');
        const items = await complete('c-keywords.kra', text, at(text, '    \n  }', 4));
        const keywords = items.filter(item => item.kind === 14).map(item => item.label);
        expect(keywords).toEqual(expect.arrayContaining(['formula', 'unit', 'target', 'thresholds', 'weight', 'baseline', 'variant']));
        expect(keywords).not.toContain('organisation');
    });

    it('offers `missing as zero` in a metric block', async () => {
        const text = 'metric c_events {\n  unit count\n  \n}\n';
        const fields = await complete('c-metric.kra', text, at(text, '  \n}', 2));
        expect(fields.filter(item => item.kind === 14).map(item => item.label)).toEqual(expect.arrayContaining(['missing', 'aggregate', 'additive']));
        const value = 'metric c_events {\n  missing as \n}\n';
        const zero = await complete('c-metric-zero.kra', value, after(value, 'missing as '));
        expect(zero.filter(item => item.kind === 14).map(item => item.label)).toEqual(['zero']);
    });

    it('offers metrics and KPIs in a formula, with their title and unit, and the formula functions', async () => {
        const text = kpiBody('formula ');
        const items = await complete('c-formula.kra', text, after(text, 'formula '));
        const talkTime = items.find(item => item.label === 'talk_time');
        expect(talkTime?.detail).toBe('Metric: Talk time · seconds');
        expect(talkTime?.kind).toBe(6); // Variable
        const callsHandled = items.find(item => item.label === 'calls_handled');
        expect(callsHandled?.documentation).toMatchObject({ value: expect.stringContaining('Calls an agent answered and finished.') });
        const safeRatio = items.find(item => item.label === 'safe_ratio');
        expect(safeRatio).toMatchObject({ kind: 3, detail: 'safe_ratio(numerator, denominator)', insertTextFormat: 2 });
        expect(items.map(item => item.label)).toEqual(expect.arrayContaining(['sum', 'avg', 'percentile', 'max']));
    });

    it('offers `where` after an aggregation\'s measure, and metrics after it', async () => {
        const text = kpiBody('formula count(calls_handled ');
        const items = await complete('c-where.kra', text, after(text, 'count(calls_handled '));
        expect(items.filter(item => item.kind === 14).map(item => item.label)).toContain('where');
        const filter = kpiBody('formula count(calls_handled where ');
        const measures = await complete('c-where-measure.kra', filter, after(filter, 'where '));
        expect(measures.map(item => item.label)).toContain('talk_time');
    });

    it('offers KPIs of other files by qualified name, with title and unit', async () => {
        const text = 'import "./ops.kra"\n\nkra c2 "Adopter" {\n  description "A KRA that adopts a KPI."\n  measured by \n}\n';
        const items = await complete('c-kpi.kra', text, after(text, 'measured by '));
        expect(items.find(item => item.label === 'ops.service.aht')?.detail).toBe('KPI: Average handle time · seconds');
        expect(items.find(item => item.label === 'ops.service.fcr')?.detail).toBe('KPI: First contact resolution · percent');
    });

    it('continues a qualified name after a dot, and matches any segment of it', async () => {
        const text = 'import "./ops.kra"\n\nrole c6 "Dotted" {\n  carries ops.\n}\n';
        const items = await complete('c-dot.kra', text, after(text, 'carries ops.'));
        expect(items.map(item => item.label)).toContain('ops.service');
        const partial = 'import "./ops.kra"\n\nkra c7 "Segment" {\n  measured by ah\n}\n';
        const byLastSegment = await complete('c-segment.kra', partial, after(partial, 'measured by ah'));
        expect(byLastSegment.map(item => item.label)).toContain('ops.service.aht');
    });

    it('offers roles and objectives with their titles', async () => {
        const roleText = 'import "./roles.kra"\n\nmetric c3 "Owned" {\n  owner \n}\n';
        const roles = await complete('c-role.kra', roleText, after(roleText, 'owner '));
        expect(roles.find(item => item.label === 'agent')?.detail).toBe('Role: Contact-centre agent');
        const objectiveText = 'import "./organisation.kra"\n\nkra c4 "Aligned" {\n  aligns to \n}\n';
        const objectives = await complete('c-objective.kra', objectiveText, after(objectiveText, 'aligns to '));
        expect(objectives.find(item => item.label === 'delight')?.detail).toBe('Objective: Delight customers on every contact');
    });

    it('offers units and cadences', async () => {
        const text = kpiBody('unit ');
        const units = await complete('c-unit.kra', text, after(text, 'unit '));
        expect(units.map(item => item.label)).toEqual(expect.arrayContaining(['seconds', 's', 'percent', '%', 'count', 'USD']));
        expect(units.find(item => item.label === 'seconds')?.detail).toBe('Unit: Seconds');
        const cadenceText = kpiBody('review ');
        const cadences = await complete('c-cadence.kra', cadenceText, after(cadenceText, 'review '));
        expect(cadences.find(item => item.label === 'quarterly')).toMatchObject({ kind: 20, detail: 'Cadence' });
    });

    it('offers snippets for a new KPI in a KRA and a new KRA at the top level', async () => {
        const text = 'kra c5 "Snippets" {\n  description "A KRA to add a KPI to."\n  \n}\n\n';
        const inKra = await complete('c-snippet.kra', text, at(text, '  \n}', 2));
        const kpi = inKra.find(item => item.kind === 15 && item.label === 'kpi');
        expect(kpi).toMatchObject({ insertTextFormat: 2, detail: 'New KPI' });
        expect(kpi!.textEdit?.newText ?? kpi!.insertText).toMatch(/^kpi \$\{1:id\} "\$\{2:Title\}" \{\n {2}description/);
        const topLevel = await complete('c-snippet2.kra', text, { line: 5, character: 0 });
        expect(topLevel.find(item => item.kind === 15 && item.label === 'kra')).toMatchObject({ insertTextFormat: 2, detail: 'New KRA' });
        expect(topLevel.find(item => item.kind === 15 && item.label === 'kpi')).toBeDefined(); // a KPI may also stand alone
    });
});

describe('hover', () => {
    async function hover(uri: string, position: { line: number; character: number }): Promise<string> {
        const result = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
        return result && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
    }

    it('shows a KPI card: title, formula, unit, targets, thresholds and where it is used', async () => {
        const uri = client.uri('ops.kra');
        const text = texts.get(uri)!;
        const card = await hover(uri, at(text, 'kpi aht', 4));
        expect(card).toContain('**KPI `ops.service.aht`** — Average handle time');
        expect(card).toContain('Mean seconds from answer to end of wrap-up per handled call.');
        expect(card).toContain('- **Formula:** `safe_ratio(talk_time + hold_time, calls_handled)`');
        expect(card).toContain('- **Unit:** `seconds` · the formula gives `seconds`');
        expect(card).toContain('- **Direction:** lower is better');
        expect(card).toContain('`at most 360 s by 2026-12-31`');
        expect(card).toContain('- **Thresholds:** `green at most 360 s`, `amber at most 400 s`, `red above 400 s`');
        expect(card).toContain('- **Owner:** Operations manager');
        expect(card).toContain('- **Weight:** `60%` in KRA `ops.service`');
        expect(card).toContain('- **Used in:** KRA `ops.service`, KRA `agent.quality`');
    });

    it('shows the same card on a qualified reference in another file, with the share of the role', async () => {
        const { uri, text } = await open('roles.kra');
        const card = await hover(uri, at(text, 'ops.service.aht', 13));
        expect(card).toContain('**KPI `ops.service.aht`**');
        const own = await hover(uri, at(text, 'kpi qa_score', 4));
        expect(own).toContain('- **Share of role score:** 20% of `agent`');
    });

    it('shows metrics with their doc comment and unit, roles, units and functions', async () => {
        const uri = client.uri('ops.kra');
        const text = texts.get(uri)!;
        const metric = await hover(uri, at(text, 'calls_handled', 2));
        expect(metric).toContain('**Metric `calls_handled`** — Calls handled');
        expect(metric).toContain('Calls an agent answered and finished.'); // the doc comment
        expect(metric).toContain('- **Unit:** `count`');
        const fn = await hover(uri, at(text, 'safe_ratio', 3));
        expect(fn).toContain('**function** `safe_ratio(numerator, denominator)`');
        expect(fn).toContain('no value (not an error) when the denominator is zero');
        const unit = await hover(uri, at(text, '400 s', 4));
        expect(unit).toContain('**Unit `seconds`** — Seconds');
        expect(unit).toContain('Time, in seconds.');
        const kra = await hover(uri, at(text, 'kra service', 5));
        expect(kra).toContain('What the contracts price: fast answers and fixed issues.');
        expect(kra).toContain('KPI weights 100% · 2 KPIs');
        const roles = texts.get(client.uri('roles.kra'))!;
        const role = await hover(client.uri('roles.kra'), at(roles, 'role agent', 6));
        expect(role).toContain('**Role `agent`** — Contact-centre agent');
        expect(role).toContain('- **KRAs:** 2, weights 100%');
    });
});

describe('navigation', () => {
    it('goes to the definition of a qualified reference in another file', async () => {
        const uri = client.uri('roles.kra');
        const text = texts.get(uri)!;
        const result = await client.request<Location[] | Location>('textDocument/definition', { textDocument: { uri }, position: at(text, 'ops.service.aht', 13) });
        const locations = Array.isArray(result) ? result : [result];
        expect(locations).toHaveLength(1);
        const target = locations[0] as Location & { targetUri?: string; targetSelectionRange?: Range };
        const targetUri = target.uri ?? target.targetUri;
        expect(targetUri).toBe(client.uri('ops.kra'));
        expect(textIn(texts.get(client.uri('ops.kra'))!, target.range ?? target.targetSelectionRange!)).toBe('aht');
    });

    it('finds references across files', async () => {
        const uri = client.uri('ops.kra');
        const text = texts.get(uri)!;
        const references = await client.request<Location[]>('textDocument/references', {
            textDocument: { uri }, position: at(text, 'kpi aht', 4), context: { includeDeclaration: true }
        });
        expect(references.map(reference => reference.uri).sort()).toEqual([client.uri('ops.kra'), client.uri('roles.kra')]);
        const talkTime = await client.request<Location[]>('textDocument/references', {
            textDocument: { uri }, position: at(text, 'talk_time', 2), context: { includeDeclaration: false }
        });
        expect(talkTime.map(reference => reference.uri)).toContain(client.uri('ops.kra'));
    });

    it('highlights the uses of a name in the document', async () => {
        const uri = client.uri('ops.kra');
        const text = texts.get(uri)!;
        const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position: at(text, 'calls_handled', 2) });
        expect(highlights.length).toBe(2);
        expect(highlights.every(highlight => textIn(text, highlight.range) === 'calls_handled')).toBe(true);
    });

    it('outlines a document: department → KRA → KPI, with titles', async () => {
        const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: client.uri('ops.kra') } });
        expect(symbols).toHaveLength(1);
        const [department] = symbols;
        expect(department).toMatchObject({ name: 'ops', detail: 'Operations', kind: 3 });
        const [kra] = department.children!;
        expect(kra).toMatchObject({ name: 'service', detail: 'Service performance', kind: 2 });
        expect(kra.children!.map(kpi => [kpi.name, kpi.kind, kpi.detail])).toEqual([
            ['aht', 7, 'Average handle time'],
            ['fcr', 7, 'First contact resolution']
        ]);
        const roles = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: client.uri('roles.kra') } });
        expect(roles[0]).toMatchObject({ name: 'agent', kind: 5 });
        expect(roles[0].children![0].children!.map(kpi => kpi.name)).toEqual(['qa_score']);
    });

    it('finds workspace symbols by qualified name, without the built-ins', async () => {
        const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'aht' });
        const aht = symbols.find(symbol => symbol.name === 'ops.service.aht');
        expect(aht).toMatchObject({ kind: 7, location: { uri: client.uri('ops.kra') } });
        const units = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'seconds' });
        expect(units.filter(symbol => symbol.location.uri.startsWith('kra-builtin'))).toEqual([]);
        const all = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: '' });
        expect(all.map(symbol => symbol.name)).toEqual(expect.arrayContaining(['acme', 'delight', 'talk_time', 'ops', 'ops.service', 'agent.quality.qa_score']));
    });

    it('folds blocks and comments', async () => {
        const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: client.uri('ops.kra') } });
        expect(ranges.length).toBeGreaterThanOrEqual(4); // department, KRA, two KPIs
    });
});

describe('rename', () => {
    async function rename(uri: string, position: { line: number; character: number }, newName: string): Promise<WorkspaceEdit> {
        return client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName });
    }

    function applied(edit: WorkspaceEdit, file: string): string {
        const uri = client.uri(file);
        return applyEdits(texts.get(uri) ?? readFileSync(new URL(uri), 'utf8'), editsFor(edit, uri));
    }

    it('renames a KPI and the last segment of its qualified references in other files', async () => {
        const uri = client.uri('ops.kra');
        const edit = await rename(uri, at(texts.get(uri)!, 'kpi aht', 4), 'handle_time');
        expect(Object.keys(edit.changes!).sort()).toEqual([client.uri('ops.kra'), client.uri('roles.kra')]);
        expect(applied(edit, 'ops.kra')).toContain('kpi handle_time "Average handle time" {');
        expect(applied(edit, 'roles.kra')).toContain('measured by ops.service.handle_time weighted 50%');
    });

    it('renames a KRA inside the qualified names of what it contains', async () => {
        const uri = client.uri('ops.kra');
        const edit = await rename(uri, at(texts.get(uri)!, 'kra service', 4), 'svc');
        const roles = applied(edit, 'roles.kra');
        expect(roles).toContain('carries ops.svc weighted 60%');
        expect(roles).toContain('aligns to ops.svc\n');
        expect(roles).toContain('measured by ops.svc.aht weighted 50%');
        expect(applied(edit, 'ops.kra')).toContain('kra svc "Service performance" {');
    });

    it('renames the declaration named by the segment under the cursor', async () => {
        const uri = client.uri('roles.kra');
        const text = texts.get(uri)!;
        const range = await client.request<Range>('textDocument/prepareRename', { textDocument: { uri }, position: at(text, 'ops.service.aht', 5) });
        expect(textIn(text, range)).toBe('service');
        const edit = await rename(uri, at(text, 'ops.service.aht', 5), 'svc');
        expect(applied(edit, 'ops.kra')).toContain('kra svc "Service performance" {');
        const department = await rename(uri, at(text, 'ops.service.aht', 1), 'operations');
        expect(applied(department, 'roles.kra')).toContain('role agent "Contact-centre agent" in operations {');
        expect(applied(department, 'roles.kra')).toContain('measured by operations.service.aht weighted 50%');
        expect(applied(department, 'ops.kra')).toContain('department operations "Operations" {');
    });

    it('refuses invalid names, keywords and built-ins with an error the editor shows', async () => {
        const uri = client.uri('ops.kra');
        const text = texts.get(uri)!;
        await expect(rename(uri, at(text, 'kpi aht', 4), 'handle-time')).rejects.toMatchObject({ code: -32803, message: expect.stringContaining("'handle-time' is not a valid id") });
        await expect(rename(uri, at(text, 'kpi aht', 4), 'target')).rejects.toMatchObject({ code: -32803, message: expect.stringContaining("'target' is a keyword") });
        await expect(rename(uri, at(text, 'kpi aht', 4), '')).rejects.toMatchObject({ code: -32803 });
        await expect(client.request('textDocument/prepareRename', { textDocument: { uri }, position: at(text, 'unit seconds', 6) }))
            .rejects.toMatchObject({ code: -32803, message: expect.stringContaining('built-in unit') });
    });
});

describe('formatting', () => {
    const messy = 'metric   fmt_calls "Calls"{unit count\n   description "Calls handled."}\nkra fmt_kra "Formatting" {   weight 100 %\nkpi fmt_kpi "F" { formula fmt_calls\n unit count } }\n';

    function formatterOutput(range?: Range): string {
        const { shared, Kra } = createKraServices(EmptyFileSystem);
        const document = shared.workspace.LangiumDocumentFactory.fromString(messy, URI.parse('memory:///fmt.kra'));
        const options = { tabSize: 2, insertSpaces: true };
        const edits = range
            ? Kra.lsp.Formatter.formatDocumentRange(document, { textDocument: { uri: 'memory:///fmt.kra' }, options, range }) as TextEdit[]
            : Kra.lsp.Formatter.formatDocument(document, { textDocument: { uri: 'memory:///fmt.kra' }, options }) as TextEdit[];
        return applyEdits(messy, edits);
    }

    it('formats a document exactly as the formatter (and kra fmt) does', async () => {
        const { uri } = await open('fmt.kra', messy);
        const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
        const formatted = applyEdits(messy, edits);
        expect(formatted).toBe(formatterOutput());
        expect(formatted).toContain('metric fmt_calls "Calls" {\n  unit count\n');
        const range = { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } };
        const rangeEdits = await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range, options: { tabSize: 2, insertSpaces: true } });
        expect(applyEdits(messy, rangeEdits)).toBe(formatterOutput(range));
        await client.close(uri);
    });
});

describe('code actions', () => {
    let uri: string;
    let text: string;
    let diagnostics: Diagnostic[];

    beforeAll(async () => {
        ({ uri, text } = await open('fixes.kra'));
        diagnostics = await client.waitForDiagnostics(uri, list => list.length >= 5);
    });

    async function actionsFor(rule: string, index = 0): Promise<CodeAction[]> {
        const diagnostic = diagnostics.filter(candidate => candidate.code === rule)[index];
        expect(diagnostic, rule).toBeDefined();
        return client.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] }
        });
    }

    function apply(action: CodeAction | undefined): string {
        expect(action).toBeDefined();
        expect(action!.kind).toBe('quickfix');
        return applyEdits(text, editsFor(action!.edit, uri));
    }

    it('adds the unit the formula gives', async () => {
        const actions = await actionsFor('smart/measurable');
        const fixed = apply(actions.find(action => action.title === "Add 'unit seconds'"));
        expect(fixed).toContain('      formula safe_ratio(talk_time, calls_handled)\n      unit seconds\n      lower is better');
        expect(actions.find(action => action.title === "Add 'unit seconds'")!.isPreferred).toBe(true);
    });

    it('declares the unit a formula gives in place of one it cannot be stated in', async () => {
        const source = 'metric fix_cost "Cost" { unit USD }\nmetric fix_hours "Hours" { unit h }\n\n'
            + 'kpi fix_rate "Cost per hour" {\n  formula safe_ratio(fix_cost, fix_hours)\n  unit USD\n}\n';
        const { uri: unitUri } = await open('unit-fix.kra', source);
        const found = await client.waitForDiagnostics(unitUri, list => list.some(candidate => candidate.code === 'units/mismatch'));
        const diagnostic = found.find(candidate => candidate.code === 'units/mismatch')!;
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri: unitUri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] }
        });
        const declare = actions.find(action => action.title === "Declare 'unit USD per hours', the unit the formula gives");
        expect(declare).toBeDefined();
        expect(applyEdits(source, editsFor(declare!.edit, unitUri))).toContain('  formula safe_ratio(fix_cost, fix_hours)\n  unit USD per hours\n}');
        await client.close(unitUri);
    });

    it('adds a deadline to a target without one', async () => {
        const fixed = apply((await actionsFor('smart/time-bound')).find(action => action.title.startsWith('Add a deadline')));
        expect(fixed).toContain('      target at most 300 s by 2026-12-31\n');
    });

    it('rebalances the weights to 100% in proportion', async () => {
        const fixed = apply((await actionsFor('weights/sum')).find(action => action.title.startsWith('Rebalance')));
        expect(fixed).toContain('weight 55.56%');
        expect(fixed).toContain('weight 44.44%');
        expect(fixed).toContain('    weight 100%\n'); // the KRA's own weight is not a KPI weight
    });

    it('declares a metric missing from a formula', async () => {
        const unresolved = diagnostics.filter(diagnostic => diagnostic.code === 'structure/unresolved-reference');
        const index = unresolved.findIndex(diagnostic => textIn(text, diagnostic.range) === 'open_tickets');
        const fixed = apply((await actionsFor('structure/unresolved-reference', index)).find(action => action.title === "Declare metric 'open_tickets'"));
        expect(fixed.endsWith('}\n\nmetric open_tickets "Open tickets" {\n  unit count\n}\n')).toBe(true);
    });

    it('imports the file that declares an unresolved name', async () => {
        const unresolved = diagnostics.filter(diagnostic => diagnostic.code === 'structure/unresolved-reference');
        const index = unresolved.findIndex(diagnostic => textIn(text, diagnostic.range) === 'delight');
        const actions = await actionsFor('structure/unresolved-reference', index);
        expect(actions.find(action => action.title.startsWith('Declare metric'))).toBeUndefined(); // not a formula
        const fixed = apply(actions.find(action => action.title === 'Import "./organisation.kra" (declares \'delight\')'));
        expect(fixed.startsWith('import "./metrics.kra"\nimport "./organisation.kra"\n\ndepartment support')).toBe(true);
    });

    it('suppresses a rule on a line, with a reason to fill in, but never syntax or unresolved names', async () => {
        const fixed = apply((await actionsFor('smart/time-bound')).find(action => action.title.startsWith('Suppress smart/time-bound')));
        expect(fixed).toContain('      // kra-disable-next-line smart/time-bound -- TODO say why this rule does not apply here\n      target at most 300 s\n');
        const unresolved = await actionsFor('structure/unresolved-reference');
        expect(unresolved.some(action => action.title.startsWith('Suppress'))).toBe(false);
    });

    it('rebalances a role whose carried KRA inherits its weight by writing the weight on the carries line', async () => {
        // A top-level KRA's own weight travels with it to the roles that carry it.
        const roleText = 'kra shared_kra "Shared" {\n  description "A KRA that several roles carry, with a default share."\n  weight 100%\n}\n\n'
            + 'role lead "Team leader" {\n  description "Leads a team of agents on one client programme."\n  carries shared_kra\n\n'
            + '  kra coaching "Coaching" {\n    description "Every agent gets regular coaching on calls the team leader listened to."\n    weight 40%\n  }\n}\n';
        const { uri: role } = await open('lead.kra', roleText);
        const list = await client.waitForDiagnostics(role, found => codes(found).includes('weights/sum'));
        const sum = list.find(diagnostic => diagnostic.code === 'weights/sum')!;
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: role }, range: sum.range, context: { diagnostics: [sum] } });
        const fixed = applyEdits(roleText, editsFor(actions.find(action => action.title.startsWith('Rebalance'))!.edit, role));
        expect(fixed).toContain('  carries shared_kra weighted 71.43%\n');
        expect(fixed).toContain('    weight 28.57%\n');
        expect(fixed).toContain('  weight 100%\n'); // the KRA's own weight stays for the other roles
        await client.close(role);
    });

    it('adds an import at the top of a file that has none, and extends an existing suppression', async () => {
        const plain = 'kra orphan "Orphan" {\n  description "A KRA that aligns to an objective of another file."\n  // kra-disable-next-line smart/measurable -- measured by the client\n  aligns to delight\n}\n';
        const { uri: orphan } = await open('orphan.kra', plain);
        const list = await client.waitForDiagnostics(orphan, found => codes(found).includes('structure/unresolved-reference'));
        const unresolved = list.find(diagnostic => diagnostic.code === 'structure/unresolved-reference')!;
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: orphan }, range: unresolved.range, context: { diagnostics: [unresolved] } });
        const imported = applyEdits(plain, editsFor(actions.find(action => action.title.startsWith('Import'))!.edit, orphan));
        expect(imported.startsWith('import "./organisation.kra"\n\nkra orphan')).toBe(true);
        const suppressed = { ...unresolved, code: 'smart/relevant', data: { rule: 'smart/relevant' } };
        const more = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: orphan }, range: unresolved.range, context: { diagnostics: [suppressed] } });
        const extended = applyEdits(plain, editsFor(more.find(action => action.title.startsWith('Suppress'))!.edit, orphan));
        expect(extended).toContain('// kra-disable-next-line smart/measurable, smart/relevant -- measured by the client\n  aligns to delight');
        await client.close(orphan);
    });

    it('offers no quick fixes when only other kinds of action are asked for', async () => {
        const diagnostic = diagnostics.find(candidate => candidate.code === 'smart/measurable')!;
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['refactor'] }
        });
        expect(actions).toEqual([]);
    });

    it('fixes the problem: applying the edit clears the diagnostic', async () => {
        const action = (await actionsFor('smart/measurable')).find(action => action.title === "Add 'unit seconds'")!;
        const { uri: copy } = await open('fixes-copy.kra', text.replace(/\bsupport\b/g, 'support_copy').replace(/reply_time|backlog|tickets/g, match => `${match}_copy`));
        const before = await client.waitForDiagnostics(copy, list => codes(list).includes('smart/measurable'));
        const fix = await client.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri: copy }, range: before.find(d => d.code === 'smart/measurable')!.range,
            context: { diagnostics: before.filter(d => d.code === 'smart/measurable') }
        });
        const edit = fix.find(candidate => candidate.title === action.title)!;
        await client.change(copy, applyEdits(texts.get(copy)!, editsFor(edit.edit, copy)));
        await client.waitForDiagnostics(copy, list => !codes(list).includes('smart/measurable'));
        await client.close(copy);
    });
});

describe('semantic tokens, inlay hints, code lens and signature help', () => {
    it('colours numbers, operators, functions and references by kind', async () => {
        const uri = client.uri('ops.kra');
        const text = texts.get(uri)!;
        const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend;
        const tokens = decodeTokens((await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } })).data, legend);
        const typeOf = (needle: string, delta = 0, occurrence = 0) => {
            const position = at(text, needle, delta, occurrence);
            return tokens.find(token => token.line === position.line && token.character === position.character);
        };
        expect(typeOf('400 s')).toMatchObject({ type: 'number', length: 3 });
        expect(typeOf('400 s', 4)).toMatchObject({ type: 'type', modifiers: ['defaultLibrary'] });
        expect(typeOf('+ hold_time')).toMatchObject({ type: 'operator' });
        expect(typeOf('safe_ratio')).toMatchObject({ type: 'function', modifiers: ['defaultLibrary'] });
        expect(typeOf('talk_time')).toMatchObject({ type: 'variable' });
        expect(typeOf('kpi aht', 4)).toMatchObject({ type: 'property', modifiers: ['declaration'] });
        expect(typeOf('kra service', 4)).toMatchObject({ type: 'struct', modifiers: ['declaration'] });
        expect(typeOf('2026-12-31')).toMatchObject({ type: 'number' });
        // Keywords, strings and comments too, for editors without the TextMate grammar.
        expect(typeOf('kpi aht')).toMatchObject({ type: 'keyword', length: 3 });
        expect(typeOf('lower is better')).toMatchObject({ type: 'keyword', length: 5 });
        expect(typeOf('"Average handle time"')).toMatchObject({ type: 'string', length: 21 });
        expect(typeOf('/** What the contracts price')).toMatchObject({ type: 'comment' });
        expect(typeOf('{\n    description "Customers')).toBeUndefined(); // punctuation gets no token
        expect(typeOf('400 s', 4)).toMatchObject({ type: 'type' }); // a unit, not a keyword
        const roles = texts.get(client.uri('roles.kra'))!;
        const roleTokens = decodeTokens((await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: client.uri('roles.kra') } })).data, legend);
        const measured = at(roles, 'ops.service.aht');
        expect(roleTokens.find(token => token.line === measured.line && token.character === measured.character)).toMatchObject({ type: 'property', length: 15 });
    });

    it('shows the unit a formula gives, and a KPI\'s share of its role\'s score', async () => {
        const uri = client.uri('roles.kra');
        const text = texts.get(uri)!;
        const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
            textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } }
        });
        const labels = hints.map(hint => ({ label: hint.label, position: hint.position }));
        expect(labels).toContainEqual({ label: '→ score', position: after(text, 'safe_ratio(qa_points, qa_audits)') });
        expect(labels).toContainEqual({ label: "20% of agent's score", position: after(text, 'kpi qa_score "QA score"') });
        expect(labels).toContainEqual({ label: "20% of agent's score", position: after(text, 'measured by ops.service.aht weighted 50%') });
        const ops = await client.request<InlayHint[]>('textDocument/inlayHint', {
            textDocument: { uri: client.uri('ops.kra') }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } }
        });
        expect(ops.map(hint => hint.label)).toEqual(['→ seconds', '→ ratio']); // no role: no share
    });

    it('shows each KRA\'s KPI weight total in a code lens', async () => {
        const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: client.uri('ops.kra') } });
        expect(lenses.map(lens => lens.command?.title)).toEqual(['KPI weights 100% · 2 KPIs']);
        const { uri } = await open('fixes.kra');
        const fixes = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        expect(fixes.map(lens => lens.command?.title)).toEqual(['KPI weights 90% · 2 KPIs']);
    });

    it('helps with a formula function\'s parameters while the call is typed', async () => {
        const prefix = 'import "./metrics.kra"\n\nkpi sig "Signature" {\n  formula safe_ratio(talk_time, ';
        const { uri } = await open('signature.kra', `${prefix}\n}\n`);
        const help = await client.request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position: after(`${prefix}\n}\n`, prefix) });
        expect(help.signatures[0].label).toBe('safe_ratio(numerator, denominator)');
        expect(help.activeParameter).toBe(1);
        expect(help.signatures[0].parameters!.map(parameter => help.signatures[0].label.slice(...(parameter.label as [number, number])))).toEqual(['numerator', 'denominator']);
        const nested = `${prefix}max(talk_time, hold_time, (1 + `;
        await client.change(uri, `${nested}\n}\n`);
        const inner = await client.request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position: after(`${nested}\n}\n`, nested) });
        expect(inner.signatures[0].label).toBe('max(value, …values)');
        expect(inner.activeParameter).toBe(1);
        const outside = await client.request<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri }, position: { line: 0, character: 3 } });
        expect(outside).toBeNull();
        await client.close(uri);
    });
});
