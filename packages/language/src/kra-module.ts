/**
 * The language core's services: parsing, linking, scoping, validation and the workspace. Every
 * consumer builds on these; the editor features (completion, hover, code actions, the
 * formatter, …) are a layer on top, in lsp/kra-lsp-module.ts. Nothing here imports the
 * Language Server Protocol or lsp/ (docs/architecture.md; test/architecture.test.ts checks it).
 */
import {
    createDefaultCoreModule, createDefaultSharedCoreModule, inject, type DefaultSharedCoreModuleContext, type LangiumCoreServices,
    type LangiumSharedCoreServices, type Module, type PartialLangiumCoreServices, type PartialLangiumSharedCoreServices
} from 'langium';
import { KraLangGeneratedModule, KraLangGeneratedSharedModule, KraLangLanguageMetaData } from './generated/module.js';
import { RuleSettings } from './config/rule-settings.js';
import { KraLexer, KraTokenBuilder } from './parser/kra-lexer.js';
import { createKraParser } from './parser/kra-parser.js';
import { KraValueConverter } from './parser/kra-value-converter.js';
import { KraLinker } from './scoping/kra-linker.js';
import { KraReferenceDescriptionProvider } from './scoping/kra-reference-descriptions.js';
import { KraScopeComputation } from './scoping/kra-scope-computation.js';
import { KraScopeProvider } from './scoping/kra-scope-provider.js';
import { KraDocumentValidator } from './validation/kra-document-validator.js';
import { KraLexerErrorMessageProvider, KraParserErrorMessageProvider } from './validation/syntax-messages.js';
import { DeclarationIndex } from './workspace/declaration-index.js';
import { ImportResolver } from './workspace/import-resolver.js';
import { KraAstNodeLocator } from './workspace/kra-ast-node-locator.js';
import { KraDocumentBuilder } from './workspace/kra-document-builder.js';
import { KraIndexManager } from './workspace/kra-index-manager.js';
import { KraLangiumDocuments } from './workspace/kra-langium-documents.js';
import { KraDocumentFactory } from './workspace/kra-document-factory.js';
import { KraWorkspaceManager } from './workspace/kra-workspace-manager.js';
import { SyntaxTrees } from './workspace/syntax-trees.js';
import { KraAstNodeDescriptionProvider } from './scoping/kra-node-descriptions.js';

/** Shared services KRA Lang replaces, typed as what they are (no casts where they are used). */
export type KraSharedCoreAddedServices = {
    workspace: {
        DocumentBuilder: KraDocumentBuilder;
        LangiumDocumentFactory: KraDocumentFactory;
        IndexManager: KraIndexManager;
        WorkspaceManager: KraWorkspaceManager;
        SyntaxTrees: SyntaxTrees;
    };
};

export type KraSharedCoreServices = LangiumSharedCoreServices & KraSharedCoreAddedServices;

/** Services KRA Lang adds to Langium's core. */
export type KraCoreAddedServices = {
    validation: {
        RuleSettings: RuleSettings;
    };
    workspace: {
        ImportResolver: ImportResolver;
        DeclarationIndex: DeclarationIndex;
    };
};

export type KraCoreServices = LangiumCoreServices & KraCoreAddedServices & { shared: KraSharedCoreServices };

/** Every core service of KRA Lang that differs from Langium's defaults, in one place. */
export const KraCoreModule: Module<KraCoreServices, PartialLangiumCoreServices & KraCoreAddedServices> = {
    // Langium's 'production' mode: the lexer and the parser skip chevrotain's checks of the
    // grammar when they are built (paid by every `kra check`; docs/performance.md).
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
        // Declarations' places computed when asked, not for every declaration (scoping/kra-node-descriptions.ts).
        AstNodeDescriptionProvider: services => new KraAstNodeDescriptionProvider(services),
        ReferenceDescriptionProvider: services => new KraReferenceDescriptionProvider(services),
        ImportResolver: services => new ImportResolver(services),
        DeclarationIndex: services => new DeclarationIndex(services)
    }
};

export const KraSharedCoreModule: Module<KraSharedCoreServices, PartialLangiumSharedCoreServices & KraSharedCoreAddedServices> = {
    workspace: {
        DocumentBuilder: services => new KraDocumentBuilder(services),
        // An edit parses again only the declaration that holds it (parser/incremental-parse.ts).
        LangiumDocumentFactory: services => new KraDocumentFactory(services),
        // The order of the indexed documents without listing their declarations (scoping/kra-scope-provider.ts).
        IndexManager: services => new KraIndexManager(services),
        // The list of all documents kept between additions and deletions.
        LangiumDocuments: services => new KraLangiumDocuments(services),
        WorkspaceManager: services => new KraWorkspaceManager(services),
        // Releases the syntax trees of closed files in the editor (lsp/, the language server).
        SyntaxTrees: services => new SyntaxTrees(services)
    }
};

/**
 * The core services alone, for consumers without an editor: the compiler, the evaluator and
 * tests of the core. Nobody sends configuration to them, so they do not wait for it.
 */
export function createKraCoreServices(context: DefaultSharedCoreModuleContext): { shared: KraSharedCoreServices; Kra: KraCoreServices } {
    const shared = inject(createDefaultSharedCoreModule(context), KraLangGeneratedSharedModule, KraSharedCoreModule);
    const Kra = inject(createDefaultCoreModule({ shared }), KraLangGeneratedModule, KraCoreModule);
    shared.ServiceRegistry.register(Kra);
    shared.workspace.ConfigurationProvider.initialized({});
    return { shared, Kra };
}
