/**
 * A small Language Server Protocol client for tests and benchmarks: it starts the built
 * `kra-language-server --stdio` (or `--node-ipc`) in a child process, talks JSON-RPC to it, answers
 * the requests a server sends to its client, and records the diagnostics it publishes.
 *
 *     const client = await LspClient.start({ workspace: '/tmp/ws' });
 *     const uri = await client.open('ops.kra');
 *     const diagnostics = await client.waitForDiagnostics(uri, list => list.length > 0);
 *     const { result, ms } = await client.timed('textDocument/hover', { textDocument: { uri }, position });
 *     await client.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    createProtocolConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter,
    type ClientCapabilities, type Diagnostic, type InitializeResult, type ProtocolConnection,
    type PublishDiagnosticsParams, type Registration
} from 'vscode-languageserver-protocol/node';

export const SERVER_BIN = fileURLToPath(new URL('../../packages/language-server/bin/kra-language-server.js', import.meta.url));

export interface LspClientOptions {
    /** The workspace folder to open (a directory on disk). */
    readonly workspace: string;
    /** Extra client capabilities, merged over the defaults. */
    readonly capabilities?: ClientCapabilities;
    /** The Node binary to run the server with; defaults to the one running the tests. */
    readonly node?: string;
    /** Options for that Node (V8 flags, --inspect, diagnostic reports), before the server's script. */
    readonly nodeArgs?: readonly string[];
    /** Print the server's stderr (its console) to this process's stderr. */
    readonly echoStderr?: boolean;
    /** How to talk to the server: over its stdin/stdout (default) or Node's IPC channel. */
    readonly transport?: 'stdio' | 'node-ipc';
}

