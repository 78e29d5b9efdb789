import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices,
    type PartialLangiumSharedServices
} from 'langium/lsp';
import { KraLangGeneratedModule, KraLangGeneratedSharedModule } from './generated/module.js';
import { RuleSettings } from './config/rule-settings.js';
import { KraFormatter } from './formatting/kra-formatter.js';
import { KraScopeComputation } from './scoping/kra-scope-computation.js';
import { KraScopeProvider } from './scoping/kra-scope-provider.js';
import { KraDocumentValidator } from './validation/kra-document-validator.js';
import { registerValidationChecks } from './validation/kra-validator.js';
import { KraLexerErrorMessageProvider, KraParserErrorMessageProvider } from './validation/syntax-messages.js';
import { DeclarationIndex } from './workspace/declaration-index.js';
import { ImportResolver } from './workspace/import-resolver.js';
import { KraWorkspaceManager } from './workspace/kra-workspace-manager.js';

/** Services KRA Lang adds to Langium's. */
export type KraAddedServices = {
    lsp: {
        Formatter: KraFormatter;
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
        Formatter: () => new KraFormatter()
    },
    parser: {
        ParserErrorMessageProvider: () => new KraParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new KraLexerErrorMessageProvider()
    },
    references: {
        ScopeComputation: services => new KraScopeComputation(services),
        ScopeProvider: services => new KraScopeProvider(services)
    },
    validation: {
        DocumentValidator: services => new KraDocumentValidator(services),
        RuleSettings: services => new RuleSettings(services)
    },
    workspace: {
        ImportResolver: services => new ImportResolver(services),
        DeclarationIndex: services => new DeclarationIndex(services)
    }
};

export const KraSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        WorkspaceManager: services => new KraWorkspaceManager(services)
    }
};

/**
 * Creates the one set of services that every shell uses: the CLI, the language server and
 * the tests all parse, link, validate and format through this.
 */
export function createKraServices(context: DefaultSharedModuleContext): { shared: LangiumSharedServices; Kra: KraServices } {
    const shared = inject(createDefaultSharedModule(context), KraLangGeneratedSharedModule, KraSharedModule);
    const Kra = inject(createDefaultModule({ shared }), KraLangGeneratedModule, KraModule);
    shared.ServiceRegistry.register(Kra);
    registerValidationChecks(Kra);
    if (!context.connection) {
        // Without a language client nobody sends the configuration; do not wait for it.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Kra };
}
