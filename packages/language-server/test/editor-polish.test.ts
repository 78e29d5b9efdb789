/**
 * Editor behaviour found missing in a run with Neovim and a raw protocol client: the server
 * must work for clients with fewer capabilities than VS Code, and refuse what would break the
 * workspace. Every test talks to the built server over JSON-RPC.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic, Location, LocationLink, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, at, codes, copyWorkspace, editsFor, messageOf, textIn } from './helpers.js';
import { LspClient } from '../../../test/support/lsp-client.js';

const workspaces: string[] = [];
let client: LspClient | undefined;

async function start(capabilities: Parameters<typeof LspClient.start>[0]['capabilities'] = {}, files: Record<string, string> = {}): Promise<LspClient> {
    const workspace = copyWorkspace();
    workspaces.push(workspace);
    for (const [file, text] of Object.entries(files)) {
        writeFileSync(path.join(workspace, file), text);
    }
    client = await LspClient.start({ workspace, capabilities });
    return client;
}

afterEach(async () => {
    await client?.stop();
    client = undefined;
});

afterAll(() => workspaces.forEach(workspace => rmSync(workspace, { recursive: true, force: true })));

function unused(diagnostics: Diagnostic[]): Diagnostic[] {
    return diagnostics.filter(diagnostic => diagnostic.code === 'metrics/unused');
}

describe('initialize', () => {
    it('reports the server name and version', async () => {
        const lsp = await start();
        expect(lsp.initializeResult.serverInfo).toEqual({ name: 'kra-language-server', version: '0.1.0' });
    });
});

describe('an unsaved (untitled) buffer', () => {
    it('gets diagnostics and completion like a file', async () => {
        const lsp = await start();
        const uri = 'untitled:Untitled-1';
        const text = 'metric scratch_calls "Calls" {\n  description "Calls typed into a new buffer."\n  unit cont\n}\n';
        await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kra', version: 1, text } });
        const diagnostics = await lsp.waitForDiagnostics(uri, list => codes(list).includes('structure/unresolved-reference'));
        expect(messageOf(diagnostics[0])).toContain("unknown unit 'cont'");
        const completion = await lsp.request<{ items: Array<{ label: string }> } | Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: at(text, 'cont', 4) });
        const labels = (Array.isArray(completion) ? completion : completion.items).map(item => item.label);
        expect(labels).toContain('count');
    });
});

describe('"did you mean" as a quick fix', () => {
    it('offers the suggested name as the preferred fix, and applying it clears the error', async () => {
        const lsp = await start();
        const text = 'metric typo_calls "Calls" {\n  description "Calls with a misspelt unit."\n  unit cont\n}\n';
        const uri = await lsp.open('typo.kra', text);
        const [diagnostic] = await lsp.waitForDiagnostics(uri, list => codes(list).includes('structure/unresolved-reference'));
        expect(messageOf(diagnostic)).toContain("Did you mean 'count'?");
        const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
        const fix = actions.find(action => action.title === "Change 'cont' to 'count'");
        expect(fix).toMatchObject({ kind: 'quickfix', isPreferred: true });
        const fixed = applyEdits(text, editsFor(fix!.edit, uri));
        expect(fixed).toContain('  unit count\n');
        await lsp.change(uri, fixed);
        await lsp.waitForDiagnostics(uri, list => !codes(list).includes('structure/unresolved-reference'));
    });

    it('prefers importing the file that declares the exact name over a similar visible name', async () => {
        const lsp = await start();
        // talk_time is declared in metrics.kra, which this file does not import; talk_times, declared here, is a close name.
        const text = 'metric talk_times "Talk times" {\n  description "A metric whose name is close to the one the KPI means."\n  unit seconds\n}\n\n'
            + 'kra quick "Quick" {\n  description "A KRA with one KPI."\n  weight 100%\n\n  kpi quick_talk "Talk" {\n    description "Talk time."\n    formula talk_time\n    unit seconds\n  }\n}\n';
        const uri = await lsp.open('import-first.kra', text);
        const diagnostics = await lsp.waitForDiagnostics(uri, list => codes(list).includes('structure/unresolved-reference'));
        const diagnostic = diagnostics.find(candidate => candidate.code === 'structure/unresolved-reference')!;
        expect(textIn(text, diagnostic.range)).toBe('talk_time');
        const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
        expect(actions.find(action => action.title === "Change 'talk_time' to 'talk_times'")).toMatchObject({ isPreferred: false });
        expect(actions.find(action => action.title.startsWith('Import "./metrics.kra"'))).toMatchObject({ isPreferred: true });
    });
});

describe('rename', () => {
    it('refuses a name another declaration already has, and says which', async () => {
        const lsp = await start();
        const uri = await lsp.open('ops.kra');
        const text = readFileSync(new URL(uri), 'utf8');
        await expect(lsp.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: at(text, 'kpi aht', 4), newName: 'fcr' }))
            .rejects.toMatchObject({ code: -32803, message: expect.stringMatching(/^'ops\.service\.fcr' is already the id of a KPI \(ops\.kra:\d+\)\. Ids must be unique: pick another name\.$/) });
        const metrics = await lsp.open('metrics.kra');
        const metricsText = readFileSync(new URL(metrics), 'utf8');
        await expect(lsp.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: metrics }, position: at(metricsText, 'metric talk_time', 7), newName: 'hold_time' }))
            .rejects.toMatchObject({ code: -32803, message: expect.stringContaining("'hold_time' is already the id of a metric") });
        // A free name is still renamed.
        const edit = await lsp.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: at(text, 'kpi aht', 4), newName: 'handle_time' });
        expect(Object.keys(edit.changes!)).toContain(uri);
    });
});

describe('go to definition on a built-in unit', () => {
    function definitionOfSeconds(lsp: LspClient, uri: string, text: string) {
        return lsp.request<Location[] | LocationLink[] | null>('textDocument/definition', { textDocument: { uri }, position: at(text, 'unit seconds', 6) });
    }

    it('returns nothing to a client that cannot open the read-only built-in library', async () => {
        const lsp = await start();
        const uri = await lsp.open('ops.kra');
        const text = readFileSync(new URL(uri), 'utf8');
        await lsp.waitForDiagnostics(uri);
        expect(await definitionOfSeconds(lsp, uri, text)).toBeNull();
        // Definitions in the workspace still work.
        const toMetric = await lsp.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: at(text, 'talk_time +', 2) });
        expect(toMetric[0].targetUri).toBe(lsp.uri('metrics.kra'));
    });

    it('returns the built-in library to a client that can open it (workspace/textDocumentContent)', async () => {
        const lsp = await start({ workspace: { textDocumentContent: { dynamicRegistration: false } } });
        const uri = await lsp.open('ops.kra');
        const text = readFileSync(new URL(uri), 'utf8');
        await lsp.waitForDiagnostics(uri);
        const links = await definitionOfSeconds(lsp, uri, text) as LocationLink[];
        expect(links[0].targetUri).toMatch(/^kra-builtin:/);
    });
});

describe('whole-workspace warnings', () => {
    it('stay on a file while it is opened and edited, moved with the text they mark, until the next save', async () => {
        const lsp = await start();
        const metrics = lsp.uri('metrics.kra');
        const [warning] = unused(await lsp.waitForDiagnostics(metrics, list => unused(list).length > 0));
        const text = readFileSync(new URL(metrics), 'utf8');
        expect(textIn(text, warning.range)).toBe('legacy_count');
        await lsp.open('metrics.kra');
        await lsp.change(metrics, `// A comment line added on top.\n${text}`);
        const moved = unused(await lsp.waitForDiagnostics(metrics, list => unused(list).some(diagnostic => diagnostic.range.start.line === warning.range.start.line + 1)));
        expect(moved).toHaveLength(1);
        expect(moved[0].range).toEqual({ start: { ...warning.range.start, line: warning.range.start.line + 1 }, end: { ...warning.range.end, line: warning.range.end.line + 1 } });
        expect(moved[0].message).toBe(warning.message);
        // Once the marked text is gone, so is the warning.
        await lsp.change(metrics, `// A comment line added on top.\n${text.replace(/metric legacy_count[^}]*}\n/, '')}`);
        await lsp.waitForDiagnostics(metrics, list => unused(list).length === 0);
    });
});

describe('kra.config.yaml changes, for a client that does not watch files', () => {
    it('take effect without the client reporting them: the server watches the file itself', async () => {
        const lsp = await start({ workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } });
        const metrics = lsp.uri('metrics.kra');
        await lsp.waitForDiagnostics(metrics, list => unused(list).length > 0);
        expect(lsp.registrations.filter(registration => registration.method === 'workspace/didChangeWatchedFiles')).toEqual([]);
        writeFileSync(path.join(lsp.workspace, 'kra.config.yaml'), 'rules:\n  metrics/unused: off\n');
        await lsp.waitForDiagnostics(metrics, list => unused(list).length === 0);
        writeFileSync(path.join(lsp.workspace, 'kra.config.yaml'), 'rules:\n  metrics/unused: error\n');
        const [error] = unused(await lsp.waitForDiagnostics(metrics, list => unused(list).some(diagnostic => diagnostic.severity === 1)));
        expect(error.severity).toBe(1);
    });
});