/** What a VS Code-like client declares: enough for every feature the server offers. */
export const DEFAULT_CAPABILITIES: ClientCapabilities = {
    workspace: {
        configuration: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
        workspaceEdit: { documentChanges: false },
        symbol: {}
    },
    textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        completion: { completionItem: { snippetSupport: true, insertReplaceSupport: false, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
        rename: { prepareSupport: true },
        publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
        semanticTokens: {
            requests: { full: { delta: true }, range: true },
            tokenTypes: [], tokenModifiers: [], formats: ['relative']
        },
        inlayHint: {},
        codeLens: {},
        foldingRange: {},
        documentHighlight: {},
        formatting: {},
        rangeFormatting: {}
    }
};

interface DiagnosticsWaiter {
    readonly uri: string;
    readonly predicate: (diagnostics: Diagnostic[]) => boolean;
    readonly resolve: (diagnostics: Diagnostic[]) => void;
}

export class LspClient {

    /** The latest diagnostics the server published, per document URI. */
    readonly diagnostics = new Map<string, Diagnostic[]>();
    /** Every diagnostics notification, in the order received. */
    readonly published: PublishDiagnosticsParams[] = [];
    /** Capabilities the server registered dynamically (e.g. file watchers). */
    readonly registrations: Registration[] = [];
    /** Everything the server wrote to stderr. */
    stderr = '';
    initializeResult!: InitializeResult;

    private readonly waiters = new Set<DiagnosticsWaiter>();
    private readonly versions = new Map<string, number>();
    private exitCode: number | null | undefined = undefined;

    private constructor(
        readonly workspace: string,
        readonly process: ChildProcess,
        readonly connection: ProtocolConnection
    ) { }

    /** Starts the server, sends `initialize` with the workspace folder, then `initialized`. */
    static async start(options: LspClientOptions): Promise<LspClient> {
        const ipc = options.transport === 'node-ipc';
        const child = spawn(options.node ?? process.execPath, [...options.nodeArgs ?? [], SERVER_BIN, ipc ? '--node-ipc' : '--stdio'], {
            stdio: ipc ? ['ignore', 'ignore', 'pipe', 'ipc'] : 'pipe'
        });
        const connection = ipc
            ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
            : createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
        const client = new LspClient(options.workspace, child, connection);
        child.stderr!.on('data', chunk => {
            client.stderr += String(chunk);
            if (options.echoStderr) {
                process.stderr.write(chunk);
            }
        });
        child.on('exit', code => {
            client.exitCode = code;
        });
        client.listen();
        connection.listen();
        const folder = pathToFileURL(options.workspace).toString();
        client.initializeResult = await connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri: folder,
            workspaceFolders: [{ uri: folder, name: path.basename(options.workspace) }],
            capabilities: merge(DEFAULT_CAPABILITIES, options.capabilities ?? {})
        });
        await connection.sendNotification('initialized', {});
        return client;
    }

    private listen(): void {
        this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
            this.published.push(params);
            this.diagnostics.set(params.uri, params.diagnostics);
            for (const waiter of [...this.waiters]) {
                if (waiter.uri === params.uri && waiter.predicate(params.diagnostics)) {
                    this.waiters.delete(waiter);
                    waiter.resolve(params.diagnostics);
                }
            }
        });
        this.connection.onRequest('client/registerCapability', (params: { registrations: Registration[] }) => {
            this.registrations.push(...params.registrations);
            return null;
        });
        this.connection.onRequest('client/unregisterCapability', () => null);
        this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
        this.connection.onRequest('window/workDoneProgress/create', () => null);
        for (const refresh of ['workspace/semanticTokens/refresh', 'workspace/inlayHint/refresh', 'workspace/codeLens/refresh', 'workspace/diagnostic/refresh']) {
            this.connection.onRequest(refresh, () => null);
        }
        this.connection.onNotification('window/logMessage', () => undefined);
    }

    /** The file URI of a path relative to the workspace (or an absolute one). */
    uri(file: string): string {
        return pathToFileURL(path.resolve(this.workspace, file)).toString();
    }

    /** Opens a document, with its text on disk unless `text` is given. Returns its URI. */
    async open(file: string, text?: string): Promise<string> {
        const uri = this.uri(file);
        const content = text ?? readFileSync(fileURLToPath(uri), 'utf8');
        this.versions.set(uri, 1);
        await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kra', version: 1, text: content } });
        return uri;
    }

    /** Replaces the whole text of an open document. */
    async change(uri: string, text: string): Promise<void> {
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    }

    async save(uri: string): Promise<void> {
        await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    }

    async close(uri: string): Promise<void> {
        await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }

    /** Tells the server that files changed on disk (1 created, 2 changed, 3 deleted). */
    async filesChanged(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
        await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
    }

    request<R = unknown>(method: string, params: unknown): Promise<R> {
        return this.connection.sendRequest(method, params) as Promise<R>;
    }

    /** Sends a request and measures how long the answer takes, in milliseconds. */
    async timed<R = unknown>(method: string, params: unknown): Promise<{ result: R; ms: number }> {
        const start = performance.now();
        const result = await this.request<R>(method, params);
        return { result, ms: performance.now() - start };
    }

    /**
     * Resolves with the diagnostics of `uri` once the server has published a list that satisfies
     * `predicate` (any list, by default); the latest list counts too.
     */
    waitForDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean = () => true, timeoutMs = 20_000): Promise<Diagnostic[]> {
        const current = this.diagnostics.get(uri);
        if (current && predicate(current)) {
            return Promise.resolve(current);
        }
        return new Promise((resolve, reject) => {
            const waiter: DiagnosticsWaiter = {
                uri, predicate, resolve: diagnostics => {
                    clearTimeout(timer);
                    resolve(diagnostics);
                }
            };
            const timer = setTimeout(() => {
                this.waiters.delete(waiter);
                reject(new Error(`No matching diagnostics for ${uri} within ${timeoutMs} ms. Latest: ${JSON.stringify(this.diagnostics.get(uri)?.map(d => `${String(d.code)}: ${typeof d.message === 'string' ? d.message : ''}`), undefined, 1)}`));
            }, timeoutMs);
            this.waiters.add(waiter);
        });
    }

    /** True while the server process runs. */
    get alive(): boolean {
        return this.exitCode === undefined && this.process.exitCode === null;
    }

    /** Sends `shutdown` and `exit`, and kills the server if it has not exited a second later. */
    async stop(): Promise<void> {
        if (!this.alive) {
            this.connection.dispose();
            return;
        }
        const exited = new Promise<void>(resolve => this.process.once('exit', () => resolve()));
        try {
            await withTimeout(this.connection.sendRequest('shutdown'), 2_000);
            await this.connection.sendNotification('exit');
        } catch {
            // an unresponsive server is killed below
        }
        const timer = setTimeout(() => this.process.kill('SIGKILL'), 1_000);
        await exited;
        clearTimeout(timer);
        this.connection.dispose();
    }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);
}

function merge<T extends object>(base: T, extra: object): T {
    const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(extra)) {
        const current = result[key];
        result[key] = value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
            ? merge(current as object, value)
            : value;
    }
    return result as T;
}
