import {
    AstUtils, CstUtils, GrammarAST, type AstNode, type CstNode, type LangiumDocument, type LangiumDocuments, type ReferenceDescription
} from 'langium';
import { DefaultRenameProvider, type RenameProvider } from 'langium/lsp';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { isDepartment, isKpi, isKra, isRole, isVariant } from '../generated/ast.js';
import type { KraServices } from './kra-lsp-module.js';
import { kindLabel } from '../validation/describe.js';
import type { DeclarationIndex } from '../workspace/declaration-index.js';
import { ID_PATTERN, isBuiltin, isNamed, RequestRefused } from './lsp-utils.js';

type Named = AstNode & { name: string };
type RenameParams = Parameters<RenameProvider['rename']>[1];
type TextDocumentPositionParams = Parameters<RenameProvider['prepareRename']>[1];

/**
 * Renames a declaration and every reference to it, across files. References may be qualified
 * (`operations.service.aht`): only the segment that names the renamed declaration changes, and
 * renaming a department, role, KRA or KPI also rewrites the qualified names of what it contains
 * (renaming KRA `service` turns `operations.service.aht` into `operations.<new>.aht`).
 * Invalid ids, keywords and built-ins are refused.
 */
export class KraRenameProvider extends DefaultRenameProvider {

    private readonly keywords: ReadonlySet<string>;
    private readonly documents: LangiumDocuments;
    private readonly declarations: DeclarationIndex;

    constructor(services: KraServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.declarations = services.workspace.DeclarationIndex;
        this.keywords = new Set(AstUtils.streamAllContents(services.Grammar).filter(GrammarAST.isKeyword).map(keyword => keyword.value));
    }

    override async rename(document: LangiumDocument, params: RenameParams): Promise<WorkspaceEdit | undefined> {
        const target = this.targetAt(document, params.position);
        if (!target) {
            return undefined;
        }
        this.checkRenamable(target.node);
        this.checkName(params.newName);
        this.checkFree(target.node, params.newName, document);
        const oldName = target.node.name;
        const changes: Record<string, TextEdit[]> = {};
        const seen = new Set<string>();
        for (const node of [target.node, ...AstUtils.streamAllContents(target.node).filter(isNamed)]) {
            const chain = namespaceChain(node);
            const index = chain.indexOf(target.node);
            if (index < 0) {
                continue;
            }
            for (const reference of this.references.findReferences(node, { includeDeclaration: true })) {
                const range = this.segmentRange(reference, chain.length - index, oldName);
                const key = range && `${reference.sourceUri.toString()}:${range.start.line}:${range.start.character}`;
                if (range && !seen.has(key!)) {
                    seen.add(key!);
                    (changes[reference.sourceUri.toString()] ??= []).push({ range, newText: params.newName });
                }
            }
        }
        return { changes };
    }

    override prepareRename(document: LangiumDocument, params: TextDocumentPositionParams): Range | undefined {
        const target = this.targetAt(document, params.position);
        if (!target) {
            return undefined;
        }
        this.checkRenamable(target.node);
        return target.range;
    }

    private checkRenamable(node: Named): void {
        if (isBuiltin(node)) {
            throw new RequestRefused(`'${node.name}' is a built-in ${kindLabel(node.$type)} and cannot be renamed.`);
        }
    }

    private checkName(name: string): void {
        if (!ID_PATTERN.test(name)) {
            throw new RequestRefused(`'${name}' is not a valid id: use letters, digits and underscores, starting with a letter or underscore (e.g. first_contact_resolution).`);
        }
        if (this.keywords.has(name)) {
            throw new RequestRefused(`'${name}' is a keyword of KRA Lang and cannot be an id. Pick another name, e.g. '${name}_kpi'.`);
        }
    }

    /**
     * Refuses a new name that another declaration of the same kind already has in the workspace
     * (what structure/duplicate-id would then report twice).
     */
    private checkFree(node: Named, newName: string, document: LangiumDocument): void {
        if (newName === node.name) {
            return;
        }
        const chain = namespaceChain(node).map(named => named.name);
        chain[chain.length - 1] = newName;
        const taken = this.declarations.declarationsNamed(node.$type, chain.join('.'), document.uri).find(other => other.node !== node);
        if (taken) {
            const where = taken.location ? ` (${taken.location.uri.split('/').pop()}:${taken.location.range.start.line + 1})` : '';
            throw new RequestRefused(`'${chain.join('.')}' is already the id of a ${kindLabel(taken.description.type)}${where}. Ids must be unique: pick another name.`);
        }
    }

    /**
     * The declaration to rename at a position, and the range of its name there: the name of a
     * declaration, or the segment of a (qualified) reference under the cursor; on `service` in
     * `operations.service.aht` that is KRA `service`.
     */
    private targetAt(document: LangiumDocument, position: Position): { node: Named; range: Range } | undefined {
        const root = document.parseResult.value.$cstNode;
        if (!root) {
            return undefined;
        }
        const leaf = CstUtils.findDeclarationNodeAtOffset(root, document.textDocument.offsetAt(position), this.grammarConfig.nameRegexp);
        const declaration = leaf && this.references.findDeclarations(leaf)[0];
        if (!leaf || !isNamed(declaration)) {
            return undefined;
        }
        if (this.isNameNode(leaf)) {
            return { node: declaration, range: leaf.range };
        }
        const segments = idLeaves(referenceNodeOf(leaf));
        const segment = segments.indexOf(leaf);
        if (segment < 0) {
            return undefined;
        }
        const chain = namespaceChain(declaration);
        const node = chain[chain.length - segments.length + segment];
        return node && node.name === leaf.text ? { node, range: leaf.range } : undefined;
    }

    /**
     * The range, in a reference (or declaration name) to a node, of the segment that names the
     * declaration `fromEnd` steps up the node's namespace chain (1 = the node itself).
     */
    private segmentRange(reference: ReferenceDescription, fromEnd: number, oldName: string): Range | undefined {
        const source = this.documents.getDocument(reference.sourceUri);
        if (!source) {
            return undefined;
        }
        const text = source.textDocument.getText(reference.segment.range);
        const ids = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)];
        const match = ids[ids.length - fromEnd];
        if (!match || match[0] !== oldName) {
            return undefined; // a shorter reference, or a unit referenced by its symbol
        }
        const start = source.textDocument.offsetAt(reference.segment.range.start) + match.index!;
        return { start: source.textDocument.positionAt(start), end: source.textDocument.positionAt(start + oldName.length) };
    }
}

/** The declarations whose names make up a node's qualified name, outermost first, ending with it. */
function namespaceChain(node: Named): Named[] {
    const chain: Named[] = [node];
    for (let container = node.$container; container; container = container.$container) {
        if ((isDepartment(container) || isRole(container) || isKra(container) || isKpi(container) || isVariant(container)) && container.name) {
            chain.unshift(container);
        }
    }
    return chain;
}

/** The CST node of the whole (possibly qualified) reference a leaf belongs to. */
function referenceNodeOf(leaf: CstNode): CstNode {
    for (const { reference } of AstUtils.streamReferences(leaf.astNode)) {
        const node = reference.$refNode;
        if (node && node.offset <= leaf.offset && node.end >= leaf.end) {
            return node;
        }
    }
    return leaf;
}

function idLeaves(node: CstNode): CstNode[] {
    return CstUtils.flattenCst(node).filter(leaf => !leaf.hidden && ID_PATTERN.test(leaf.text)).toArray();
}
