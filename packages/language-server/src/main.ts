/**
 * The KRA Lang language server: the language core's services (the same that `kra check` uses)
 * behind the Language Server Protocol. The transport (--stdio, --node-ipc, --socket=<port>,
 * --pipe=<name>) is taken from the command line by vscode-languageserver.
 */
import { setFlagsFromString } from 'node:v8';
import { createKraServices, type ServerInfo } from '@kra-lang/language';
import { startLanguageServer } from 'langium/lsp';
import { KraNodeFileSystem as NodeFileSystem } from '@kra-lang/language/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { reportRefusals } from './response-errors.js';
import { WorkspaceConfig } from './workspace-config.js';

export { WorkspaceConfig };

/**
 * V8 lets the old generation grow to up to four times the live heap before it collects it. A
 * server holds its workspace (about 290 MB of syntax trees on a 10,000-KPI workspace) and each
 * keystroke replaces the tree of the edited file, so while typing the process grew from about
 * 410 MB to 1.2 GB, nearly all of it garbage. Collecting once the heap has grown by half keeps it
 * under 600 MB. Each full collection of such a heap marks it on a helper thread, about 300 ms of
 * CPU (the pause itself is 10-15 ms), so a tighter setting slows the keystrokes it overlaps on a
 * machine with few cores: at 20 % (a collection every ten keystrokes) the keystroke p95 on
 * 2 cores went from about 110 ms to 320 ms; at 50 % (every 25) it is about 150 ms.
 * Set here rather than on the command line so that every way of starting the server (the bin
 * script, the VS Code extension's bundle) gets it.
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * Starts the server. `serverInfo` is what `initialize` reports: the launcher passes this
 * package's name and version (read there, since bundles into CommonJS have no import.meta).
 */
export function startServer(serverInfo?: ServerInfo, connection: Connection = createConnection(ProposedFeatures.all)): void {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    const { shared, Kra } = createKraServices({ connection, ...NodeFileSystem, serverInfo });
    new WorkspaceConfig(connection, shared, Kra).install();
    startLanguageServer(shared);
    reportRefusals(connection, shared);
}
