import {
    DocumentState, isReference, MultiMap, URI, UriUtils, WorkspaceCache,
    type AstNode, type AstNodeDescription, type LangiumDocument, type LangiumDocuments
} from 'langium';
import type { Location } from 'vscode-languageserver-types';
import type { KraCoreServices } from '../kra-module.js';
import type { ImportResolver } from './import-resolver.js';
import type { KraIndexManager } from './kra-index-manager.js';
import type { KraWorkspaceManager } from './kra-workspace-manager.js';
import { isBuiltinUri } from '../builtins/builtin-library.js';
import { findCycles } from '@kra-lang/semantics';

export interface Declaration {
    readonly description: AstNodeDescription;
    readonly node: AstNodeDescription['node'];
    readonly documentUri: AstNodeDescription['documentUri'];
    readonly location?: Location;
}

/** Units and perspectives have name spaces of their own; every other declaration shares one. */
function namespaceOf(type: string): string {
    return type === 'Unit' || type === 'Perspective' ? type : 'Declaration';
}

function nameKey(description: AstNodeDescription): string {
    return `${namespaceOf(description.type)}\u0000${description.name}`;
}

/**
 * Whole-workspace facts that several checks need, computed once per workspace build:
 * declarations by id (for duplicates) and the import graph's cycles.
 */
export class DeclarationIndex {

    private readonly indexManager: KraIndexManager;
    private readonly documents: LangiumDocuments;
    private readonly importResolver: ImportResolver;
    private readonly cache: WorkspaceCache<string, unknown>;
    private readonly workspaceManager: KraWorkspaceManager;

    constructor(services: KraCoreServices) {
        this.workspaceManager = services.shared.workspace.WorkspaceManager;
        this.indexManager = services.shared.workspace.IndexManager;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.importResolver = services.workspace.ImportResolver;
        this.cache = new WorkspaceCache(services.shared);
        const builder = services.shared.workspace.DocumentBuilder;
        const changed = (uri: URI) => {
            if (this.stale !== 'all') {
                this.stale.add(uri.toString());
            }
        };
        // A document's exports change when it is indexed; a deleted one's are dropped on update.
        builder.onDocumentPhase(DocumentState.IndexedContent, document => changed(document.uri));
        builder.onUpdate((changedUris, deletedUris) => [...changedUris, ...deletedUris].forEach(changed));
    }

    /** Declarations with this id in the workspace that `from` belongs to (built-ins included). */
    declarationsNamed(type: string, id: string, from: URI): Declaration[] {
        const source = from.toString();
        // Usually the only declaration is in `from` itself: then the roots need not be compared.
        let root: string | undefined;
        return this.allDeclarationsNamed(type, id).filter(declaration => {
            const uri = declaration.documentUri.toString();
            return uri === source || isBuiltinUri(uri)
                || this.workspaceManager.rootOf(declaration.documentUri).toString() === (root ??= this.workspaceManager.rootOf(from).toString());
        });
    }

    /**
     * Every exported declaration of the workspace by name space and id. Kept up to date document
     * by document: after an edit only the documents that were indexed again are re-read, instead
     * of every declaration of the workspace on each keystroke.
     */
    private names(): MultiMap<string, AstNodeDescription> {
        if (this.stale === 'all' || this.stale.size > 50) {
            this.byName.clear();
            this.contributed.clear();
            for (const description of this.indexManager.allElements()) {
                const key = nameKey(description);
                this.byName.add(key, description);
                const uri = description.documentUri.toString();
                const entries = this.contributed.get(uri);
                if (entries) {
                    entries.push([key, description]);
                } else {
                    this.contributed.set(uri, [[key, description]]);
                }
            }
        } else {
            for (const uri of this.stale) {
                for (const [key, description] of this.contributed.get(uri) ?? []) {
                    this.byName.delete(key, description);
                }
                const entries = this.indexManager.elementsOf(uri)
                    .map(description => [nameKey(description), description] as [string, AstNodeDescription]);
                for (const [key, description] of entries) {
                    this.byName.add(key, description);
                }
                this.contributed.set(uri, entries);
            }
        }
        this.stale = new Set();
        return this.byName;
    }

    private readonly byName = new MultiMap<string, AstNodeDescription>();
    /** What each document put into `byName`, to take out when it is indexed again. */
    private readonly contributed = new Map<string, Array<[string, AstNodeDescription]>>();
    /** Documents indexed (or removed) since `byName` was last brought up to date. */
    private stale: Set<string> | 'all' = 'all';

    private allDeclarationsNamed(type: string, id: string): Declaration[] {
        return this.names().get(`${namespaceOf(type)}\u0000${id}`).map(description => ({
            description,
            node: description.node,
            documentUri: description.documentUri,
            // Finding the name in the text is costly; only a reported duplicate needs it.
            get location(): Location | undefined {
                return description.nameSegment
                    ? { uri: description.documentUri.toString(), range: description.nameSegment.range }
                    : undefined;
            }
        }));
    }

    /**
     * Whether any reference in the workspace points at `node` (as `References.findReferences`
     * would find it). Computed once per workspace build: asking the index for each declaration
     * scans every reference of the workspace each time, which is quadratic.
     */
    isReferenced(node: AstNode): boolean {
        const referenced = this.cache.get('referenced', () => {
            const targets = new Set<AstNode>();
            for (const document of this.documents.all) {
                for (const reference of document.references) {
                    if (isReference(reference)) {
                        const target = reference.ref;
                        if (target) {
                            targets.add(target);
                        }
                    } else {
                        for (const item of reference.items) {
                            targets.add(item.ref);
                        }
                    }
                }
            }
            return targets;
        }) as Set<AstNode>;
        return referenced.has(node);
    }

    /**
     * If importing `target` from `document` is where an import cycle is reported, the cycle as
     * file names (`a.kra → b.kra → a.kra`); otherwise undefined. Each cycle is reported once:
     * the shortest loop through the first file (by URI) of each set of files that import each
     * other, on that file's import that starts it. Found once per workspace build, in linear time.
     */
    importCycle(document: LangiumDocument, target: LangiumDocument): string[] | undefined {
        const cycles = this.cache.get('importCycles', () => this.computeCycles()) as Map<string, string[]>;
        return cycles.get(`${document.uri.toString()}\u0000${target.uri.toString()}`);
    }

    /** The import cycles by the edge (`from\0to`) each is reported on. */
    private computeCycles(): Map<string, string[]> {
        const uris = this.documents.all.map(document => document.uri.toString()).toArray().sort();
        const imports = new Map<string, string[]>();
        const edges = (uri: string): string[] => {
            let found = imports.get(uri);
            if (!found) {
                const document = this.documents.getDocument(URI.parse(uri));
                found = document ? [...new Set(this.importResolver.importedDocuments(document).map(imported => imported.uri.toString()))] : [];
                imports.set(uri, found);
            }
            return found;
        };
        const cycles = new Map<string, string[]>();
        const name = (uri: string) => UriUtils.basename(URI.parse(uri));
        // Self-imports are told apart below, so that a file importing itself on a longer cycle hides neither.
        for (const cycle of findCycles(uris, uri => edges(uri).filter(target => target !== uri))) {
            cycles.set(`${cycle.path[0]}\u0000${cycle.path[1]}`, cycle.path.map(name));
        }
        // A file that imports itself is told so, even when it is also on a longer cycle.
        for (const uri of uris) {
            if (edges(uri).includes(uri)) {
                cycles.set(`${uri}\u0000${uri}`, [name(uri), name(uri)]);
            }
        }
        return cycles;
    }
}
