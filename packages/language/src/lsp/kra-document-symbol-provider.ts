import type { AstNode, CstNode, LangiumDocument } from 'langium';
import { DefaultDocumentSymbolProvider } from 'langium/lsp';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import type { KraServices } from './kra-lsp-module.js';
import { titleOf } from './lsp-utils.js';

/**
 * The outline: declarations as they nest (department → KRA → KPI → variant, role → KRA → KPI),
 * with their icons from KraNodeKindProvider and their title as detail.
 */
export class KraDocumentSymbolProvider extends DefaultDocumentSymbolProvider {

    constructor(services: KraServices) {
        super(services);
    }

    protected override createSymbol(document: LangiumDocument, astNode: AstNode, cstNode: CstNode, nameNode: CstNode, computedName?: string): DocumentSymbol {
        const symbol = super.createSymbol(document, astNode, cstNode, nameNode, computedName);
        const title = titleOf(astNode);
        return title ? { ...symbol, detail: title } : symbol;
    }
}
