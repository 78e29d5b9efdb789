import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, DefaultTextDocumentContentProvider,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices,
    type PartialLangiumSharedServices
} from 'langium/lsp';
import { KraLangGeneratedModule, KraLangGeneratedSharedModule, KraLangLanguageMetaData } from './generated/module.js';
import { RuleSettings } from './config/rule-settings.js';
import { KraFormatter } from './formatting/kra-formatter.js';
import { KraCodeActionProvider } from './lsp/kra-code-action-provider.js';
import { KraCodeLensProvider } from './lsp/kra-code-lens-provider.js';
import { KraCompletionProvider } from './lsp/kra-completion-provider.js';
import { KraDefinitionProvider } from './lsp/kra-definition-provider.js';
import { KraDocumentSymbolProvider } from './lsp/kra-document-symbol-provider.js';
import { KraDocumentUpdateHandler } from './lsp/kra-document-update-handler.js';
import { KraFuzzyMatcher } from './lsp/kra-fuzzy-matcher.js';
import { KraHoverProvider } from './lsp/kra-hover-provider.js';
import { KraInlayHintProvider } from './lsp/kra-inlay-hint-provider.js';
import { KraLanguageServer, type ServerInfo } from './lsp/kra-language-server.js';
import { KraNodeKindProvider } from './lsp/kra-node-kind-provider.js';
import { KraRenameProvider } from './lsp/kra-rename-provider.js';
import { KraSemanticTokenProvider } from './lsp/kra-semantic-token-provider.js';
import { KraSignatureHelpProvider } from './lsp/kra-signature-help-provider.js';
import { KraWorkspaceSymbolProvider } from './lsp/kra-workspace-symbol-provider.js';
import { KraLexer, KraTokenBuilder } from './parser/kra-lexer.js';
import { createKraParser } from './parser/kra-parser.js';
import { KraLinker } from './scoping/kra-linker.js';
import { KraReferenceDescriptionProvider } from './scoping/kra-reference-descriptions.js';
import { KraScopeComputation } from './scoping/kra-scope-computation.js';
import { KraScopeProvider } from './scoping/kra-scope-provider.js';
import { KraDocumentValidator } from './validation/kra-document-validator.js';
import { KraLexerErrorMessageProvider, KraParserErrorMessageProvider } from './validation/syntax-messages.js';
import { DeclarationIndex } from './workspace/declaration-index.js';
import { ImportResolver } from './workspace/import-resolver.js';
import { KraAstNodeLocator } from './workspace/kra-ast-node-locator.js';
import { KraValueConverter } from './parser/kra-value-converter.js';
import { KraDocumentBuilder } from './workspace/kra-document-builder.js';
import { KraWorkspaceManager } from './workspace/kra-workspace-manager.js';

/** Services KRA Lang adds to Langium's. */
export type KraAddedServices = {
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
    validation: {
        RuleSettings: RuleSettings;
    };
    workspace: {
        ImportResolver: ImportResolver;
        DeclarationIndex: DeclarationIndex;
    };
};

export type KraServices = LangiumServices & KraAddedServices;

/** Every KRA Lang service that differs from Langium's defaults, in one place. */
export const KraModule: Module<KraServices, PartialLangiumServices & KraAddedServices> = {
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
    },
    // Langium's 'production' mode: the lexer and the parser skip chevrotain's checks of the
    // grammar when they are built (about 15 ms of the 120 ms of building them, paid by every `kra check`).
    // test/ambiguity.test.ts runs them, with the lookahead warnings this mode silences.
    LanguageMetaData: () => ({ ...KraLangLanguageMetaData, mode: 'production' }),
    parser: {
        // Limits on file size, binary files and formula nesting (docs/security.md).
        Lexer: services => new KraLexer(services),
        TokenBuilder: () => new KraTokenBuilder(),
        ParserErrorMessageProvider: () => new KraParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new KraLexerErrorMessageProvider(),
        // Strings as one slice, not a chain of concatenations (docs/performance.md).
        ValueConverter: () => new KraValueConverter(),
        // Links AST nodes to their containers without allocating (parser/kra-parser.ts).
        LangiumParser: services => createKraParser(services)
    },
    references: {
        ScopeComputation: services => new KraScopeComputation(services),
        ScopeProvider: services => new KraScopeProvider(services),
        // Plain loops over the AST instead of Langium's streams (model/ast-walk.ts).
        Linker: services => new KraLinker(services)
    },
    validation: {
        DocumentValidator: services => new KraDocumentValidator(services),
        RuleSettings: services => new RuleSettings(services)
    },
    workspace: {
        // Flat node paths in the reference index (docs/performance.md).
        AstNodeLocator: () => new KraAstNodeLocator(),
        ReferenceDescriptionProvider: services => new KraReferenceDescriptionProvider(services),
        ImportResolver: services => new ImportResolver(services),
        DeclarationIndex: services => new DeclarationIndex(services)
    }
};

export const KraSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    lsp: {
        DocumentUpdateHandler: services => new KraDocumentUpdateHandler(services),
        FuzzyMatcher: () => new KraFuzzyMatcher(),
        NodeKindProvider: () => new KraNodeKindProvider(),
        WorkspaceSymbolProvider: services => new KraWorkspaceSymbolProvider(services),
        // Go to definition on a built-in unit opens the read-only built-in library.
        TextDocumentContentProvider: services => new DefaultTextDocumentContentProvider(services, 'kra-builtin')
    },
    workspace: {
        DocumentBuilder: services => new KraDocumentBuilder(services),
        WorkspaceManager: services => new KraWorkspaceManager(services)
    }
};

/**
 * Creates the one set of services that every shell uses: the CLI, the language server and
 * the tests all parse, link, validate and format through this.
 */
export function createKraServices(context: DefaultSharedModuleContext & { serverInfo?: ServerInfo }): { shared: LangiumSharedServices; Kra: KraServices } {
    const serverModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
        lsp: { LanguageServer: services => new KraLanguageServer(services, context.serverInfo) }
    };
    const shared = inject(createDefaultSharedModule(context), KraLangGeneratedSharedModule, KraSharedModule, serverModule);
    const Kra = inject(createDefaultModule({ shared }), KraLangGeneratedModule, KraModule);
    shared.ServiceRegistry.register(Kra);
    if (!context.connection) {
        // Without a language client nobody sends the configuration; do not wait for it.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Kra };
}
