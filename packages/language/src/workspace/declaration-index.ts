import {
    DocumentState, isReference, MultiMap, URI, UriUtils, WorkspaceCache,
    type AstNode, type AstNodeDescription, type IndexManager, type LangiumDocument, type LangiumDocuments
} from 'langium';
import type { Location } from 'vscode-languageserver-types';
import type { KraServices } from '../kra-module.js';
import type { ImportResolver } from './import-resolver.js';
import type { KraWorkspaceManager } from './kra-workspace-manager.js';
import { isBuiltinUri } from '../builtins/builtin-library.js';

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

    private readonly indexManager: IndexManager;
    private readonly documents: LangiumDocuments;
    private readonly importResolver: ImportResolver;
    private readonly cache: WorkspaceCache<string, unknown>;
    private readonly workspaceManager: KraWorkspaceManager;

    constructor(services: KraServices) {
        this.workspaceManager = services.shared.workspace.WorkspaceManager as KraWorkspaceManager;
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
                const entries = this.indexManager.allElements(undefined, new Set([uri]))
                    .map(description => [nameKey(description), description] as [string, AstNodeDescription]).toArray();
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
     * If importing `target` from `document` closes a cycle, the cycle as file names
     * (`a.kra → b.kra → a.kra`); otherwise undefined.
     */
    importCycle(document: LangiumDocument, target: LangiumDocument): string[] | undefined {
        const components = this.cache.get('importComponents', () => this.computeComponents()) as Map<string, number>;
        const from = document.uri.toString();
        const to = target.uri.toString();
        if (from === to) {
            return [from, from].map(uri => UriUtils.basename(URI.parse(uri)));
        }
        if (components.get(from) !== components.get(to)) {
            return undefined;
        }
        // Shortest path back from the imported file to the importing one, inside the component.
        const previous = new Map<string, string>([[to, '']]);
        const queue = [target];
        while (queue.length > 0) {
            const current = queue.shift()!;
            for (const next of this.importResolver.importedDocuments(current)) {
                const key = next.uri.toString();
                if (key === from) {
                    const path = [from, ...this.unwind(previous, current.uri.toString()), from];
                    return path.map(uri => UriUtils.basename(URI.parse(uri)));
                }
                if (!previous.has(key)) {
                    previous.set(key, current.uri.toString());
                    queue.push(next);
                }
            }
        }
        return undefined;
    }

    private unwind(previous: Map<string, string>, last: string): string[] {
        const path: string[] = [];
        for (let current = last; current; current = previous.get(current) ?? '') {
            path.unshift(current);
        }
        return path;
    }

    /** Strongly connected components of the import graph (Tarjan), by document URI. */
    private computeComponents(): Map<string, number> {
        const index = new Map<string, number>();
        const low = new Map<string, number>();
        const onStack = new Set<string>();
        const stack: string[] = [];
        const component = new Map<string, number>();
        let counter = 0;
        let components = 0;
        const edges = (uri: string): string[] => {
            const document = this.documents.getDocument(URI.parse(uri));
            return document ? this.importResolver.importedDocuments(document).map(d => d.uri.toString()) : [];
        };
        // Iterative Tarjan: import chains can be thousands of files long.
        for (const document of this.documents.all) {
            const start = document.uri.toString();
            if (index.has(start)) {
                continue;
            }
            const work: Array<{ uri: string; next: string[]; position: number }> = [];
            const visit = (uri: string) => {
                index.set(uri, counter);
                low.set(uri, counter);
                counter++;
                stack.push(uri);
                onStack.add(uri);
                work.push({ uri, next: edges(uri), position: 0 });
            };
            visit(start);
            while (work.length > 0) {
                const frame = work[work.length - 1];
                if (frame.position < frame.next.length) {
                    const next = frame.next[frame.position++];
                    if (!index.has(next)) {
                        visit(next);
                    } else if (onStack.has(next)) {
                        low.set(frame.uri, Math.min(low.get(frame.uri)!, index.get(next)!));
                    }
                    continue;
                }
                work.pop();
                if (work.length > 0) {
                    const parent = work[work.length - 1];
                    low.set(parent.uri, Math.min(low.get(parent.uri)!, low.get(frame.uri)!));
                }
                if (low.get(frame.uri) === index.get(frame.uri)) {
                    let member: string;
                    do {
                        member = stack.pop()!;
                        onStack.delete(member);
                        component.set(member, components);
                    } while (member !== frame.uri);
                    components++;
                }
            }
        }
        return component;
    }
}
