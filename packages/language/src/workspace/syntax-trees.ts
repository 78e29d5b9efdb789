import {
    CstUtils, DocumentState, isAstNode, isMultiReference, isReference,
    type AstNode, type CstNode, type LangiumDocument, type LangiumSharedCoreServices, type Mutable, type Reference
} from 'langium';
import { documentNodes, forEachReference } from '../model/ast-walk.js';

/**
 * Releasing the syntax trees (CSTs) of documents that nothing reads any more, and giving them
 * back when something does.
 *
 * A document's CST (every token, with its position, and a node per grammar rule) takes about
 * twice the memory of its AST; the language server needs it for the files open in the editor,
 * and for the others only when they are linked or checked again, or a request reads one of
 * their nodes' positions or comments (go to definition, hover, references). So after a build,
 * the server releases the CSTs of closed files: each AST node's `$cstNode`, and each
 * reference's `$refNode`, becomes a small stand-in (a Proxy of the node or the reference). On
 * first use, a stand-in parses the file's text again, gives every AST node and reference of
 * the document its new CST node (the AST keeps its identity, so other files' links stay
 * valid), and answers as the CST node does. A stand-in takes 32 bytes; on the benchmark's M
 * workspace, the CST it replaces took about 600 bytes per AST node (docs/performance.md).
 *
 * Only documents without syntax errors are released: the parse of the same text is then the
 * same tree, node for node, which the restore checks as it goes.
 *
 * A stand-in is not the CST node it stands for: what it answers (`root`, `content`, `container`)
 * are real nodes, but the stand-in itself is equal to none of them. Code that compares a node
 * with `$cstNode` by identity (`root.root === root`) must compare real nodes, or test the kind
 * (`isRootCstNode`) instead.
 */

/** What restores a released document: the text its AST was parsed from, and how. */
interface Released {
    readonly text: string;
    readonly restore: () => void;
}

/** Released ASTs, by their root. */
const released = new WeakMap<AstNode, Released>();

function rootOf(node: AstNode): AstNode {
    let root = node;
    while (root.$container) {
        root = root.$container;
    }
    return root;
}

/** The real CST node of `node`, its document's CST restored first if it was released. */
function realCst(node: AstNode): CstNode {
    const root = rootOf(node);
    released.get(root)?.restore();
    if (released.has(root) || !node.$cstNode) {
        throw new Error(`The syntax tree of a ${node.$type} could not be restored.`);
    }
    return node.$cstNode;
}

/** The real `$refNode` of `reference` (see realCst); its container is Langium's `node` field. */
function realRefNode(reference: Reference): CstNode | undefined {
    realCst((reference as unknown as { node: AstNode }).node);
    return reference.$refNode;
}

const cstStandIn: ProxyHandler<AstNode> = {
    get: (node, key) => Reflect.get(realCst(node), key),
    set: (node, key, value) => Reflect.set(realCst(node), key, value),
    has: (node, key) => Reflect.has(realCst(node), key),
    getPrototypeOf: node => Object.getPrototypeOf(realCst(node)) as object | null
};

const refNodeStandIn: ProxyHandler<Reference> = {
    get: (reference, key) => Reflect.get(realRefNode(reference) ?? {}, key),
    set: (reference, key, value) => Reflect.set(realRefNode(reference) ?? {}, key, value),
    has: (reference, key) => Reflect.has(realRefNode(reference) ?? {}, key),
    getPrototypeOf: reference => Object.getPrototypeOf(realRefNode(reference) ?? {}) as object | null
};

/**
 * The text the AST of `root` was parsed from, read without restoring its CST, or undefined
 * when it has none.
 */
export function parsedText(root: AstNode): string | undefined {
    return released.get(root)?.text ?? root.$cstNode?.root.fullText;
}

/** Whether the CST of the AST whose root is `root` is released. */
export function isReleased(root: AstNode): boolean {
    return released.has(root);
}

/**
 * Releases and restores CSTs (see above). `releaseClosedDocuments` turns it on for the
 * language server; `kra check` releases each file's as it is loaded
 * (KraWorkspaceManager.releaseLoadedTrees); otherwise nothing is released.
 */
export class SyntaxTrees {

    /** How many closed documents restored by a read stay restored, the latest ones. */
    static readonly KEPT_RESTORED = 32;

    private enabled = false;
    /** The closed documents restored by a read, oldest first. */
    private readonly restored: LangiumDocument[] = [];
    private restores = 0;

    constructor(private readonly services: LangiumSharedCoreServices) {}

