/**
 * The KRA Lang language server: the language core's services (the same that `kra check` uses)
 * behind the Language Server Protocol. The transport (--stdio, --node-ipc, --socket=<port>,
 * --pipe=<name>) is taken from the command line by vscode-languageserver.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createKraServices, type KraSharedServices, type ServerInfo } from '@kra-lang/language';
import { startLanguageServer } from 'langium/lsp';
import { KraNodeFileSystem as NodeFileSystem } from '@kra-lang/language/node';
import { createConnection, DiagnosticSeverity, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { guardFraming } from './protocol/frame-guard.js';
import { answerRefusals, LifecycleGate } from './protocol/lifecycle.js';
import { reportRefusals } from './response-errors.js';
import { WorkspaceConfig } from './workspace-config.js';

export { WorkspaceConfig };

/**
 * V8 lets the old generation grow to up to four times the live heap before it collects it. A
 * server holds its workspace's ASTs and each keystroke replaces part of the edited file's, so
 * while typing the process grows to several times its live heap, nearly all of it garbage.
 * Collecting once the heap has grown by 30 % keeps it near its live size. Each full collection
 * marks the heap on a helper thread (the pause itself is short), so a tighter setting slows the
 * keystrokes it overlaps on a machine with few cores: on M (a live heap of 160 MB, the trees of
 * closed files released), 20 % made typing slower (keystroke p95 47 ms against 28-41 ms at
 * 30 %), 50 % let RSS reach 380 MB (320-330 MB at 30 %). The figures: docs/performance.md
 * ("Figures behind design choices", "Server RSS on M").
 * Set here rather than on the command line so that every way of starting the server (the bin
 * script, the VS Code extension's bundle) gets it.
 */
const HEAP_GROWING_PERCENT = 30;

/**
 * Starts the server. `serverInfo` is what `initialize` reports: the launcher passes this
 * package's name and version (read there, since bundles into CommonJS have no import.meta).
 */
export function startServer(serverInfo?: ServerInfo, connection: Connection = createGuardedConnection()): void {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    answerRefusals(connection);
    const { shared, Kra } = createKraServices({ connection, ...NodeFileSystem, serverInfo });
    // Closed files keep their AST; their syntax trees are parsed again when something reads them.
    // The workspace's files are released as they load: the first build reads the trees of the
    // files with findings only.
    shared.workspace.SyntaxTrees.releaseClosedDocuments(collectAfterLargeRelease(shared));
    shared.workspace.WorkspaceManager.releaseLoadedTrees = true;
    new WorkspaceConfig(connection, shared, Kra).install();
    startLanguageServer(shared);
    reportRefusals(connection, shared);
    void reportUnreadable(connection, shared);
}

/** How many syntax trees a build releases for the server to collect its garbage after it. */
const LARGE_RELEASE = 100;

/** How long the server must have had no document change before that collection runs. */
const IDLE_MS = 1000;

/**
 * After a build released the syntax trees of many closed files (workspace/syntax-trees.ts in the
 * language core), they are garbage: that happens after a change of kra.config.yaml, which checks
 * every file again and so restores every tree (the workspace's load releases each tree as its
 * file is parsed, and a save's slow checks restore only the files they report in). V8 would
 * keep the memory they took until the heap grows again, so the process would stay at the size
 * of the build's peak; one full collection of the kind that gives the pages back to the system
 * does it at once (on M, when the load still released the trees after its build: 403 MB →
 * 281 MB). It pauses the server for a few hundred milliseconds, so it waits until no document
 * has changed for a second: a file opened or typed in meanwhile is not kept waiting.
 */
function collectAfterLargeRelease(shared: KraSharedServices): ((count: number) => void) | undefined {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as ((options: object) => void) | undefined;
    if (typeof gc !== 'function') {
        return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    const collectWhenIdle = () => {
        clearTimeout(timer);
        // A plain `gc()` frees the garbage but keeps the pages for later; 'last-resort' returns them.
        timer = setTimeout(() => {
            timer = undefined;
            gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
        }, IDLE_MS).unref();
    };
    shared.workspace.DocumentBuilder.onUpdate(() => {
        if (timer) {
            collectWhenIdle();
        }
    });
    return count => {
        if (count >= LARGE_RELEASE) {
            collectWhenIdle();
        }
    };
}

/**
 * The editor keeps working when a workspace file cannot be read (`kra check` fails instead),
 * but says so: a warning on the file, which the Problems view lists, and a line in the log.
 * Without it the file's declarations would be missing and its problems unseen, with no sign why.
 */
async function reportUnreadable(connection: Connection, shared: KraSharedServices): Promise<void> {
    const workspaceManager = shared.workspace.WorkspaceManager;
    await workspaceManager.ready;
    for (const entry of workspaceManager.unreadable) {
        const message = `kra could not read this ${entry.uri.path.endsWith('.kra') ? 'file' : 'folder'}: ${entry.reason}. It is left out of the workspace, so its declarations are missing and its problems are not shown; \`kra check\` fails on it. Fix its permissions, then reload the window.`;
        connection.console.warn(`${entry.uri.fsPath}: ${message}`);
        await connection.sendDiagnostics({
            uri: entry.uri.toString(),
            diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: 'kra', message }]
        });
    }
}

/**
 * The connection on the transport the command line names, with the protocol's lifecycle kept
 * (protocol/lifecycle.ts) and, on stdio, the message framing watched (protocol/frame-guard.ts).
 */
function createGuardedConnection(): Connection {
    if (process.argv.includes('--stdio')) {
        guardFraming(process.stdin);
    }
    return createConnection(ProposedFeatures.all, { messageStrategy: new LifecycleGate() });
}
