import type { AstNodeDescription } from 'langium';
import { DefaultWorkspaceSymbolProvider } from 'langium/lsp';
import type { WorkspaceSymbol } from 'vscode-languageserver-types';
import { isBuiltinUri } from '../builtins/builtin-library.js';

/**
 * Workspace symbols by qualified name (`operations.service.aht`), without the built-in units
 * and perspectives, and without the second entry a unit gets for its symbol (`s`, `%`).
 */
export class KraWorkspaceSymbolProvider extends DefaultWorkspaceSymbolProvider {

    protected override getWorkspaceSymbol(description: AstNodeDescription): WorkspaceSymbol | undefined {
        if (isBuiltinUri(description.documentUri.toString())) {
            return undefined;
        }
        const node = description.node as { name?: unknown } | undefined;
        if (description.type === 'Unit' && node && node.name !== description.name) {
            return undefined;
        }
        return super.getWorkspaceSymbol(description);
    }
}
