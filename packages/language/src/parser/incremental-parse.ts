/**
 * Incremental parsing: after an edit, only the declaration that holds it is parsed again, and
 * spliced into the document's syntax trees, instead of the whole file (docs/performance.md,
 * "Incremental parsing"). A keystroke in a 2,000-line department file parses one KPI of about
 * fifteen lines instead of the file.
 *
 * The block parsed again is the innermost one that holds the whole edit between its first token
 * (the keyword that says what it is) and its closing brace: a KPI or a KRA inside a department,
 * role or KRA, or any top-level declaration with a body. It is parsed on its
 * own, as a file of one declaration, by the same parser. Its result stands for a full parse only
 * when it is exactly what a full parse would make of that text, which is so when:
 * - the file parsed without any error before the edit;
 * - the block parses without any error into exactly one declaration of the same type that spans
 *   all of its text (so its first token and its closing brace are where they were, and no
 *   comment, text or brace typed into it reaches beyond it).
 * The text before the block is unchanged, so a full parse reaches the block in the same state
 * (which declaration comes next is decided by its first token, unchanged); the block ends at its
 * own closing brace, so the parse after it continues as before. Anything
 * else (an edit across blocks, in an import, in a declaration without braces, any syntax error)
 * is parsed in full. test/incremental-parse.test.ts checks, over random edit sequences of every
 * example and corpus file, that the result equals a full parse: the AST, every syntax-tree node
 * and its position, and the diagnostics.
 */
import {
    isCompositeCstNode, isLeafCstNode, isRootCstNode,
    type AstNode, type CompositeCstNode, type CstNode, type LangiumParser, type LeafCstNode, type ParseResult
} from 'langium';
import { isDepartment, isKra, isKraFile, isRole, type KraFile } from '../generated/ast.js';
import { SOURCE_LIMITS } from './kra-lexer.js';

/** The fields of Langium's syntax-tree nodes (4.4) that a splice moves; Langium declares them private. */
interface LeafFields {
    _offset: number;
    _startLine: number;
    _startColumn: number;
    _endLine: number;
    _endColumn: number;
}

interface CompositeFields {
    _rangeCache: unknown;
    grammarSource: CstNode['grammarSource'];
    container: CompositeCstNode | undefined;
    astNode: AstNode;
}

type MutableAstNode = { -readonly [K in keyof AstNode]: AstNode[K] };

/** Where two texts differ: `from` to `oldTo` in the old one became `from` to `oldTo + delta` in the new. */
interface Edit {
    readonly from: number;
    readonly oldTo: number;
    readonly delta: number;
}

/** A parse result made by parsing one block again, and the block's AST node before and after. */
export interface IncrementalParse extends ParseResult<KraFile> {
    /** The declaration that was parsed again, as it was. */
    readonly replaced: AstNode;
    /** What it is now: every other AST node (but the root) is the one of the previous parse. */
    readonly replacement: AstNode;
}

/**
 * The parse result of `text`, made from `previous` (the parse of the document's last text) by
 * parsing again the one block that holds the edit; undefined when that cannot be done, and the
 * whole text must be parsed. The syntax tree of `previous` is reused and changed in place.
 */
