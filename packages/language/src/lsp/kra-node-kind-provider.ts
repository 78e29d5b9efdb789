import type { AstNode, AstNodeDescription } from 'langium';
import type { NodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind } from 'vscode-languageserver-types';

const SYMBOL_KINDS: Record<string, SymbolKind> = {
    Organisation: SymbolKind.Package,
    Objective: SymbolKind.Event,
    Perspective: SymbolKind.EnumMember,
    Unit: SymbolKind.TypeParameter,
    Metric: SymbolKind.Variable,
    Client: SymbolKind.Object,
    RatingScale: SymbolKind.Enum,
    Department: SymbolKind.Namespace,
    Role: SymbolKind.Class,
    Kra: SymbolKind.Module,
    Kpi: SymbolKind.Property,
    Variant: SymbolKind.Field
};

const COMPLETION_KINDS: Record<string, CompletionItemKind> = {
    Organisation: CompletionItemKind.Module,
    Objective: CompletionItemKind.Event,
    Perspective: CompletionItemKind.EnumMember,
    Unit: CompletionItemKind.Unit,
    Metric: CompletionItemKind.Variable,
    Client: CompletionItemKind.Value,
    RatingScale: CompletionItemKind.Enum,
    Department: CompletionItemKind.Folder,
    Role: CompletionItemKind.Class,
    Kra: CompletionItemKind.Module,
    Kpi: CompletionItemKind.Property,
    Variant: CompletionItemKind.Field
};

/** Outline, workspace-symbol and completion icons for each kind of declaration. */
export class KraNodeKindProvider implements NodeKindProvider {

    getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        return SYMBOL_KINDS[typeOf(node)] ?? SymbolKind.Field;
    }

    getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        return COMPLETION_KINDS[typeOf(node)] ?? CompletionItemKind.Reference;
    }
}

function typeOf(node: AstNode | AstNodeDescription): string {
    return '$type' in node ? node.$type : node.type;
}
