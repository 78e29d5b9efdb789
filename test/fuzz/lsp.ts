/**
 * Fuzzing the language server over the real protocol (docs/security.md): random sequences of
 * edits (incremental and whole-document), opens, closes, saves, changes on disk and requests
 * (every feature the server advertises), at positions in and out of range, about documents that
 * were closed and URIs the server never saw. Then:
 *
 * - the server never exits;
 * - it answers every request: with a result, or with a ResponseError (cancelled, content
 *   modified, refused; an internal error only about a URI it does not know), never a timeout;
 * - once the build settles after a save, the diagnostics it published are those of a fresh
 *   build of the final texts (the editor's text of open documents, the disk's of the others),
 *   compared by range, code, severity and message.
 */
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-protocol';
import { loadWorkspaceFromTexts } from '../../packages/language/src/node/memory-workspace.js';
import { copyWorkspace, WORKSPACE } from '../../packages/language-server/test/helpers.js';
import { LspClient } from '../support/lsp-client.js';
import { applyMutation, mutation, type Mutation } from './mutate.js';

/** The files of packages/language-server/test/workspace, then two that are not on disk at first. */
export const FILES = ['fixes.kra', 'metrics.kra', 'ops.kra', 'organisation.kra', 'roles.kra', 'new-a.kra', 'new-b.kra'] as const;
const ON_DISK = 5;

/** URIs the server never hears of (requests and stray notifications go there too). */
const UNKNOWN_URIS = ['file:///nowhere/nope.kra', 'untitled:Untitled-1', 'file:///nowhere/notes.txt', 'kra-builtin:///nothing.kra', 'not a uri'];

/** Text typed or pasted into a document by an incremental change. */
const SNIPPETS = [
    '', ' ', '\n', '\r\n', '"', '{', '}', '(', ')', '.', ',', 'kpi', 'kpi x "X" { formula ', 'metric m "M" { unit count }\n',
    'formula calls_handled / talk_time', 'target at least 5', 'import "./metrics.kra"\n', 'import "./ops.kra"\n', 'kra k "K" { kpi ',
    'ops.', 'metrics.', 'safe_ratio(', 'if calls_handled > 1 then 2 else 3', '/*', '*/', '//', '\uFEFF', '\u0000', '😀', '\uD800',
    'role r "R" in ops { carries ', 'weight 50%', 'department d "D" { }', '}}}}', '(((('
];

/** A position: inside the text (a fraction of it), or one of the ways out of it. */
export type FuzzPosition =
    | { kind: 'inside'; at: number }
    | { kind: 'outside'; line: number; character: number };

const positionArb: fc.Arbitrary<FuzzPosition> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('inside' as const), at: fc.nat({ max: 0xFFFF }) }) },
    {
        weight: 1, arbitrary: fc.record({
            kind: fc.constant('outside' as const),
            line: fc.oneof(fc.constantFrom(-1, 0, 10_000, 2 ** 31 - 1), fc.integer({ min: -3, max: 200 })),
            character: fc.oneof(fc.constantFrom(-1, 0, 10_000, 2 ** 31 - 1), fc.integer({ min: -3, max: 300 }))
        })
    }
);

/** Which document a request or a stray notification is about. */
export type Target = { kind: 'file'; file: number } | { kind: 'unknown'; uri: number };

const targetArb: fc.Arbitrary<Target> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('file' as const), file: fc.nat({ max: FILES.length - 1 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), uri: fc.nat({ max: UNKNOWN_URIS.length - 1 }) }) }
);

const REQUESTS = [
    'completion', 'hover', 'signatureHelp', 'definition', 'references', 'documentHighlight', 'prepareRename', 'rename',
    'codeAction', 'rangeFormatting', 'formatting', 'documentSymbol', 'foldingRange', 'semanticTokens/full',
    'semanticTokens/range', 'inlayHint', 'codeLens', 'workspaceSymbol', 'textDocumentContent'
] as const;
type RequestKind = typeof REQUESTS[number];

export type Action =
    | { kind: 'open'; file: number; mutations: Mutation[] }
    | { kind: 'close'; file: number }
    | { kind: 'full'; file: number; mutations: Mutation[] }
    | { kind: 'incremental'; file: number; changes: Array<{ start: FuzzPosition; end: FuzzPosition; text: string }> }
    | { kind: 'save'; file: number }
    | { kind: 'disk'; file: number; change: 'write' | 'delete'; mutations: Mutation[] }
    | { kind: 'stray'; target: Target; notification: 'change' | 'close' | 'save' }
    | { kind: 'request'; request: RequestKind; target: Target; position: FuzzPosition; end: FuzzPosition; name: string }
    | { kind: 'pause'; ms: number };

