import {
    AstUtils, DefaultScopeProvider, DocumentCache, MultiMap, WorkspaceCache, stream,
    type AstNode, type AstNodeDescription, type LangiumDocument, type ReferenceInfo, type Scope, type Stream
} from 'langium';
import { isMeasureRef, Metric } from '../generated/ast.js';
import type { KraCoreServices } from '../kra-module.js';
import type { ImportResolver } from '../workspace/import-resolver.js';
import type { KraIndexManager } from '../workspace/kra-index-manager.js';

type ContainerIndex = Map<AstNode, MultiMap<string, AstNodeDescription>>;

/**
 * Scopes of KRA Lang:
 * 1. names declared in the enclosing declarations, innermost first (`aht` inside its KRA);
 * 2. qualified names exported by this document, the documents it imports, and the built-ins.
 *
 * Both levels are looked up through hash maps. Langium's default local scope scans every
 * symbol of a container for each reference, which is quadratic in the size of a file.
 */
export class KraScopeProvider extends DefaultScopeProvider {

    private readonly importResolver: ImportResolver;
    private readonly index: KraIndexManager;
    /** Per document: the local symbols of each container, indexed by name. */
    private readonly containerIndexes: DocumentCache<string, ContainerIndex>;
    /** Per document and reference type: what the document can see of the workspace. */
    private readonly visibleScopes: WorkspaceCache<LangiumDocument, Map<string, Scope>>;
    /**
     * Per document and reference type: what the document exports (see `exportsOf`), until the
     * document changes: a keystroke in one file leaves the others' as they were.
     */
    private readonly documentExports: DocumentCache<string, MultiMap<string, AstNodeDescription>>;
    private readonly documentOrder: WorkspaceCache<'order', Map<string, number>>;

    constructor(services: KraCoreServices) {
        super(services);
        this.importResolver = services.workspace.ImportResolver;
        this.index = services.shared.workspace.IndexManager;
        this.containerIndexes = new DocumentCache(services.shared);
        this.visibleScopes = new WorkspaceCache(services.shared);
        this.documentExports = new DocumentCache(services.shared);
        this.documentOrder = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        // `metric calls` in a formula looks for metrics only, past a KPI named `calls`.
        const referenceType = isMeasureRef(context.container) && context.container.metric ? Metric.$type : this.reflection.getReferenceType(context);
        const document = AstUtils.getDocument(context.container);
        const index = this.containerIndexes.get(document.uri, 'containers', () => new Map());
        const levels: Array<MultiMap<string, AstNodeDescription>> = [];
        for (let node: AstNode | undefined = context.container; node; node = node.$container) {
            const level = this.containerLevel(document, index, node);
            if (level) {
                levels.push(level);
            }
        }
        const outer = this.getVisibleScope(document, referenceType);
        return new LocalChainScope(levels, description => this.reflection.isSubtype(description.type, referenceType), outer);
    }

    private containerLevel(document: LangiumDocument, index: ContainerIndex, node: AstNode): MultiMap<string, AstNodeDescription> | undefined {
        let level = index.get(node);
        if (level === undefined && document.localSymbols?.has(node)) {
            level = new MultiMap<string, AstNodeDescription>();
            for (const description of document.localSymbols.getStream(node)) {
                level.add(description.name, description);
            }
            index.set(node, level);
        }
        return level;
    }

    private getVisibleScope(document: LangiumDocument, referenceType: string): Scope {
        // Asked for every reference: keyed by objects, not by a string built on each call.
        const byType = this.visibleScopes.get(document, () => new Map());
        let scope = byType.get(referenceType);
        if (!scope) {
            scope = this.createVisibleScope(document, referenceType);
            byType.set(referenceType, scope);
        }
        return scope;
    }

    private createVisibleScope(document: LangiumDocument, referenceType: string): Scope {
        // In index order, as `IndexManager.allElements` lists them: where two visible
        // documents declare a name, the first in that order wins.
        const order = this.indexOrder();
        const visible = [...this.importResolver.visibleUris(document)]
            .filter(uri => order.has(uri))
            .sort((a, b) => order.get(a)! - order.get(b)!);
        return new VisibleScope(visible.map(uri => this.exportsOf(uri, referenceType)));
    }

    /** The position of each document in the index. */
    private indexOrder(): Map<string, number> {
        return this.documentOrder.get('order', () => {
            const order = new Map<string, number>();
            for (const uri of this.index.documentUris()) {
                order.set(uri, order.size);
            }
            return order;
        });
    }

    /**
     * What one document exports of a reference type, indexed by name. Built once and shared by
     * every document that imports it: most files of an organisation import the same few.
     */
    private exportsOf(uri: string, referenceType: string): MultiMap<string, AstNodeDescription> {
        return this.documentExports.get(uri, referenceType, () => {
            const names = new MultiMap<string, AstNodeDescription>();
            for (const description of this.index.elementsOf(uri, referenceType)) {
                names.add(description.name, description);
            }
            return names;
        });
    }
}

/**
 * The declarations visible from a document: those of each visible document, in index order.
 * Answers as a `MultiMapScope` over all of them would, in the same order, without merging them
 * into one map for each document.
 */
class VisibleScope implements Scope {

    private merged?: MultiMap<string, AstNodeDescription>;

    constructor(private readonly documents: ReadonlyArray<MultiMap<string, AstNodeDescription>>) { }

    getElement(name: string): AstNodeDescription | undefined {
        for (const exports of this.documents) {
            const found = exports.get(name)[0];
            if (found) {
                return found;
            }
        }
        return undefined;
    }

    getElements(name: string): Stream<AstNodeDescription> {
        return stream(this.documents).flatMap(exports => exports.get(name));
    }

    /** Grouped by name, in the order each name first appears (as a `MultiMapScope`). */
    getAllElements(): Stream<AstNodeDescription> {
        if (!this.merged) {
            this.merged = new MultiMap();
            for (const exports of this.documents) {
                for (const description of exports.values()) {
                    this.merged.add(description.name, description);
                }
            }
        }
        return this.merged.values();
    }
}

/** Looks a name up level by level, then in the outer scope; filters by reference type. */
class LocalChainScope implements Scope {

    constructor(
        private readonly levels: ReadonlyArray<MultiMap<string, AstNodeDescription>>,
        private readonly matches: (description: AstNodeDescription) => boolean,
        private readonly outer: Scope
    ) { }

    getElement(name: string): AstNodeDescription | undefined {
        for (const level of this.levels) {
            for (const description of level.get(name)) {
                if (this.matches(description)) {
                    return description;
                }
            }
        }
        return this.outer.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        return stream(this.levels)
            .flatMap(level => level.get(name))
            .filter(this.matches)
            .concat(this.outer.getElements(name));
    }

    getAllElements(): Stream<AstNodeDescription> {
        return stream(this.levels)
            .flatMap(level => level.values())
            .filter(this.matches)
            .concat(this.outer.getAllElements());
    }
}
