/**
 * The server answers every request, also about half-typed documents, positions outside the
 * text and documents it does not know, and stays up. A failing request gets an error response.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { copyWorkspace, positionAt } from './helpers.js';
import { LspClient } from '../../../test/support/lsp-client.js';

let workspace: string;
let client: LspClient;

beforeAll(async () => {
    workspace = copyWorkspace();
    client = await LspClient.start({ workspace });
    await client.open('ops.kra');
    await client.waitForDiagnostics(client.uri('metrics.kra'));
});

afterAll(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
});

/** Error codes that are answers, not failures: cancelled, content modified, refused. */
const ACCEPTABLE_ERRORS = new Set([-32800, -32801, -32802, -32803]);

interface Outcome {
    readonly method: string;
    readonly ok: boolean;
    readonly detail: string;
}

/** Sends a request and reports whether it was answered properly (a result or an acceptable error). */
async function attempt(method: string, params: unknown): Promise<Outcome> {
    try {
        const result = await client.request(method, params);
        // A ResponseError sent as a result (`{ "code": -32800 }`) is a malformed answer.
        const malformed = !!result && typeof result === 'object' && !Array.isArray(result) && typeof (result as { code?: unknown }).code === 'number';
        return { method, ok: !malformed, detail: malformed ? `result looks like an error: ${JSON.stringify(result)}` : '' };
    } catch (error) {
        const code = (error as { code?: number }).code ?? 0;
        return { method, ok: ACCEPTABLE_ERRORS.has(code), detail: `${code}: ${(error as Error).message}` };
    }
}

function positionRequests(uri: string, position: { line: number; character: number }, diagnostics: Diagnostic[]): Array<[string, unknown]> {
    const textDocument = { uri };
    const range = { start: position, end: position };
    return [
        ['textDocument/completion', { textDocument, position }],
        ['textDocument/hover', { textDocument, position }],
        ['textDocument/signatureHelp', { textDocument, position }],
        ['textDocument/definition', { textDocument, position }],
        ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
        ['textDocument/documentHighlight', { textDocument, position }],
        ['textDocument/prepareRename', { textDocument, position }],
        ['textDocument/rename', { textDocument, position, newName: 'renamed' }],
        ['textDocument/codeAction', { textDocument, range, context: { diagnostics } }],
        ['textDocument/rangeFormatting', { textDocument, range, options: { tabSize: 2, insertSpaces: true } }]
    ];
}

