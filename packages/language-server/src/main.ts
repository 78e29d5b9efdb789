/**
 * The KRA Lang language server: the language core's services (the same that `kra check` uses)
 * behind the Language Server Protocol. The transport (--stdio, --node-ipc, --socket=<port>,
 * --pipe=<name>) is taken from the command line by vscode-languageserver.
 */
import { createKraServices } from '@kra-lang/language';
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { reportRefusals } from './response-errors.js';
import { WorkspaceConfig } from './workspace-config.js';

export { WorkspaceConfig };

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
    const { shared, Kra } = createKraServices({ connection, ...NodeFileSystem });
    new WorkspaceConfig(connection, shared, Kra).install();
    startLanguageServer(shared);
    reportRefusals(connection, shared);
}
