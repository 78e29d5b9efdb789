import { DefaultLanguageServer, type LangiumSharedServices } from 'langium/lsp';
import type { InitializeParams, InitializeResult } from 'vscode-languageserver-protocol';

/** The name and version a server reports in `initialize` (LSP `serverInfo`). */
export interface ServerInfo {
    readonly name: string;
    readonly version?: string;
}

/** Langium's language server, which also tells the client its name and version. */
export class KraLanguageServer extends DefaultLanguageServer {
    constructor(services: LangiumSharedServices, private readonly serverInfo: ServerInfo | undefined) {
        super(services);
    }

    protected override buildInitializeResult(params: InitializeParams): InitializeResult {
        const result = super.buildInitializeResult(params);
        return this.serverInfo ? { ...result, serverInfo: { ...this.serverInfo } } : result;
    }
}
