import {
    AstUtils, DefaultScopeProvider, DocumentCache, MultiMap, MultiMapScope, WorkspaceCache, stream,
    type AstNode, type AstNodeDescription, type LangiumDocument, type ReferenceInfo, type Scope, type Stream
} from 'langium';
import type { KraServices } from '../kra-module.js';
import type { ImportResolver } from '../workspace/import-resolver.js';

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
    /** Per document: the local symbols of each container, indexed by name. */
    private readonly containerIndexes: DocumentCache<string, ContainerIndex>;
    /** Per document and reference type: what the document can see of the workspace. */
    private readonly visibleScopes: WorkspaceCache<string, Scope>;

    constructor(services: KraServices) {
        super(services);
        this.importResolver = services.workspace.ImportResolver;
        this.containerIndexes = new DocumentCache(services.shared);
        this.visibleScopes = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
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
        const uri = document.uri.toString();
        return this.visibleScopes.get(`${uri}\u0000${referenceType}`, () =>
            new MultiMapScope(this.indexManager.allElements(referenceType, this.importResolver.visibleUris(document))));
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