const fileArb = fc.nat({ max: FILES.length - 1 });
const mutationsArb = fc.array(mutation, { maxLength: 3 });

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('open' as const), file: fileArb, mutations: mutationsArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), file: fileArb }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('full' as const), file: fileArb, mutations: mutationsArb }) },
    {
        weight: 4, arbitrary: fc.record({
            kind: fc.constant('incremental' as const), file: fileArb,
            changes: fc.array(fc.record({
                start: positionArb, end: positionArb,
                text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 }))
            }), { minLength: 1, maxLength: 3 })
        })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('save' as const), file: fileArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('disk' as const), file: fileArb, change: fc.constantFrom('write' as const, 'delete' as const), mutations: mutationsArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('stray' as const), target: targetArb, notification: fc.constantFrom('change' as const, 'close' as const, 'save' as const) }) },
    {
        weight: 8, arbitrary: fc.record({
            kind: fc.constant('request' as const), request: fc.constantFrom(...REQUESTS), target: targetArb,
            position: positionArb, end: positionArb, name: fc.constantFrom('renamed', 'kpi', '', '1x', 'a.b', 'ops')
        })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 300 }) }) }
);

export const sequenceArb = (maxLength: number): fc.Arbitrary<Action[]> =>
    fc.array(actionArb, { minLength: Math.ceil(maxLength / 2), maxLength, size: 'max' });

/** Error codes that are proper answers about any document: cancelled, content modified, refused. */
const ANSWER_CODES = new Set([-32800, -32801, -32802, -32803]);
/** InternalError and InvalidParams: acceptable only about a URI the server does not know. */
const UNKNOWN_URI_CODES = new Set([-32603, -32602]);
/** InvalidParams: the answer to a position the protocol does not allow (a negative line or character). */
const INVALID_PARAMS = -32602;

export class ServerFuzzFailure extends Error { }

interface Pending {
    readonly description: string;
    /** Unknown to the server when asked; undefined for a file, decided at the end (see vanished). */
    unknown: boolean;
    /** The request has a position with a negative line or character: not a uinteger, so InvalidParams is proper. */
    readonly invalidPosition: boolean;
    readonly file?: number;
    readonly step: number;
    readonly promise: Promise<{ result: unknown } | { error: unknown }>;
}

/** One run: a fresh copy of the workspace and a fresh server, the actions, then the checks. */
export async function runSequence(actions: readonly Action[], options: { settleTimeoutMs?: number; node?: string } = {}): Promise<void> {
    const workspace = copyWorkspace();
    const client = await LspClient.start({ workspace, node: options.node });
    try {
        await new Sequence(client, workspace).run(actions, options.settleTimeoutMs ?? 30_000);
    } finally {
        await client.stop();
        rmSync(workspace, { recursive: true, force: true });
    }
}

class Sequence {
    /** The editor's documents: text and version of each open one. */
    private readonly open = new Map<string, TextDocument>();
    private readonly pending: Pending[] = [];
    private readonly log: string[] = [];
    /** Actions performed so far. */
    private step = 0;
    /** The last step at which each file stopped being known (deleted on disk while closed, or closed while not on disk). */
    private readonly vanished = new Map<number, number>();

    constructor(private readonly client: LspClient, private readonly workspace: string) { }

    private uriOf(file: number): string {
        return this.client.uri(FILES[file]);
    }

    private diskText(file: number): string | undefined {
        const full = path.join(this.workspace, FILES[file]);
        return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    }

    private positionIn(text: string, position: FuzzPosition): { line: number; character: number } {
        if (position.kind === 'outside') {
            return { line: position.line, character: position.character };
        }
        return TextDocument.create('file:///x', 'kra', 0, text).positionAt(position.at % (text.length + 1));
    }

    private targetUri(target: Target): { uri: string; text: string; unknown: boolean } {
        if (target.kind === 'unknown') {
            return { uri: UNKNOWN_URIS[target.uri], text: '', unknown: true };
        }
        const uri = this.uriOf(target.file);
        const document = this.open.get(uri);
        const text = document?.getText() ?? this.diskText(target.file);
        // A file that is neither open nor on disk (never was, or deleted) is unknown to the server too.
        return { uri, text: text ?? '', unknown: text === undefined };
    }

    private notify(method: string, params: unknown): Promise<void> {
        this.log.push(`${method} ${JSON.stringify(params).slice(0, 300)}`);
        return this.client.connection.sendNotification(method, params);
    }

