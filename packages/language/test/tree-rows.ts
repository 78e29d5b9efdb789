/**
 * An AST as comparable rows, for tests that compare two parses of the same text: Langium's
 * parser and ours (kra-parser.test.ts), an incremental parse and a full one
 * (incremental-parse.test.ts).
 */
import type { AstNode, CstNode } from 'langium';

/**
 * Every AST node, depth first, with what links it to its container, its text, its own plain
 * values and (when `cstId` is given) which syntax-tree node it has; `ids` numbers the nodes.
 */
export function describeTree(root: AstNode, cstId?: (node: CstNode) => unknown): { rows: unknown[]; ids: Map<AstNode, number> } {
    const ids = new Map<AstNode, number>();
    const rows: unknown[] = [];
    const visit = (node: AstNode): void => {
        ids.set(node, ids.size);
        const values: Record<string, unknown> = {};
        const children: AstNode[] = [];
        for (const [key, value] of Object.entries(node)) {
            if (key.startsWith('$')) {
                continue;
            }
            for (const item of Array.isArray(value) ? value : [value]) {
                if (isNode(item)) {
                    children.push(item);
                }
            }
            values[key] = Array.isArray(value) ? value.map(plain) : plain(value);
        }
        rows.push({
            id: ids.get(node), type: node.$type, container: node.$container ? ids.get(node.$container) : undefined,
            property: node.$containerProperty, index: node.$containerIndex, text: node.$cstNode?.text,
            cst: cstId && node.$cstNode ? cstId(node.$cstNode) : undefined, values
        });
        children.forEach(visit);
    };
    visit(root);
    return { rows, ids };
}

function isNode(value: unknown): value is AstNode {
    return typeof value === 'object' && value !== null && typeof (value as AstNode).$type === 'string';
}

/** A value as a row shows it: a child node by type, a reference by its text and where it is written. */
function plain(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) {
        return value;
    }
    if (isNode(value)) {
        return `node ${value.$type}`;
    }
    const reference = value as { $refText?: string; $refNode?: CstNode };
    return `ref ${reference.$refText} at ${reference.$refNode?.offset}`;
}