export function reparseIncrementally(previous: ParseResult, text: string, parser: LangiumParser): IncrementalParse | undefined {
    const root = previous.value;
    const rootCst = root.$cstNode;
    if (!isKraFile(root) || !rootCst || !isRootCstNode(rootCst) || hasErrors(previous) || text.length > SOURCE_LIMITS.maxLength) {
        return undefined;
    }
    const edit = changedSpan(rootCst.fullText, text);
    const target = edit && blockHolding(root, edit);
    if (!edit || !target?.$cstNode) {
        return undefined;
    }
    const oldCst = target.$cstNode as CompositeCstNode;
    const start = oldCst.offset;
    const oldEnd = oldCst.end;
    const snippet = text.substring(start, oldEnd + edit.delta);
    const result = parser.parse<KraFile>(snippet);
    const file = result.value;
    const replacement = file.declarations?.[0];
    if (hasErrors(result) || file.imports.length > 0 || file.declarations.length !== 1 || replacement.$type !== target.$type
        || !replacement.$cstNode || replacement.$cstNode.offset !== 0 || replacement.$cstNode.end !== snippet.length) {
        return undefined;
    }
    const newCst = matchingDepth(replacement.$cstNode as CompositeCstNode, oldCst);
    if (!newCst) {
        return undefined;
    }
    const { start: at, end: oldEndPosition } = oldCst.range;
    moveLeaves(newCst, {
        offset: start, lines: at.line, columnsOnLine: 0, columns: at.character
    });
    const parent = oldCst.container!;
    const newFields = newCst as unknown as CompositeFields;
    newFields.container = parent;
    newFields.grammarSource = oldCst.grammarSource;
    newFields.astNode = replacement;
    const siblings = parent.content as CstNode[];
    siblings[siblings.indexOf(oldCst)] = newCst;
    // Everything after the block moves by the change in length, lines and (on the line of its
    // closing brace) columns.
    const newEndPosition = newCst.range.end;
    moveAfter(newCst, {
        offset: edit.delta,
        lines: newEndPosition.line - oldEndPosition.line,
        columnsOnLine: oldEndPosition.line,
        columns: newEndPosition.character - oldEndPosition.character
    });
    (rootCst as unknown as { _text: string })._text = text;

    const node = replacement as MutableAstNode;
    node.$cstNode = newCst;
    node.$container = target.$container;
    node.$containerProperty = target.$containerProperty;
    node.$containerIndex = target.$containerIndex;
    (target.$container as unknown as Record<string, AstNode[]>)[target.$containerProperty!][target.$containerIndex!] = replacement;
    return { value: renewedRoot(root, rootCst), lexerErrors: [], lexerReport: previous.lexerReport, parserErrors: [], replaced: target, replacement };
}

function hasErrors(result: ParseResult): boolean {
    return result.lexerErrors.length > 0 || result.parserErrors.length > 0 || (result.lexerReport?.diagnostics.length ?? 0) > 0;
}

/** The shortest span outside which the texts are equal; undefined when they are equal. */
function changedSpan(oldText: string, text: string): Edit | undefined {
    if (oldText === text) {
        return undefined;
    }
    const shorter = Math.min(oldText.length, text.length);
    let from = 0;
    while (from < shorter && oldText.charCodeAt(from) === text.charCodeAt(from)) {
        from++;
    }
    let oldTo = oldText.length;
    let newTo = text.length;
    while (oldTo > from && newTo > from && oldText.charCodeAt(oldTo - 1) === text.charCodeAt(newTo - 1)) {
        oldTo--;
        newTo--;
    }
    return { from, oldTo, delta: text.length - oldText.length };
}

/** The innermost declaration that holds the whole edit (see bodyOf), among those that can be parsed on their own. */
function blockHolding(root: KraFile, edit: Edit): AstNode | undefined {
    let found: AstNode | undefined;
    let candidates: readonly AstNode[] = root.declarations;
    for (;;) {
        const node = nodeAt(candidates, edit.from);
        const body = node && bodyOf(node);
        if (!node || !body || edit.from < body.open || edit.oldTo > body.close) {
            return found;
        }
        found = node;
        // KRAs and KPIs are also top-level declarations, so they parse on their own.
        candidates = isDepartment(node) || isRole(node) ? node.kras : isKra(node) ? node.kpis : [];
    }
}

/** The node among `nodes` (in document order) whose text holds `offset`. */
function nodeAt(nodes: readonly AstNode[], offset: number): AstNode | undefined {
    let low = 0;
    let high = nodes.length - 1;
    while (low <= high) {
        const middle = (low + high) >> 1;
        const cst = nodes[middle].$cstNode;
        if (!cst) {
            return undefined;
        }
        if (offset < cst.offset) {
            high = middle - 1;
        } else if (offset >= cst.end) {
            low = middle + 1;
        } else {
            return nodes[middle];
        }
    }
    return undefined;
}

/**
 * Where an edit may be in a declaration: after its first token (the keyword that tells what it
 * is) and before its closing `}`. Declarations without braces have none.
 */
function bodyOf(node: AstNode): { open: number; close: number } | undefined {
    const cst = node.$cstNode;
    const last = cst && lastLeaf(cst);
    if (!cst || last?.tokenType.name !== '}') {
        return undefined;
    }
    const first = firstLeaf(cst, leaf => !leaf.hidden);
    return first && { open: first.end, close: last.offset };
}