    async run(actions: readonly Action[], settleTimeoutMs: number): Promise<void> {
        for (const action of actions) {
            this.step++;
            await this.perform(action);
        }
        // A request about a file that vanished while it waited is about a file the server no longer knows.
        for (const request of this.pending) {
            if (request.file !== undefined && (this.vanished.get(request.file) ?? -1) >= request.step) {
                request.unknown = true;
            }
        }
        // Edits run the fast checks; a save runs every check on every document again (the
        // server's rule), so the final state is comparable with a fresh build of everything.
        // The save comes once the edits are processed: a later edit cancels a running check of
        // the whole workspace, and the documents it had not reached get the fast checks only.
        await quiet(this.client, 1_000, Date.now() + settleTimeoutMs);
        if (this.open.size === 0) {
            const file = FILES.findIndex((_, index) => this.diskText(index) !== undefined);
            await this.perform({ kind: 'open', file: file < 0 ? ON_DISK : file, mutations: [] });
        }
        await this.notify('textDocument/didSave', { textDocument: { uri: [...this.open.keys()].at(-1) } });
        await this.checkAnswers();
        if (!this.client.alive) {
            throw new ServerFuzzFailure(`The server exited.\n${this.trace()}`);
        }
        await this.checkDiagnostics(settleTimeoutMs);
        if (!this.client.alive) {
            throw new ServerFuzzFailure(`The server exited.\n${this.trace()}`);
        }
    }

