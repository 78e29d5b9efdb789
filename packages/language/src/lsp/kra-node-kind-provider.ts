import type { AstNode, AstNodeDescription } from 'langium';
import type { NodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind } from 'vscode-languageserver-types';
import { declarationKind } from '../kinds.js';

/** Outline, workspace-symbol and completion icons for each kind of declaration, as the registry of kinds (kinds.ts) names them. */
export class KraNodeKindProvider implements NodeKindProvider {

    getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        const name = declarationKind(typeOf(node))?.symbol;
        return name ? SymbolKind[name as keyof typeof SymbolKind] : SymbolKind.Field;
    }

    getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        const name = declarationKind(typeOf(node))?.completion;
        return name ? CompletionItemKind[name as keyof typeof CompletionItemKind] : CompletionItemKind.Reference;
    }
}

function typeOf(node: AstNode | AstNodeDescription): string {
    return '$type' in node ? node.$type : node.type;
}
