import { isAstNode, isMultiReference, isReference, type AstNode, type LangiumDocument, type MultiReference, type Reference, type ReferenceInfo } from 'langium';

/*
 * Plain loops over an AST, in the same order as Langium's `AstUtils.streamAst` and
 * `AstUtils.streamReferences`. Every build walks each document's AST several times (exports,
 * local scopes, linking, reference index, validation); Langium's lazy streams allocate an
 * iterator, a state and a result object per node and per property, which on a large workspace
 * costs more than the work done on the nodes.
 */

const documentNodesCache = new WeakMap<AstNode, readonly AstNode[]>();

/**
 * Every node of a document's AST, as `astNodes`, listed once per parse: the build phases do not
 * change an AST, and an edit parses the text into a new one, so the list, keyed by the root, is
 * never stale. (The tolerant compiler of `kra diff` prunes trees, but of a workspace loaded for
 * it, which is not built again.)
 */
export function documentNodes(document: LangiumDocument): readonly AstNode[] {
    const root = document.parseResult.value;
    let nodes = documentNodesCache.get(root);
    if (!nodes) {
        nodes = astNodes(root);
        documentNodesCache.set(root, nodes);
    }
    return nodes;
}

/**
 * After an incremental parse replaced one node (parser/incremental-parse.ts), the new root's
 * list of nodes made from the old root's, if that was listed: the old root and the replaced
 * subtree give way to the new root and the new subtree; every other node is the same object.
 */
export function listAfterReplacing(oldRoot: AstNode, newRoot: AstNode, replaced: AstNode, replacement: AstNode): void {
    const old = documentNodesCache.get(oldRoot);
    const start = old ? old.indexOf(replaced) : -1;
    if (!old || start < 0) {
        return;
    }
    let end = start + 1;
    while (end < old.length && holds(replaced, old[end])) {
        end++;
    }
    documentNodesCache.set(newRoot, [newRoot, ...old.slice(1, start), ...astNodes(replacement), ...old.slice(end)]);
}

function holds(ancestor: AstNode, node: AstNode): boolean {
    for (let current = node.$container; current; current = current.$container) {
        if (current === ancestor) {
            return true;
        }
    }
    return false;
}

/** `root` and every node it contains, depth first, in document order (as `AstUtils.streamAst`). */
export function astNodes(root: AstNode): AstNode[] {
    const nodes: AstNode[] = [];
    // Children are pushed in reverse so that they come off the stack in order.
    const stack: AstNode[] = [root];
    const children: AstNode[] = [];
    while (stack.length > 0) {
        const node = stack.pop()!;
        nodes.push(node);
        for (const property of Object.keys(node)) {
            if (property.startsWith('$')) {
                continue;
            }
            const value = (node as unknown as Record<string, unknown>)[property];
            if (isAstNode(value)) {
                children.push(value);
            } else if (Array.isArray(value)) {
                for (const element of value) {
                    if (isAstNode(element)) {
                        children.push(element);
                    }
                }
            }
        }
        for (let i = children.length - 1; i >= 0; i--) {
            stack.push(children[i]);
        }
        children.length = 0;
    }
    return nodes;
}

/** Calls `action` for each reference held by `node` itself, in property order (as `AstUtils.streamReferences`). */
export function forEachReference(node: AstNode, action: (info: ReferenceInfo) => void): void {
    for (const property of Object.keys(node)) {
        if (property.startsWith('$')) {
            continue;
        }
        const value = (node as unknown as Record<string, unknown>)[property];
        if (isReference(value) || isMultiReference(value)) {
            action({ reference: value, container: node, property });
        } else if (Array.isArray(value)) {
            for (let index = 0; index < value.length; index++) {
                const element: unknown = value[index];
                if (isReference(element) || isMultiReference(element)) {
                    action({ reference: element, container: node, property, index });
                }
            }
        }
    }
}

/**
 * The AST node that holds `reference` (the one its `$refNode` belongs to), read from the field
 * Langium's references keep it in, without the syntax tree, which may be released
 * (workspace/syntax-trees.ts).
 */
export function referenceHolder(reference: Reference | MultiReference): AstNode | undefined {
    return (reference as { node?: AstNode }).node ?? reference.$refNode?.astNode;
}