    private async perform(action: Action): Promise<void> {
        switch (action.kind) {
            case 'open': {
                const uri = this.uriOf(action.file);
                if (this.open.has(uri)) {
                    return;
                }
                const text = action.mutations.reduce(applyMutation, this.diskText(action.file) ?? '');
                this.open.set(uri, TextDocument.create(uri, 'kra', 1, text));
                await this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'kra', version: 1, text } });
                return;
            }
            case 'close': {
                // One of the open documents (closing one that is not open is a stray notification).
                const open = [...this.open.keys()];
                if (open.length > 0) {
                    const uri = open[action.file % open.length];
                    this.open.delete(uri);
                    const file = FILES.findIndex((_, index) => this.uriOf(index) === uri);
                    if (this.diskText(file) === undefined) {
                        this.vanished.set(file, this.step);
                    }
                    await this.notify('textDocument/didClose', { textDocument: { uri } });
                }
                return;
            }
            case 'full': {
                const uri = this.uriOf(action.file);
                await this.perform({ kind: 'open', file: action.file, mutations: [] }); // an editor edits open documents
                const document = this.open.get(uri);
                if (!document) {
                    return;
                }
                const text = action.mutations.reduce(applyMutation, document.getText());
                const version = document.version + 1;
                this.open.set(uri, TextDocument.update(document, [{ text }], version));
                await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
                return;
            }
            case 'incremental': {
                const uri = this.uriOf(action.file);
                await this.perform({ kind: 'open', file: action.file, mutations: [] }); // an editor edits open documents
                let document = this.open.get(uri);
                if (!document) {
                    return;
                }
                // Each change's range is in the text the previous changes left (as the protocol says).
                const changes: Array<{ range: Range; text: string }> = [];
                const version = document.version + 1;
                for (const change of action.changes) {
                    const text = document.getText();
                    const a = this.positionIn(text, change.start);
                    const b = this.positionIn(text, change.end);
                    const range = before(a, b) ? { start: a, end: b } : { start: b, end: a };
                    changes.push({ range, text: change.text });
                    document = TextDocument.update(document, [{ range, text: change.text }], version);
                }
                this.open.set(uri, document);
                await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
                return;
            }
            case 'save': {
                const uri = this.uriOf(action.file);
                if (this.open.has(uri)) {
                    // Saving writes the editor's text to disk, and the client reports the file change.
                    writeFileSync(path.join(this.workspace, FILES[action.file]), this.open.get(uri)!.getText());
                    await this.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
                    await this.notify('textDocument/didSave', { textDocument: { uri } });
                }
                return;
            }
            case 'disk': {
                const uri = this.uriOf(action.file);
                if (this.open.has(uri)) {
                    return; // the editor's text is what counts while the document is open
                }
                const full = path.join(this.workspace, FILES[action.file]);
                const existed = existsSync(full);
                if (action.change === 'delete') {
                    if (existed) {
                        unlinkSync(full);
                        this.vanished.set(action.file, this.step);
                        await this.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
                    }
                    return;
                }
                writeFileSync(full, action.mutations.reduce(applyMutation, readFileSync(path.join(WORKSPACE, FILES[action.file % ON_DISK]), 'utf8')));
                await this.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: existed ? 2 : 1 }] });
                return;
            }
            case 'stray': {
                const { uri } = this.targetUri(action.target);
                if (this.open.has(uri)) {
                    return; // not stray: that is an edit
                }
                if (action.notification === 'change') {
                    await this.notify('textDocument/didChange', { textDocument: { uri, version: 99 }, contentChanges: [{ text: 'kpi stray "Stray" { }' }] });
                } else {
                    await this.notify(`textDocument/did${action.notification === 'close' ? 'Close' : 'Save'}`, { textDocument: { uri } });
                }
                return;
            }
            case 'request':
                this.request(action);
                return;
            case 'pause':
                await new Promise(resolve => setTimeout(resolve, action.ms));
                return;
        }
    }

    private request(action: Extract<Action, { kind: 'request' }>): void {
        const { uri, text, unknown } = this.targetUri(action.target);
        const textDocument = { uri };
        const position = this.positionIn(text, action.position);
        const other = this.positionIn(text, action.end);
        const range = before(position, other) ? { start: position, end: other } : { start: other, end: position };
        const diagnostics: Diagnostic[] = this.client.diagnostics.get(uri) ?? [];
        const options = { tabSize: 4, insertSpaces: true };
        const requests: Record<RequestKind, [string, unknown]> = {
            completion: ['textDocument/completion', { textDocument, position }],
            hover: ['textDocument/hover', { textDocument, position }],
            signatureHelp: ['textDocument/signatureHelp', { textDocument, position }],
            definition: ['textDocument/definition', { textDocument, position }],
            references: ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
            documentHighlight: ['textDocument/documentHighlight', { textDocument, position }],
            prepareRename: ['textDocument/prepareRename', { textDocument, position }],
            rename: ['textDocument/rename', { textDocument, position, newName: action.name }],
            codeAction: ['textDocument/codeAction', { textDocument, range, context: { diagnostics: diagnostics.slice(0, 5) } }],
            rangeFormatting: ['textDocument/rangeFormatting', { textDocument, range, options }],
            formatting: ['textDocument/formatting', { textDocument, options }],
            documentSymbol: ['textDocument/documentSymbol', { textDocument }],
            foldingRange: ['textDocument/foldingRange', { textDocument }],
            'semanticTokens/full': ['textDocument/semanticTokens/full', { textDocument }],
            'semanticTokens/range': ['textDocument/semanticTokens/range', { textDocument, range }],
            inlayHint: ['textDocument/inlayHint', { textDocument, range }],
            codeLens: ['textDocument/codeLens', { textDocument }],
            workspaceSymbol: ['workspace/symbol', { query: action.name }],
            textDocumentContent: ['workspace/textDocumentContent', { uri: unknown ? uri : 'kra-builtin:///builtins.kra' }]
        };
        const [method, params] = requests[action.request];
        const description = `${method} ${JSON.stringify(params).slice(0, 300)}`;
        this.log.push(`request ${description}`);
        // Settled at once (an error handled later would count as unhandled), checked at the end.
        const promise = this.client.request(method, params).then(result => ({ result }), (error: unknown) => ({ error }));
        const sent = params as { position?: Position; range?: Range };
        const invalidPosition = [sent.position, sent.range?.start, sent.range?.end]
            .some(point => point !== undefined && (point.line < 0 || point.character < 0));
        this.pending.push({ description, unknown, invalidPosition, promise, step: this.step, file: action.target.kind === 'file' ? action.target.file : undefined });
    }

    /** Every request was answered: a result, or a proper error; none is left without an answer. */
    private async checkAnswers(): Promise<void> {
        const problems: string[] = [];
        const outcomes = await Promise.all(this.pending.map(async ({ description, unknown, invalidPosition, promise }) => {
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<'timeout'>(resolve => {
                timer = setTimeout(() => resolve('timeout'), 30_000);
            });
            const outcome = await Promise.race([promise, timeout]);
            clearTimeout(timer);
            if (outcome === 'timeout') {
                return `no answer within 30 s: ${description}`;
            }
            if ('error' in outcome) {
                const { error } = outcome;
                const code = (error as { code?: number }).code;
                if (code !== undefined && (ANSWER_CODES.has(code) || (unknown && UNKNOWN_URI_CODES.has(code)) || (invalidPosition && code === INVALID_PARAMS))) {
                    return undefined;
                }
                return `error ${String(code)} (${String((error as Error).message).split('\n')[0]}): ${description}`;
            }
            const { result } = outcome;
            if (result && typeof result === 'object' && !Array.isArray(result) && typeof (result as { code?: unknown }).code === 'number') {
                return `an error sent as a result (${JSON.stringify(result)}): ${description}`;
            }
            return undefined;
        }));
        problems.push(...outcomes.filter((outcome): outcome is string => outcome !== undefined));
        if (problems.length > 0) {
            throw new ServerFuzzFailure(`Requests not answered properly:\n  ${problems.join('\n  ')}\n${this.trace()}`);
        }
    }

    /** The final texts: the editor's for open documents, the disk's for the others. */
    private finalTexts(): Map<string, string> {
        const files = new Map<string, string>();
        for (let file = 0; file < FILES.length; file++) {
            const text = this.open.get(this.uriOf(file))?.getText() ?? this.diskText(file);
            if (text !== undefined) {
                // As KraNodeFileSystem reads the disk, and as an editor shows a file: no byte order mark.
                files.set(FILES[file], this.open.has(this.uriOf(file)) || text.charCodeAt(0) !== 0xFEFF ? text : text.substring(1));
            }
        }
        return files;
    }

    /**
     * Waits for the server to go quiet, then compares its latest diagnostics with a fresh build's;
     * a difference is a failure only if it persists until `timeoutMs` (the build may still run).
     */
    private async checkDiagnostics(timeoutMs: number): Promise<void> {
        const texts = this.finalTexts();
        const fresh = await loadWorkspaceFromTexts(texts, this.workspace);
        const expected = new Map<string, string[]>();
        for (const document of fresh.documents) {
            expected.set(document.uri.toString(), canonical(document.diagnostics ?? []));
        }
        const root = this.client.uri('.').replace(/\/?$/, '/');
        const deadline = Date.now() + timeoutMs;
        let difference = '';
        for (;;) {
            await quiet(this.client, 1_000, deadline);
            difference = compare(expected, this.client.diagnostics, root);
            if (!difference || Date.now() > deadline || !this.client.alive) {
                break;
            }
        }
        if (difference) {
            const files = [...texts].map(([file, text]) => `--- ${file}${this.open.has(this.client.uri(file)) ? ' (open)' : ''}\n${text}`).join('\n');
            throw new ServerFuzzFailure(`The server's diagnostics differ from a fresh build of the final texts:\n${difference}\n${this.trace()}\nFinal texts:\n${files}`);
        }
    }

    private trace(): string {
        const tail = this.log.slice(-60);
        return `Sequence (${this.log.length} messages${tail.length < this.log.length ? ', last 60' : ''}):\n  ${tail.join('\n  ')}\nServer stderr:\n${this.client.stderr.slice(-3000)}`;
    }
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
    return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Diagnostics as comparable lines: range, severity, code and message, sorted. */