/** The last token of a node that is not a comment (Langium's `lastNonHiddenNode`, down to a leaf). */
function lastLeaf(node: CstNode): LeafCstNode | undefined {
    let current: CstNode | undefined = node;
    while (current && isCompositeCstNode(current)) {
        const content: readonly CstNode[] = current.content;
        let index = content.length - 1;
        while (index > 0 && content[index].hidden) {
            index--;
        }
        current = content[index];
    }
    return current && isLeafCstNode(current) ? current : undefined;
}

function firstLeaf(node: CstNode, test: (leaf: LeafCstNode) => boolean): LeafCstNode | undefined {
    if (isLeafCstNode(node)) {
        return test(node) ? node : undefined;
    }
    if (isCompositeCstNode(node)) {
        for (const child of node.content) {
            const found = firstLeaf(child, test);
            if (found) {
                return found;
            }
        }
    }
    return undefined;
}

/**
 * How many rule calls without tokens of their own wrap a declaration's tokens. A top-level
 * declaration sits in a call of the Declaration rule (one more level than a KPI in a KRA), so
 * the block parsed on its own is unwrapped to the depth of the one it replaces.
 */
function wrappers(node: CompositeCstNode): number {
    let depth = 0;
    let current = node;
    while (current.content.length === 1 && isCompositeCstNode(current.content[0])) {
        current = current.content[0];
        depth++;
    }
    return depth;
}

function matchingDepth(fresh: CompositeCstNode, old: CompositeCstNode): CompositeCstNode | undefined {
    let current = fresh;
    for (let extra = wrappers(fresh) - wrappers(old); extra > 0; extra--) {
        current = current.content[0] as CompositeCstNode;
    }
    return wrappers(current) === wrappers(old) ? current : undefined;
}

/** A move of positions: by `offset` characters and `lines` lines, and by `columns` on line `columnsOnLine` (before the move). */
interface Move {
    readonly offset: number;
    readonly lines: number;
    readonly columnsOnLine: number;
    readonly columns: number;
}

/**
 * Moves what follows the spliced block (placed already): every node after it in each of the
 * composite nodes that hold it, whose cached ranges are forgotten. What comes before it stays.
 */
function moveAfter(block: CstNode, move: Move): void {
    let child = block;
    for (let parent = block.container; parent; child = parent, parent = parent.container) {
        (parent as unknown as CompositeFields)._rangeCache = undefined;
        const siblings = parent.content;
        for (let index = siblings.indexOf(child) + 1; index < siblings.length; index++) {
            moveLeaves(siblings[index], move);
        }
    }
}

/**
 * Moves every leaf below `node`, and forgets every cached range of the composite nodes walked,
 * which may have moved with them.
 */
function moveLeaves(node: CstNode, move: Move): void {
    const stack: CstNode[] = [node];
    while (stack.length > 0) {
        const current = stack.pop()!;
        if (isCompositeCstNode(current)) {
            (current as unknown as CompositeFields)._rangeCache = undefined;
            for (const child of current.content) {
                stack.push(child);
            }
            continue;
        }
        const leaf = current as unknown as LeafFields;
        leaf._offset += move.offset;
        if (leaf._startLine === move.columnsOnLine) {
            leaf._startColumn += move.columns;
        }
        if (leaf._endLine === move.columnsOnLine) {
            leaf._endColumn += move.columns;
        }
        leaf._startLine += move.lines;
        leaf._endLine += move.lines;
    }
}

/**
 * A new root node for the changed tree: a parse makes a new AST, and what is cached per
 * document AST (the list of its nodes, model/ast-walk.ts) must not outlive the text it was made from.
 */
function renewedRoot(root: KraFile, rootCst: CompositeCstNode): KraFile {
    const renewed = { ...root, imports: [...root.imports], declarations: [...root.declarations] } as KraFile;
    for (const child of [...renewed.imports, ...renewed.declarations]) {
        (child as MutableAstNode).$container = renewed;
    }
    (rootCst as unknown as CompositeFields).astNode = renewed;
    (renewed as MutableAstNode).$cstNode = rootCst;
    return renewed;
}