function documentRequests(uri: string): Array<[string, unknown]> {
    const textDocument = { uri };
    const whole = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
    return [
        ['textDocument/documentSymbol', { textDocument }],
        ['textDocument/foldingRange', { textDocument }],
        ['textDocument/semanticTokens/full', { textDocument }],
        ['textDocument/semanticTokens/range', { textDocument, range: whole }],
        ['textDocument/inlayHint', { textDocument, range: whole }],
        ['textDocument/codeLens', { textDocument }],
        ['textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } }]
    ];
}

async function expectAnswered(requests: Array<[string, unknown]>): Promise<void> {
    const outcomes = await Promise.all(requests.map(([method, params]) => attempt(method, params)));
    expect(outcomes.filter(outcome => !outcome.ok)).toEqual([]);
}

const HALF_TYPED = [
    'kpi a "A" { formula safe_ratio(',
    'import "./metrics.kra"\nkpi b "B" {\n  formula safe_ratio(talk_time, calls_handled) +\n  unit\n',
    'kra k "K" { kpi ',
    'metric m "M" { unit ',
    'department d "D" { kra x "X" { kpi y "Y" { formula a + * b target at ',
    'role r "R" in { carries ',
    'kpi z "Z" { thresholds green at least , amber between 10 and\n',
    'organisation o "O" { fiscal year starts in ',
    'import "',
    'import "./ops.kra"\nrole q "Q" {\n  carries ops.\n  kra w "W" { measured by ops.service. weighted',
    'kpi p "P" { formula if calls_handled > then 1 else } }',
    'kpi v "V" { variant w "W" { formula max(1, , 2) target at most by 2026-13-45 } weight -5 %',
    '}}}} kpi "" { formula ((((( ',
    '/** an unfinished doc comment\nkpi x "X" {'
];

describe('robustness', () => {
    it.each(HALF_TYPED.map((text, index) => [index, text]))('answers every request about half-typed document %i', async (index, text) => {
        const uri = await client.open(`half-typed-${index}.kra`, text);
        const diagnostics = await client.waitForDiagnostics(uri);
        const requests: Array<[string, unknown]> = [...documentRequests(uri)];
        for (let offset = 0; offset <= text.length; offset += 3) {
            requests.push(...positionRequests(uri, positionAt(text, offset), diagnostics));
        }
        requests.push(...positionRequests(uri, positionAt(text, text.length), diagnostics));
        await expectAnswered(requests);
        await client.close(uri);
        expect(client.alive).toBe(true);
    });

    it('answers requests at positions outside the document', async () => {
        const uri = client.uri('ops.kra');
        const requests = [
            ...positionRequests(uri, { line: 9_999, character: 9_999 }, []),
            ...positionRequests(uri, { line: 0, character: 9_999 }, []),
            ['textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 500, character: 0 }, end: { line: 900, character: 3 } } }],
            ['textDocument/semanticTokens/range', { textDocument: { uri }, range: { start: { line: 500, character: 0 }, end: { line: 900, character: 3 } } }]
        ] as Array<[string, unknown]>;
        await expectAnswered(requests);
        expect(client.alive).toBe(true);
    });

    it('refuses a negative position as invalid params (-32602): positions are unsigned in the protocol', async () => {
        const outcomes = await Promise.all(positionRequests(client.uri('ops.kra'), { line: -1, character: -1 }, [])
            .map(([method, params]) => attempt(method, params)));
        expect(outcomes.filter(outcome => !outcome.detail.startsWith('-32602: Invalid params'))).toEqual([]);
        expect(client.alive).toBe(true);
    });

    it('answers requests about unknown documents with an error, not a malformed result', async () => {
        for (const uri of ['file:///nowhere/nope.kra', 'untitled:Untitled-1', 'file:///nowhere/notes.txt']) {
            const outcomes = await Promise.all([
                ...positionRequests(uri, { line: 0, character: 0 }, []),
                ...documentRequests(uri)
            ].map(([method, params]) => attempt(method, params)));
            expect(outcomes.filter(outcome => !outcome.ok && !outcome.detail.startsWith('-32603')), uri).toEqual([]);
        }
        expect(client.alive).toBe(true);
    });

    it('answers a request that makes a feature fail with an error response, and keeps serving', async () => {
        const uri = client.uri('ops.kra');
        await expect(client.request('textDocument/hover', { textDocument: { uri }, position: null })).rejects.toMatchObject({ code: expect.any(Number) });
        await expect(client.request('textDocument/hover', {})).rejects.toMatchObject({ code: expect.any(Number) });
        await expect(client.request('textDocument/noSuchRequest', {})).rejects.toMatchObject({ code: -32601 });
        expect(client.alive).toBe(true);
        const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 9 } });
        expect(hover.contents).toBeDefined();
    });

    it('answers cancelled requests with a cancellation error or a result', async () => {
        const uri = client.uri('ops.kra');
        const outcomes = await Promise.all(Array.from({ length: 10 }, async () => {
            const source = new CancellationTokenSource();
            const pending = client.connection.sendRequest('textDocument/references', {
                textDocument: { uri }, position: { line: 12, character: 9 }, context: { includeDeclaration: true }
            }, source.token);
            source.cancel();
            try {
                const result = await pending;
                return Array.isArray(result) ? 'result' : `malformed ${JSON.stringify(result)}`;
            } catch (error) {
                return (error as { code?: number }).code === -32800 ? 'cancelled' : `error ${(error as Error).message}`;
            }
        }));
        expect(outcomes.filter(outcome => outcome !== 'result' && outcome !== 'cancelled')).toEqual([]);
        expect(client.alive).toBe(true);
    });

    it('answers workspace requests promptly while the client reports changes to files that are no documents', async () => {
        const uri = client.uri('ops.kra');
        for (let round = 0; round < 8; round++) {
            await client.filesChanged([
                { uri: client.uri(`gone-${round}.kra`), type: 1 },
                { uri: client.uri(`notes-${round}.txt`), type: 2 },
                { uri: client.uri(`.git/HEAD`), type: 2 },
                { uri: client.uri(`new-folder-${round}`), type: 1 },
                { uri: client.uri(`old-${round}.kra`), type: 3 }
            ]);
            const answers = await Promise.race([
                Promise.all([
                    client.request('workspace/symbol', { query: 'aht' }),
                    client.request('textDocument/references', { textDocument: { uri }, position: { line: 12, character: 9 }, context: { includeDeclaration: true } })
                ]).then(() => 'answered'),
                new Promise(resolve => setTimeout(() => resolve('no answer within 5 s'), 5_000))
            ]);
            expect(answers).toBe('answered');
        }
    });

    it('still answers after all of that', async () => {
        const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: client.uri('ops.kra') } });
        expect(symbols.length).toBe(1);
        expect(client.stderr).not.toMatch(/Uncaught|FATAL|unhandled/i);
    });
});