function canonical(diagnostics: readonly Diagnostic[]): string[] {
    return diagnostics.map(d => {
        const message = typeof d.message === 'string' ? d.message : (d.message as { value: string }).value;
        return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.severity)} ${String(d.code)} ${message}`;
    }).sort();
}

function compare(expected: ReadonlyMap<string, string[]>, published: ReadonlyMap<string, Diagnostic[]>, root: string): string {
    const uris = new Set([...expected.keys(), ...[...published.keys()].filter(uri => uri.startsWith(root))]);
    const lines: string[] = [];
    for (const uri of [...uris].sort()) {
        const want = expected.get(uri) ?? [];
        const got = canonical(published.get(uri) ?? []);
        const missing = want.filter(line => !got.includes(line));
        const extra = got.filter(line => !want.includes(line));
        if (missing.length > 0 || extra.length > 0 || want.length !== got.length) {
            lines.push(`${uri.slice(root.length)}:`, ...missing.map(line => `  - expected: ${line}`), ...extra.map(line => `  + published: ${line}`));
            if (missing.length === 0 && extra.length === 0) {
                lines.push(`  (same lines, counts differ: expected ${want.length}, published ${got.length})`);
            }
        }
    }
    return lines.join('\n');
}

/** Resolves once the server has published nothing for `ms` (or at the deadline). */
async function quiet(client: LspClient, ms: number, deadline: number): Promise<void> {
    let count = client.published.length;
    let since = Date.now();
    while (Date.now() - since < ms && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
        if (client.published.length !== count) {
            count = client.published.length;
            since = Date.now();
        }
    }
}
