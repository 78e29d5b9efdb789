/**
 * Comments in the concrete syntax tree: the lexical helpers the validator, the suppression
 * comments and the formatter share.
 */
import { isCompositeCstNode, isRootCstNode, type CstNode, type LeafCstNode } from 'langium';

/** Block comments that run to the end of the file because their closing star-slash is missing. */
export function findUnterminatedComments(root: CstNode): LeafCstNode[] {
    // (isRootCstNode, not `root.root === root`: a released tree's stand-in is not its root; workspace/syntax-trees.ts)
    if (!mayHaveUnterminatedComment(isRootCstNode(root) ? root.fullText : root.text)) {
        return [];
    }
    return hiddenLeaves(root).filter(leaf => leaf.text.startsWith('/*') && (leaf.text.length < 4 || !leaf.text.endsWith('*/')));
}

/**
 * Whether `text` may hold a comment that never ends. When the text's last slash-star has a
 * star-slash after it, so does every other one, and no comment is unterminated: most files are
 * answered without walking their syntax tree (nor restoring a released one).
 */
export function mayHaveUnterminatedComment(text: string): boolean {
    const last = text.lastIndexOf('/*');
    return last >= 0 && text.indexOf('*/', last + 2) < 0;
}

/**
 * The hidden leaves (comments) under `node`, in document order. A plain walk: every document is
 * searched for comments on each validation, and `CstUtils.flattenCst` (a generic tree stream)
 * costs several times as much on a large workspace.
 */
export function hiddenLeaves(node: CstNode): LeafCstNode[] {
    const leaves: LeafCstNode[] = [];
    // Iterative, children pushed in reverse so that they come off the stack in order.
    const stack: CstNode[] = [node];
    while (stack.length > 0) {
        const current = stack.pop()!;
        if (isCompositeCstNode(current)) {
            for (let i = current.content.length - 1; i >= 0; i--) {
                stack.push(current.content[i]);
            }
        } else if ((current as LeafCstNode).hidden) {
            leaves.push(current as LeafCstNode);
        }
    }
    return leaves;
}