    /**
     * From now on, the CSTs of closed documents are released each time a build has validated
     * them, except for the documents restored last, which requests are likely to read again.
     * `onReleased` hears how many a build released (the language server collects the garbage
     * after a large number).
     */
    releaseClosedDocuments(onReleased?: (count: number) => void): void {
        if (this.enabled) {
            return;
        }
        this.enabled = true;
        this.services.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, documents => {
            let count = 0;
            for (const document of documents) {
                if (!this.restored.includes(document) && !isReleased(document.parseResult.value) && this.releaseIfClosed(document)) {
                    count++;
                }
            }
            onReleased?.(count);
        });
    }

    /** How many times a released CST was restored (tests read it). */
    get restoreCount(): number {
        return this.restores;
    }

    /**
     * Releases the CST of `document` when it is validated, closed (not open in the editor) and
     * free of syntax errors. Answers whether it is released now.
     */
    releaseIfClosed(document: LangiumDocument): boolean {
        if (document.state !== DocumentState.Validated || this.services.workspace.TextDocuments?.get(document.uri.toString())) {
            return isReleased(document.parseResult.value);
        }
        return this.release(document);
    }

    /**
     * Releases the CST of `document` if it is free of syntax errors, whatever its state: `kra
     * check` releases each file's as soon as it is parsed, since only its findings read it again.
     * Answers whether it is released now.
     */
    release(document: LangiumDocument): boolean {
        const root = document.parseResult.value;
        if (released.has(root)) {
            return true;
        }
        const text = root.$cstNode?.root.fullText;
        if (text === undefined || document.parseResult.lexerErrors.length > 0 || document.parseResult.parserErrors.length > 0) {
            return false;
        }
        // One walk finds the references and checks that everything can be restored; then the stand-ins go in.
        const nodes = documentNodes(document);
        const references: Reference[] = [];
        let releasable = true;
        for (const node of nodes) {
            releasable &&= node.$cstNode !== undefined;
            forEachReference(node, ({ reference }) => {
                releasable &&= (reference as unknown as { node?: AstNode }).node === node;
                references.push(reference as Reference);
            });
        }
        if (!releasable) {
            return false;
        }
        for (const node of nodes) {
            (node as Mutable<AstNode>).$cstNode = new Proxy(node, cstStandIn) as unknown as CstNode;
        }
        for (const reference of references) {
            (reference as Mutable<Reference>).$refNode = new Proxy(reference, refNodeStandIn) as unknown as CstNode;
        }
        released.set(root, { text, restore: () => this.restore(document, root, text) });
        return true;
    }

    /** Parses `text` again and gives the AST of `root` the new CST (see above). */
    private restore(document: LangiumDocument, root: AstNode, text: string): void {
        const parser = this.services.ServiceRegistry.getServices(document.uri).parser.LangiumParser;
        const fresh = parser.parse(text);
        if (fresh.lexerErrors.length > 0 || fresh.parserErrors.length > 0) {
            throw new Error(`${document.uri.toString()}: its text no longer parses as it did, so its syntax tree cannot be restored.`);
        }
        const pairs = new Map<AstNode, AstNode>();
        graft(root, fresh.value, pairs);
        // The CST's nodes point to the AST they were built for: point them to the kept one.
        for (const cst of CstUtils.streamCst(fresh.value.$cstNode!)) {
            const kept = pairs.get(cst.astNode);
            if (kept) {
                (cst as Mutable<CstNode>).astNode = kept;
            }
        }
        released.delete(root);
        this.restores++;
        if (this.enabled && document.parseResult.value === root) {
            this.keepRestored(document);
        }
    }

    /** Notes `document` as restored last; releases the one that falls off the list. */
    private keepRestored(document: LangiumDocument): void {
        const index = this.restored.indexOf(document);
        if (index >= 0) {
            this.restored.splice(index, 1);
        }
        this.restored.push(document);
        if (this.restored.length > SyntaxTrees.KEPT_RESTORED) {
            this.releaseIfClosed(this.restored.shift()!);
        }
    }
}

/** Gives `kept` and its subtree the CST nodes of `fresh`, the same tree parsed again. */
function graft(kept: AstNode, fresh: AstNode, pairs: Map<AstNode, AstNode>): void {
    if (kept.$type !== fresh.$type) {
        throw new Error(`A restored syntax tree differs from the one released: ${fresh.$type} where ${kept.$type} was.`);
    }
    pairs.set(fresh, kept);
    (kept as Mutable<AstNode>).$cstNode = fresh.$cstNode;
    const keptFields = kept as unknown as Record<string, unknown>;
    const freshFields = fresh as unknown as Record<string, unknown>;
    for (const key in freshFields) {
        if (key.charCodeAt(0) === 0x24 /* $ */) {
            continue;
        }
        const value = freshFields[key];
        if (Array.isArray(value)) {
            const keptValue = keptFields[key];
            if (!Array.isArray(keptValue) || keptValue.length !== value.length) {
                throw new Error(`A restored syntax tree differs from the one released: ${fresh.$type}.${key} has ${value.length} items.`);
            }
            for (let index = 0; index < value.length; index++) {
                graftValue(keptValue[index], value[index], pairs);
            }
        } else {
            graftValue(keptFields[key], value, pairs);
        }
    }
}

function graftValue(kept: unknown, fresh: unknown, pairs: Map<AstNode, AstNode>): void {
    if (isAstNode(fresh) && isAstNode(kept)) {
        graft(kept, fresh, pairs);
    } else if ((isReference(fresh) || isMultiReference(fresh)) && (isReference(kept) || isMultiReference(kept))) {
        (kept as Mutable<Reference>).$refNode = fresh.$refNode;
    } else if (isAstNode(fresh) || isReference(fresh) || isMultiReference(fresh)) {
        throw new Error('A restored syntax tree differs from the one released.');
    }
}
