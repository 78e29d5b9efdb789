import type { AstNode } from 'langium';
import { declarationKind } from '../kinds.js';

/** Named declarations whose container contributes a prefix to their qualified name. */
function isNamespace(node: AstNode): node is AstNode & { name: string } {
    return declarationKind(node.$type)?.namespace === true;
}

/**
 * The workspace-wide name of a declaration: its own name prefixed by the names of the
 * departments, roles, KRAs and KPIs that contain it, e.g. `operations.service.aht`.
 */
export function qualifiedName(node: AstNode & { name: string }): string {
    let name = node.name;
    for (let container = node.$container; container; container = container.$container) {
        if (isNamespace(container) && container.name) {
            name = `${container.name}.${name}`;
        }
    }
    return name;
}
