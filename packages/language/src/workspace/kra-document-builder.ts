import {
    Cancellation, DefaultDocumentBuilder, DocumentState, interruptAndCheck, isOperationCancelled, isReference, URI,
    type AstNode, type BuildOptions, type LangiumDocument, type LangiumSharedCoreServices, type ValidationCategory
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { readsOtherDocuments, RULES } from '../validation/rules/index.js';
import { KraDocumentFactory, type ParseChanges } from './kra-document-factory.js';
import { parsedText } from './syntax-trees.js';

/** Whole-workspace rules, which the editor runs at start-up and on save only. */
const SLOW_RULES = new Set(RULES.filter(rule => rule.category === 'slow').map(rule => rule.id));

/**
 * Whether the slow pass reported `diagnostic`: a finding of a slow rule, or a suppression
 * comment that suppresses no finding of one (validation/kra-document-validator.ts).
 */
function isSlowFinding(diagnostic: Diagnostic): boolean {
    return SLOW_RULES.has(String(diagnostic.code)) || (diagnostic.data as { pass?: string } | undefined)?.pass === 'slow';
}

/**
 * A request waited for a document that was closed and deleted meanwhile. The editor layer
 * answers it as the protocol says (lsp/kra-lsp-document-builder.ts).
 */
export class DocumentGoneError extends Error {
    override readonly name = 'DocumentGone';

    constructor(readonly uri: string) {
        super(`No document found for URI: ${uri} (it was closed or deleted)`);
    }
}

/** A finding of a slow rule kept through edits: the text it marked, and where that was. */
interface CarriedFinding {
    readonly diagnostic: Diagnostic;
    readonly text: string;
    readonly offset: number;
}

/** What a document's references resolved to: whether one failed, and what they point to. */
interface Links {
    /** How many of the document's references have been read into this. */
    read: number;
    failed: boolean;
    /** The AST paths of the nodes they point to, by document URI. */
    targets: Map<string, Set<string>>;
}

/**
 * Langium's document builder, with these changes.
 *
 * Edited documents first: Langium takes a build phase by phase over every document, so the
 * diagnostics of the file being typed in wait until the files that depend on it (those that
 * import it or use its declarations) have been relinked and their references indexed. Here the
 * edited documents are built to the end and their diagnostics published before the others are
 * relinked and revalidated; a next keystroke cancels that rest, which is rebuilt with it.
 *
 * After an edit elsewhere, Langium relinks and revalidates a document when its references point
 * into the edited files. Here, when an edit parsed only one declaration again
 * (parser/incremental-parse.ts), every other AST node of the file is the one it was, and only
 * the documents whose references reach into that declaration are relinked and revalidated: in a
 * large department file, typing in one KPI no longer relinks every file that uses another. A
 * duplicate-id error involves no reference, so a file that reports one is revalidated too, and
 * renaming the other declaration clears it at once.
 *
 * And build-phase listeners are always notified, and requests that wait for a document that
 * gets deleted are answered (below).
 */
export class KraDocumentBuilder extends DefaultDocumentBuilder {

    /** The findings of slow rules of documents being rebuilt, by URI (see `validate`). */
    private readonly carried = new Map<string, CarriedFinding[]>();

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    /**
     * Before a document loses its diagnostics, keeps the findings of the slow rules (such as
     * metrics/unused) with the text they mark, so that `validate` can carry them over.
     */
    override resetToState<T extends AstNode>(document: LangiumDocument<T>, state: DocumentState): void {
        if (state <= DocumentState.IndexedReferences && document.diagnostics && !this.carried.has(document.uri.toString())) {
            const slow = document.diagnostics.filter(isSlowFinding);
            const text = document.parseResult && parsedText(document.parseResult.value);
            if (slow.length > 0 && text !== undefined) {
                const lines = lineStarts(text);
                this.carried.set(document.uri.toString(), slow.map(diagnostic => {
                    const start = offsetIn(lines, text, diagnostic.range.start);
                    return { diagnostic, offset: start, text: text.slice(start, offsetIn(lines, text, diagnostic.range.end)) };
                }));
            }
        }
        super.resetToState(document, state);
    }

    /**
     * An edit runs the fast checks only, which would drop what the slow checks found at start-up
     * or on the last save (a metric no KPI uses) until the next save. Those findings are kept
     * instead, moved with the text they mark (the nearest place it still occurs), until the next
     * run of the slow checks replaces them; one whose text is gone is dropped.
     */
    protected override async validate(document: LangiumDocument, cancelToken: Cancellation.CancellationToken): Promise<void> {
        if (document.diagnostics && this.findMissingValidationCategories(document, this.getBuildOptions(document)).includes('slow')) {
            // The slow checks run again on a validated document (revalidateSlowChecks): their findings replace those they had.
            document.diagnostics = document.diagnostics.filter(diagnostic => !isSlowFinding(diagnostic));
        }
        await super.validate(document, cancelToken);
        const key = document.uri.toString();
        const carried = this.carried.get(key);
        this.carried.delete(key);
        const ran = this.buildState.get(key)?.result?.validationChecks ?? [];
        if (!carried || ran.includes('slow') || !document.diagnostics) {
            return;
        }
        const text = document.textDocument.getText();
        for (const finding of carried) {
            const offset = nearestOccurrence(text, finding.text, finding.offset);
            if (offset !== undefined) {
                const range = { start: document.textDocument.positionAt(offset), end: document.textDocument.positionAt(offset + finding.text.length) };
                document.diagnostics.push({ ...finding.diagnostic, range });
            }
        }
    }

    /**
     * Runs the slow checks of these documents again (on a save, a change in one file can settle
     * a slow check in another: an unused metric becomes used), keeping every other finding:
     * after each edit, the other checks of every document that the edit concerns ran already.
     * Only the documents with a slow finding need their syntax tree for it, so closed files
     * whose tree is released (workspace/syntax-trees.ts) are not parsed again for nothing.
     */
    async revalidateSlowChecks(documents: LangiumDocument[], cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        for (const document of documents) {
            const result = this.buildState.get(document.uri.toString())?.result;
            if (document.state === DocumentState.Validated && result?.validationChecks) {
                result.validationChecks = result.validationChecks.filter(category => category !== 'slow');
            } else if (document.state === DocumentState.Validated) {
                this.resetToState(document, DocumentState.IndexedReferences);
            }
        }
        await this.build(documents, { validation: { categories: ['built-in', 'fast', 'slow'] } }, cancelToken);
    }

    protected override async buildDocuments(documents: LangiumDocument[], options: BuildOptions, cancelToken: Cancellation.CancellationToken): Promise<void> {
        this.prepareBuild(documents, options);
        const edited = this.editedFirst(documents);
        if (edited.length === 0) {
            // The edited documents are parsed with the others: what their parses replace is not
            // known before, so every document waiting for them is relinked.
            this.takeParseChanges();
            this.relinkWaiting(documents, () => true);
            return super.buildDocuments(documents, options, cancelToken);
        }
        try {
            await this.buildToTheEnd(edited, cancelToken);
            // Every document other than the edited ones was parsed already (editedFirst).
            const changes = this.takeParseChanges();
            this.relinkWaiting(documents, waiting => this.reaches(waiting, changes));
            await super.buildDocuments(documents, options, cancelToken);
        } finally {
            // Validated with the options of this build, whether or not the rest is cancelled.
            edited.filter(document => document.state === DocumentState.Validated).forEach(document => this.markAsCompleted(document));
        }
    }

    /**
     * The documents to build ahead of the others: those that must be parsed again, when every
     * other document of the workspace only needs relinking, so that the index they link against
     * is complete. Only for checks that look no further than the document and the declarations
     * it sees: `slow` checks read the references of every document (which metrics are used),
     * and those of the documents still to relink are missing until they are.
     */
    private editedFirst(documents: LangiumDocument[]): LangiumDocument[] {
        const edited = new Set(documents.filter(document => document.state < DocumentState.ComputedScopes));
        const others = this.langiumDocuments.all.filter(document => !edited.has(document));
        const ahead = edited.size > 0 && !others.isEmpty()
            && [...edited].every(document => this.checksOnlyWhatItSees(document))
            && others.every(document => document.state >= DocumentState.ComputedScopes);
        return ahead ? [...edited] : [];
    }

    private checksOnlyWhatItSees(document: LangiumDocument): boolean {
        const options = this.getBuildOptions(document);
        const categories = typeof options.validation === 'object' ? options.validation.categories : undefined;
        return options.eagerLinking !== false && categories !== undefined && !categories.includes('slow');
    }

    /**
     * Every phase for these documents, as Langium runs them (document-phase listeners, such as
     * publishing diagnostics, included), except the build-phase listeners and the builder's
     * state: requests that wait for the whole workspace (references, rename) still wait for the
     * other documents.
     */
    private async buildToTheEnd(documents: LangiumDocument[], cancelToken: Cancellation.CancellationToken): Promise<void> {
        const phase = async (state: DocumentState, action: (document: LangiumDocument) => Promise<unknown>) => {
            for (const document of documents) {
                if (document.state < state) {
                    await interruptAndCheck(cancelToken);
                    await action(document);
                    document.state = state;
                    await this.notifyDocumentPhase(document, state, cancelToken);
                }
            }
        };
        const services = (document: LangiumDocument) => this.serviceRegistry.getServices(document.uri);
        await phase(DocumentState.Parsed, document => this.langiumDocumentFactory.update(document, cancelToken));
        await phase(DocumentState.IndexedContent, document => this.indexManager.updateContent(document, cancelToken));
        await phase(DocumentState.ComputedScopes, async document => {
            document.localSymbols = await services(document).references.ScopeComputation.collectLocalSymbols(document, cancelToken);
        });
        await phase(DocumentState.Linked, document => services(document).references.Linker.link(document, cancelToken));
        await phase(DocumentState.IndexedReferences, document => this.indexManager.updateReferences(document, cancelToken));
        await phase(DocumentState.Validated, document => this.validate(document, cancelToken));
    }

    /**
     * Langium's, in a plain loop: `update` asks it of every document of the workspace on each
     * keystroke, and Langium's streams and sets took more than a millisecond of it on a large
     * workspace.
     */
    protected override findMissingValidationCategories(document: LangiumDocument, options: BuildOptions | undefined): ValidationCategory[] {
        const state = this.buildState.get(document.uri.toString());
        const all = this.serviceRegistry.getServices(document.uri).validation.ValidationRegistry.getAllValidationCategories(document);
        const checks = state?.result?.validationChecks;
        const executed = (category: ValidationCategory) => checks ? checks.includes(category) : state?.completed === true && all.has(category);
        const requested = options === undefined || options.validation === true ? all
            : typeof options.validation === 'object' ? (options.validation.categories ?? all) : [];
        const missing: ValidationCategory[] = [];
        for (const category of requested) {
            if (!executed(category)) {
                missing.push(category);
            }
        }
        return missing;
    }

    /**
     * Langium skips the build-phase listeners when a phase processed no document, but requests
     * (references, rename) wait on those phases: an update that changes nothing would leave them
     * waiting until the next edit. Always notify.
     */
    protected override async notifyBuildPhase(documents: LangiumDocument[], state: DocumentState, cancelToken: Cancellation.CancellationToken): Promise<void> {
        for (const listener of this.buildPhaseListeners.get(state).slice()) {
            await interruptAndCheck(cancelToken);
            await listener(documents, cancelToken);
        }
    }

    /**
     * Langium skips a document's phase listeners when the build is cancelled just after the
     * document reached the phase; no later build notifies them (the document is in that state
     * already), so a request waiting for that document (formatting waits for it to be parsed)
     * never got an answer, and caches cleared on a phase kept stale entries (test/fuzz/lsp.ts
     * found it). The listeners are cheap (waiters, cache invalidation, publishing diagnostics):
     * they always run.
     */
    protected override notifyDocumentPhase(document: LangiumDocument, state: DocumentState, _cancelToken: Cancellation.CancellationToken): Promise<void> {
        return super.notifyDocumentPhase(document, state, Cancellation.CancellationToken.None);
    }

    /** Per document URI: how to end each request that waits for the document to reach a state. */
    private readonly waiting = new Map<string, Set<() => void>>();

    /**
     * Langium's, ended when the document is deleted while the request waits: Langium's waits
     * for a build phase that a deleted document never reaches, so a request about a new
     * document, sent just before the document was closed, never got an answer (found by
     * test/fuzz/lsp.ts). It is answered with the error Langium gives about a document it does
     * not know.
     */
    protected override awaitDocumentState(state: DocumentState, uri: URI, cancelToken: Cancellation.CancellationToken): Promise<URI> {
        const key = uri.toString();
        const source = new Cancellation.CancellationTokenSource();
        const forwarded = cancelToken.onCancellationRequested(() => source.cancel());
        let deleted = false;
        const end = () => {
            deleted = true;
            source.cancel();
        };
        const waiters = this.waiting.get(key) ?? new Set();
        this.waiting.set(key, waiters.add(end));
        return super.awaitDocumentState(state, uri, source.token)
            .catch(error => {
                throw deleted && isOperationCancelled(error)
                    ? new DocumentGoneError(key)
                    : error;
            })
            .finally(() => {
                forwarded.dispose();
                source.dispose();
                waiters.delete(end);
                if (waiters.size === 0 && this.waiting.get(key) === waiters) {
                    this.waiting.delete(key);
                }
            });
    }

    protected override cleanUpDeleted<T extends AstNode>(document: LangiumDocument<T>): void {
        super.cleanUpDeleted(document);
        const key = document.uri.toString();
        this.carried.delete(key);
        const waiters = this.waiting.get(key);
        this.waiting.delete(key);
        waiters?.forEach(end => end());
    }

    /**
     * Langium's test (a reference that failed, or one into a changed document), from a summary of
     * the document's references kept with them, instead of reading every reference of every
     * document of the workspace on each keystroke; and documents with findings of a rule whose
     * findings depend on other documents (`scope: 'workspace'`: an id declared twice across files).
     */
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        const links = this.linksOf(document);
        if (links.failed || (document.diagnostics ?? []).some(diagnostic => readsOtherDocuments(String(diagnostic.code)))) {
            return true;
        }
        const targeted = [...changedUris].filter(uri => links.targets.has(uri));
        if (targeted.length === 0) {
            return false;
        }
        if (!targeted.every(uri => this.langiumDocuments.hasDocument(URI.parse(uri)))) {
            return true; // it points into a deleted document
        }
        // Whether it must be relinked is known once the changed documents are parsed again.
        const waiting = this.waitingForParse.get(document) ?? new Set();
        targeted.forEach(uri => waiting.add(uri));
        this.waitingForParse.set(document, waiting);
        return false;
    }

    /**
     * Documents that point into changed documents, with their URIs: whether they must be
     * relinked is decided once those are parsed again (buildDocuments). Kept across cancelled
     * builds until the decision is made.
     */
    private readonly waitingForParse = new Map<LangiumDocument, Set<string>>();

    /**
     * What the parses since the last call replaced. Decisions for the documents waiting are made
     * from them, so only parses after that decision are kept.
     */
    private takeParseChanges(): ParseChanges {
        const factory = this.langiumDocumentFactory;
        return factory instanceof KraDocumentFactory ? factory.takeChanges() : new Map();
    }

    /** Relinks (and so revalidates) the waiting documents that `must` selects, in this build; forgets the others. */
    private relinkWaiting(documents: LangiumDocument[], must: (waiting: WaitingDocument) => boolean): void {
        for (const [document, uris] of this.waitingForParse) {
            if (this.langiumDocuments.hasDocument(document.uri) && must({ document, uris })) {
                this.resetToState(document, DocumentState.ComputedScopes);
                if (!documents.includes(document)) {
                    documents.push(document);
                }
            }
        }
        this.waitingForParse.clear();
    }

    /**
     * Whether a waiting document's references reach what the parses replaced: a node of a
     * declaration parsed again (or the declaration itself), or anything in a document parsed in
     * full or not reported as parsed.
     */
    private reaches({ document, uris }: WaitingDocument, changes: ParseChanges): boolean {
        const targets = this.linksOf(document).targets;
        return [...uris].some(uri => {
            const replaced = changes.get(uri);
            const paths = targets.get(uri);
            return replaced === undefined || replaced === 'all'
                || (paths !== undefined && [...paths].some(path => replaced.some(root => path === root || path.startsWith(`${root}/`))));
        });
    }

    /**
     * Keyed by the document's array of references: unlinking replaces it, and linking only adds
     * resolved references to it, so the summary is brought up to date by reading the new ones.
     */
    private readonly links = new WeakMap<LangiumDocument['references'], Links>();

    private linksOf(document: LangiumDocument): Links {
        const references = document.references;
        let links = this.links.get(references);
        if (!links) {
            links = { read: 0, failed: false, targets: new Map() };
            this.links.set(references, links);
        }
        for (; links.read < references.length; links.read++) {
            const reference = references[links.read];
            if (reference.error) {
                links.failed = true;
            } else if (reference.$refNode) { // as Langium, which indexes only references written in the text
                const descriptions = isReference(reference) ? [reference.$nodeDescription] : reference.items.map(item => item.$nodeDescription);
                for (const description of descriptions) {
                    if (description) {
                        const uri = description.documentUri.toString();
                        const paths = links.targets.get(uri) ?? new Set();
                        links.targets.set(uri, paths.add(description.path));
                    }
                }
            }
        }
        return links;
    }
}

/** A document that points into changed documents (their URIs), waiting for them to be parsed. */
interface WaitingDocument {
    readonly document: LangiumDocument;
    readonly uris: ReadonlySet<string>;
}

/** Offsets at which the lines of `text` start. */
function lineStarts(text: string): number[] {
    const starts = [0];
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
        starts.push(index + 1);
    }
    return starts;
}

function offsetIn(lines: readonly number[], text: string, position: { line: number; character: number }): number {
    const start = lines[Math.min(position.line, lines.length - 1)] ?? 0;
    return Math.min(start + position.character, text.length);
}

/** Where `needle` occurs in `text` closest to `near`; undefined when it does not occur (or is empty). */
function nearestOccurrence(text: string, needle: string, near: number): number | undefined {
    if (needle.length === 0) {
        return undefined;
    }
    const after = text.indexOf(needle, Math.max(0, Math.min(near, text.length)));
    const before = text.lastIndexOf(needle, Math.max(0, near - 1));
    if (after < 0) {
        return before < 0 ? undefined : before;
    }
    return before < 0 || after - near <= near - before ? after : before;
}
