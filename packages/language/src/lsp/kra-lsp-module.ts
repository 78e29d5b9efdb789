/**
 * The editor layer: the core services (../kra-module.ts) plus Langium's LSP services and KRA
 * Lang's editor features. The language server, KRA Studio's worker, and the CLI's `fmt` and
 * `--fix` (which use the formatter and the code actions) build these.
 */
import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, DefaultTextDocumentContentProvider, type DefaultSharedModuleContext,
    type LangiumServices, type LangiumSharedServices, type PartialLangiumLSPServices, type PartialLangiumSharedLSPServices
} from 'langium/lsp';
import { KraLangGeneratedModule, KraLangGeneratedSharedModule } from '../generated/module.js';
import { KraCoreModule, KraSharedCoreModule, type KraCoreAddedServices, type KraSharedCoreAddedServices } from '../kra-module.js';
import { KraFormatter } from '../formatting/kra-formatter.js';
import { KraCodeActionProvider } from './kra-code-action-provider.js';
import { KraCodeLensProvider } from './kra-code-lens-provider.js';
import { KraCompletionProvider } from './kra-completion-provider.js';
import { KraDefinitionProvider } from './kra-definition-provider.js';
import { KraDocumentSymbolProvider } from './kra-document-symbol-provider.js';
import { KraDocumentUpdateHandler } from './kra-document-update-handler.js';
import { KraFuzzyMatcher } from './kra-fuzzy-matcher.js';
import { KraHoverProvider } from './kra-hover-provider.js';
import { KraInlayHintProvider } from './kra-inlay-hint-provider.js';
import { KraLanguageServer, type ServerInfo } from './kra-language-server.js';
import { KraLspDocumentBuilder } from './kra-lsp-document-builder.js';
import { KraNodeKindProvider } from './kra-node-kind-provider.js';
import { KraRenameProvider } from './kra-rename-provider.js';
import { KraSemanticTokenProvider } from './kra-semantic-token-provider.js';
import { KraSignatureHelpProvider } from './kra-signature-help-provider.js';
import { KraWorkspaceSymbolProvider } from './kra-workspace-symbol-provider.js';

/** Editor services KRA Lang adds to or replaces in Langium's. */
export type KraLspAddedServices = {
    lsp: {
        Formatter: KraFormatter;
        CompletionProvider: KraCompletionProvider;
        HoverProvider: KraHoverProvider;
        SemanticTokenProvider: KraSemanticTokenProvider;
        InlayHintProvider: KraInlayHintProvider;
        CodeLensProvider: KraCodeLensProvider;
        CodeActionProvider: KraCodeActionProvider;
        SignatureHelp: KraSignatureHelpProvider;
        RenameProvider: KraRenameProvider;
        DocumentSymbolProvider: KraDocumentSymbolProvider;
        DefinitionProvider: KraDefinitionProvider;
    };
};

export type KraSharedServices = LangiumSharedServices & KraSharedCoreAddedServices;

export type KraServices = LangiumServices & KraCoreAddedServices & KraLspAddedServices & { shared: KraSharedServices };

export const KraLspModule: Module<KraServices, PartialLangiumLSPServices & KraLspAddedServices> = {
    lsp: {
        Formatter: () => new KraFormatter(),
        CompletionProvider: services => new KraCompletionProvider(services),
        HoverProvider: services => new KraHoverProvider(services),
        SemanticTokenProvider: services => new KraSemanticTokenProvider(services),
        InlayHintProvider: () => new KraInlayHintProvider(),
        CodeLensProvider: () => new KraCodeLensProvider(),
        CodeActionProvider: services => new KraCodeActionProvider(services),
        DefinitionProvider: services => new KraDefinitionProvider(services),
        SignatureHelp: services => new KraSignatureHelpProvider(services),
        RenameProvider: services => new KraRenameProvider(services),
        DocumentSymbolProvider: services => new KraDocumentSymbolProvider(services)
    }
};

export const KraSharedLspModule: Module<KraSharedServices, PartialLangiumSharedLSPServices & { workspace: { DocumentBuilder: KraLspDocumentBuilder } }> = {
    lsp: {
        DocumentUpdateHandler: services => new KraDocumentUpdateHandler(services),
        FuzzyMatcher: () => new KraFuzzyMatcher(),
        NodeKindProvider: () => new KraNodeKindProvider(),
        WorkspaceSymbolProvider: services => new KraWorkspaceSymbolProvider(services),
        // Go to definition on a built-in unit opens the read-only built-in library.
        TextDocumentContentProvider: services => new DefaultTextDocumentContentProvider(services, 'kra-builtin')
    },
    workspace: {
        // The core's builder, whose refusals the protocol's clients understand.
        DocumentBuilder: services => new KraLspDocumentBuilder(services)
    }
};

/**
 * Creates the services with the editor layer: the language server, KRA Studio's worker and the
 * CLI's formatter and fixes parse, link, validate and format through these.
 */
export function createKraServices(context: DefaultSharedModuleContext & { serverInfo?: ServerInfo }): { shared: KraSharedServices; Kra: KraServices } {
    const serverModule: Module<KraSharedServices, PartialLangiumSharedLSPServices> = {
        lsp: { LanguageServer: services => new KraLanguageServer(services, context.serverInfo) }
    };
    const shared = inject(createDefaultSharedModule(context), KraLangGeneratedSharedModule, KraSharedCoreModule, KraSharedLspModule, serverModule);
    const Kra = inject(createDefaultModule({ shared }), KraLangGeneratedModule, KraCoreModule, KraLspModule);
    shared.ServiceRegistry.register(Kra);
    if (!context.connection) {
        // Without a language client nobody sends the configuration; do not wait for it.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Kra };
}
