import type { LangiumDocument, MaybePromise } from 'langium';
import { DefaultDefinitionProvider, type LangiumServices } from 'langium/lsp';
import type { DefinitionParams, InitializeParams, LocationLink } from 'vscode-languageserver-protocol';
import { isBuiltinUri } from '../builtins/builtin-library.js';

/**
 * Go to definition, leaving out the built-in library (`kra-builtin:` units and perspectives)
 * for clients that cannot open it: only a client with the `workspace/textDocumentContent`
 * capability (LSP 3.18, e.g. VS Code) can show that read-only document. Others (Neovim, Helix)
 * would open an empty buffer and report an error, so they get no location, as for a keyword.
 */
export class KraDefinitionProvider extends DefaultDefinitionProvider {

    private builtinsOpen = false;

    constructor(services: LangiumServices) {
        super(services);
        services.shared.lsp.LanguageServer.onInitialize((params: InitializeParams) => {
            this.builtinsOpen = params.capabilities.workspace?.textDocumentContent !== undefined;
        });
    }

    override getDefinition(document: LangiumDocument, params: DefinitionParams): MaybePromise<LocationLink[] | undefined> {
        const links = super.getDefinition(document, params);
        return this.builtinsOpen ? links : Promise.resolve(links).then(found => {
            const openable = found?.filter(link => !isBuiltinUri(link.targetUri));
            return openable?.length ? openable : undefined;
        });
    }
}
