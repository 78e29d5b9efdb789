/**
 * `kra check --cache`: a check that takes the findings of the files an edit cannot have affected
 * from the cache, and parses, links and validates only the others, with what they read. The
 * findings equal those of a check without the cache (an oracle test asserts it after random
 * edits: packages/cli/test/check-cache.test.ts). docs/cli.md describes it for users,
 * docs/performance.md has the figures.
 *
 * The cache holds, for each file: the hash of its text (and its size and modification time, so
 * that an untouched file is not read again), its findings, and what other files can see of it:
 * the names it exports, its imports, a hash of each declaration (each named element; a
 * department, a role or an organisation without the declarations inside it), the declarations
 * its references point into, and the CSV files whose headers its sources read. It is keyed by
 * the tool's version and build, the workspace roots and the configuration: any difference there
 * and everything is checked again.
 *
 * Checked again (the others keep their cached findings):
 * - the files whose text changed;
 * - every file with a declaration that reaches a changed declaration through references, or
 *   contains one that does (a KRA whose KPI's formula uses a KPI whose unit changed);
 * - every file whose declarations a changed file now references, or no longer references
 *   (`metrics/unused`, `smart/relevant`): found after the build, and checked in a second round;
 * - every file whose source reads a CSV header that changed.
 * Everything is checked again when a file is added or deleted, when a changed file's exported
 * names or imports differ (names decide what references resolve to, and some messages quote the
 * workspace's names), when a changed file declares an organisation or an objective (rules read
 * those without a reference), or when a changed file does not parse.
 *
 * Loaded to check them: the files they import, transitively (their references resolve there),
 * every organisation and objective with its imports, the files that reference their
 * declarations (whether something is used) and the files that declare the same names
 * (duplicate ids); in the order a full check loads them, so that names resolve alike.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { constants as fsConstants, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstUtils, isReference, URI, UriUtils, type AstNode, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { BUILTIN_LIBRARY_URI } from '../builtins/builtin-library.js';
import { MAX_OPEN_FILES } from '../workspace/kra-workspace-manager.js';
import { isKraFile, isSource, type KraFile } from '../generated/ast.js';
import type { KraServices } from '../lsp/kra-lsp-module.js';
import {
    createKraNodeServices, findKraFiles, prepareRoots, UnreadableFilesError,
    type PreparedRoots, type WorkspaceTarget
} from './index.js';

/** A checked file: its findings, from this run or from the cache, and its text for code frames. */
export interface CheckedFile {
    readonly uri: URI;
    /** The file's text; from the cache, only for a file with findings ('' for the others). */
    readonly text: string;
    readonly diagnostics: readonly Diagnostic[];
}

export interface CachedCheckOptions {
    /** A kra.config.yaml to use for every workspace instead of each root's own. */
    readonly configFile?: string;
    /** The cache file. */
    readonly cacheFile: string;
    /** The cache file as notes name it (relative to the working folder); `cacheFile` by default. */
    readonly cacheName?: string;
    /** The tool's version, part of the cache's key. */
    readonly toolVersion: string;
}

export interface CachedCheck {
    /** Every workspace file, in URI order. */
    readonly files: readonly CheckedFile[];
    /** Notes for the user: a cache that was ignored, and why; a cache that could not be written. */
    readonly notes: readonly string[];
    /** How much was done: files in the workspace, checked again, and loaded to check them; milliseconds per phase. */
    readonly stats: { readonly files: number; readonly checked: number; readonly loaded: number; readonly phases: Readonly<Record<string, number>> };
}

/** The cache file's format; a file with another is not trusted. */
const FORMAT = 'kra-check-cache/5';
/** What every format of the cache file starts with: such a file may be replaced. */
const FORMAT_FAMILY = 'kra-check-cache/';

interface FileEntry {
    readonly hash: string;
    /** Size and modification time when it was hashed: an unchanged stamp needs no new hash. */
    readonly stamp: string;
    readonly diagnostics: Diagnostic[];
    /** Exported names, `type name`, sorted. */
    readonly names: string[];
    /** The import paths as written, in order. */
    readonly imports: string[];
    /** The URIs of the files the imports resolve to. */
    readonly imported: string[];
    /**
     * Declarations (every named element: a KPI, a KRA, a metric, a department…) and imports: AST
     * path → hash of its position and text. A department's, a role's or an organisation's text
     * counts without the declarations inside it, which stand for themselves (`shallow`).
     */
    readonly declarations: Record<string, string>;
    /** The declarations hashed without what they contain. */
    readonly shallow: string[];
    /** Declarations: AST path → the declarations (`<file index>#<AST path>`, see StoredCache) its references point into. */
    readonly uses: Record<string, string[]>;
    /** Whether it declares an organisation or an objective: rules read those without a reference. */
    readonly global: boolean;
    /** CSV files whose header a source reads: path → size and modification time, or `absent`. */
    readonly external: Record<string, string>;
}

interface CacheData {
    readonly format: typeof FORMAT;
    readonly key: string;
    readonly files: Record<string, FileEntry>;
}

/**
 * The cache as stored: the files' URIs once, in a list, and each file's entry at the same place
 * in another. A declaration is named `<index of its file in the list>#<AST path>` throughout (in
 * `uses`, and while planning): a workspace's URIs would be most of the file otherwise.
 */
interface StoredCache {
    readonly format: typeof FORMAT;
    readonly key: string;
    readonly uris: string[];
    readonly entries: FileEntry[];
}

function store(data: CacheData): StoredCache {
    const uris = Object.keys(data.files);
    return { format: data.format, key: data.key, uris, entries: uris.map(uri => data.files[uri]) };
}

function unstore(stored: StoredCache): CacheData {
    const files: Record<string, FileEntry> = {};
    stored.uris.forEach((uri, at) => {
        files[uri] = stored.entries[at];
    });
    return { format: stored.format, key: stored.key, files };
}

/** Checks the workspaces of the targets, reusing the cache where it may, and writes the cache. */
export async function checkWithCache(targets: readonly WorkspaceTarget[], options: CachedCheckOptions): Promise<CachedCheck> {
    const notes: string[] = [];
    const phases: Record<string, number> = {};
    let last = performance.now();
    const phase = (name: string) => {
        const now = performance.now();
        phases[name] = Math.round(now - last);
        last = now;
    };
    const prepared = await prepareRoots(targets, options);
    const key = cacheKey(options.toolVersion, prepared.roots, prepared.roots.map(root => JSON.stringify(prepared.configs.get(root) ?? null)));
    const services = configuredServices(prepared);

    // Every workspace file, as a full check would find them, with its size and modification time.
    const manager = services.shared.workspace.WorkspaceManager;
    const uris = await manager.workspaceFiles(folders(prepared));
    if (manager.unreadable.length > 0) {
        throw new UnreadableFilesError(manager.unreadable.map(entry => ({ path: entry.uri.fsPath, reason: entry.reason })));
    }
    const order = uris.map(uri => uri.toString());
    const stamps = new Map(uris.map(uri => [uri.toString(), fileStamp(uri.fsPath)]));
    // A path given inside a folder that workspaces skip is loaded by a full check only: no cache.
    const extra = (await findKraFiles(prepared.requested)).map(file => URI.file(file).toString()).filter(uri => !stamps.has(uri));

    phase('find files');
    // The text of a file whose size or time changed is read and hashed: a file is changed when its
    // content is. The others keep the hash the cache has for them.
    const cached = extra.length === 0 ? await readCache(options.cacheFile, options.cacheName ?? options.cacheFile, key, notes) : undefined;
    const texts = new Map<string, string>();
    const hashes = new Map<string, string>();
    if (cached) {
        await readTexts(services, order.filter(uri => cached.files[uri]?.stamp !== stamps.get(uri)), texts);
        for (const uri of order) {
            hashes.set(uri, texts.has(uri) ? hashText(texts.get(uri)!) : cached.files[uri].hash);
        }
    }
    phase('read the cache');
    const plan = (cached && await planWarm(cached, order, texts, hashes, services.Kra))
        ?? { recheck: new Set(order), changed: new Set(order), previous: cached ?? { format: FORMAT, key, files: {} }, full: true, parsed: new Map() };

    phase('plan');
    // Build what must be checked again with what it reads; again, with more files, when a changed
    // file's references moved to declarations of files that were not to be checked again.
    let built: Built = { entries: new Map(), texts: new Map(), loaded: 0 };
    for (let round = 0; plan.recheck.size > 0 || extra.length > 0; round++) {
        // (A later round starts afresh: the documents parsed while planning belong to the first.)
        built = round === 0
            ? await buildSelection(plan, order, services, plan.parsed, prepared, extra)
            : await buildSelection(plan, order, configuredServices(prepared), new Map(), prepared, extra);
        const more = plan.full ? [] : movedReferences(plan, built, order);
        if (more.length === 0) {
            break;
        }
        more.forEach(uri => plan.recheck.add(uri));
    }

    phase('build');
    const entries: Record<string, FileEntry> = {};
    let restamped = false;
    for (const uri of [...order, ...extra]) {
        const entry = plan.recheck.has(uri) || extra.includes(uri) ? built.entries.get(uri) : plan.previous.files[uri];
        if (!entry) {
            throw new Error(`kra check --cache: no result for ${uri}`);
        }
        const stamp = stamps.get(uri) ?? entry.stamp;
        restamped ||= stamp !== entry.stamp;
        entries[uri] = { ...entry, stamp };
    }
    // Code frames need the text of each file with findings.
    await readTexts(services, Object.keys(entries).filter(uri => entries[uri].diagnostics.length > 0 && !built.texts.has(uri) && !texts.has(uri)), texts);
    const files: CheckedFile[] = Object.entries(entries).map(([uri, entry]) =>
        ({ uri: URI.parse(uri), text: built.texts.get(uri) ?? texts.get(uri) ?? '', diagnostics: entry.diagnostics }));
    // (When nothing was checked again and no file was touched, the cache on disk says it all.)
    if (extra.length === 0 && (plan.recheck.size > 0 || restamped)) {
        await writeCache(options.cacheFile, options.cacheName ?? options.cacheFile, { format: FORMAT, key, files: entries }, notes);
    }
    phase('write the cache');
    return { files, notes, stats: { files: files.length, checked: plan.recheck.size + extra.length, loaded: built.loaded, phases } };
}

/** Services with the roots' configurations set. */
function configuredServices(prepared: PreparedRoots): ReturnType<typeof createKraNodeServices> {
    const services = createKraNodeServices();
    for (const [root, config] of prepared.configs) {
        services.Kra.validation.RuleSettings.setConfig(URI.file(root), config);
    }
    return services;
}

function folders(prepared: PreparedRoots): Array<{ name: string; uri: string }> {
    return prepared.roots.map(root => ({ name: path.basename(root), uri: URI.file(root).toString() }));
}

/** Reads the texts of some files into `texts`, as documents read them; an UnreadableFilesError for those that cannot be read. */
async function readTexts(services: ReturnType<typeof createKraNodeServices>, uris: readonly string[], texts: Map<string, string>): Promise<void> {
    const fileSystem = services.shared.workspace.FileSystemProvider;
    const failed: Array<{ path: string; reason: string }> = [];
    // At most MAX_OPEN_FILES at a time, as the workspace is loaded (a fresh clone changes every stamp).
    let next = 0;
    const reader = async () => {
        while (next < uris.length) {
            const uri = uris[next++];
            try {
                texts.set(uri, await fileSystem.readFile(URI.parse(uri)));
            } catch (error) {
                failed.push({ path: URI.parse(uri).fsPath, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_OPEN_FILES, uris.length) }, reader));
    if (failed.length > 0) {
        throw new UnreadableFilesError(failed.sort((a, b) => a.path.localeCompare(b.path)));
    }
}

// --- planning ------------------------------------------------------------------------------

interface Plan {
    /** The files whose findings are computed in this run. */
    readonly recheck: Set<string>;
    /** The files whose text changed. */
    readonly changed: ReadonlySet<string>;
    readonly previous: CacheData;
    /** Everything is checked: no usable cache, or a change that may affect any file. */
    readonly full: boolean;
    /** The changed files, parsed while planning: the build takes them as they are. */
    readonly parsed: ReadonlyMap<string, LangiumDocument>;
}

/**
 * Which files must be checked again, or undefined when everything must: see the module's comment.
 * The changed files are parsed on their own here (no linking) for their names, imports and
 * declarations.
 */
async function planWarm(cached: CacheData, order: readonly string[], texts: ReadonlyMap<string, string>, hashes: ReadonlyMap<string, string>, services: KraServices): Promise<Plan | undefined> {
    const previous = cached.files;
    if (order.length !== Object.keys(previous).length || order.some(uri => !previous[uri])) {
        return undefined; // a file was added or deleted
    }
    const changed = new Set(order.filter(uri => previous[uri].hash !== hashes.get(uri)));
    const indexOf = new Map(order.map((uri, at) => [uri, at]));
    const changedDeclarations = new Set<string>();
    const parsed = new Map<string, LangiumDocument>();
    for (const uri of changed) {
        const old = previous[uri];
        if (old.global) {
            return undefined;
        }
        const document = services.shared.workspace.LangiumDocumentFactory.fromString(texts.get(uri)!, URI.parse(uri));
        parsed.set(uri, document);
        const root = document.parseResult.value;
        if (document.parseResult.lexerErrors.length > 0 || document.parseResult.parserErrors.length > 0 || !isKraFile(root)) {
            return undefined; // its declarations cannot be compared
        }
        const summary = await localSummary(document, services);
        if (summary.global || !sameList(summary.names, old.names) || !sameList(summary.imports, old.imports)) {
            return undefined;
        }
        for (const declaration of new Set([...Object.keys(old.declarations), ...Object.keys(summary.declarations)])) {
            if (old.declarations[declaration] !== summary.declarations[declaration]) {
                changedDeclarations.add(`${indexOf.get(uri)}#${declaration}`);
            }
        }
    }
    // Every declaration that reaches a changed one through references, by the previous summaries
    // (a changed file is checked again whatever its own declarations use), and every declaration
    // that contains one reached (a KRA whose KPI's unit changed), short of a department, a role or
    // an organisation.
    const usedBy = new Map<string, string[]>();
    order.forEach((uri, at) => {
        for (const [declaration, uses] of Object.entries(previous[uri].uses)) {
            for (const target of uses) {
                const list = usedBy.get(target);
                if (list) {
                    list.push(`${at}#${declaration}`);
                } else {
                    usedBy.set(target, [`${at}#${declaration}`]);
                }
            }
        }
    });
    const recheck = new Set(changed);
    const reached = new Set<string>();
    const pending = [...changedDeclarations];
    const reach = (declaration: string) => {
        if (!reached.has(declaration)) {
            reached.add(declaration);
            pending.push(declaration);
            recheck.add(order[fileOf(declaration)]);
        }
    };
    while (pending.length > 0) {
        const declaration = pending.pop()!;
        for (const user of usedBy.get(declaration) ?? []) {
            reach(user);
        }
        const at = fileOf(declaration);
        const entry = previous[order[at]];
        const shallow = new Set(entry.shallow);
        for (const container of containers(pathOf(declaration))) {
            if (shallow.has(container)) {
                break;
            }
            if (container in entry.declarations) {
                reach(`${at}#${container}`);
            }
        }
    }
    // A CSV header a source reads has changed.
    for (const uri of order) {
        for (const [file, stamp] of Object.entries(previous[uri].external)) {
            if (fileStamp(file) !== stamp) {
                recheck.add(uri);
            }
        }
    }
    return { recheck, changed, previous: cached, full: false, parsed };
}

/**
 * The files a check of `recheck` loads (see the module's comment): those files, every
 * organisation and objective, and what they import, transitively (their references resolve
 * there); the files that reference their declarations, those that declare the same names, and
 * those that declare a metric named like one of their KPIs, whose own imports are not needed
 * (imports are not transitive: a reference into a file resolves in a file that imports it).
 */
function selection(plan: Plan, order: readonly string[]): Set<string> {
    const files = plan.previous.files;
    const rechecked = plan.recheck;
    const wanted = new Set(rechecked);
    for (const uri of order) {
        if (files[uri].global) {
            wanted.add(uri);
        }
    }
    const pending = [...wanted];
    while (pending.length > 0) {
        for (const imported of files[pending.pop()!].imported) {
            if (!wanted.has(imported)) {
                wanted.add(imported);
                pending.push(imported);
            }
        }
    }
    // Names as exported (`Kpi operations.service.aht`): a KPI's advice on a formula that names the
    // KPI itself depends on whether a metric of that name exists anywhere (formula/cycle).
    const names = new Set<string>();
    const kpiNames = new Set<string>();
    for (const uri of rechecked) {
        for (const name of files[uri].names) {
            names.add(name);
            if (name.startsWith('Kpi ')) {
                kpiNames.add(name.slice(Math.max(name.lastIndexOf('.'), 'Kpi'.length) + 1));
            }
        }
    }
    for (const uri of order) {
        const entry = files[uri];
        if (Object.values(entry.uses).some(uses => uses.some(target => rechecked.has(order[fileOf(target)]!)))
            || entry.names.some(name => names.has(name) || (name.startsWith('Metric ') && kpiNames.has(name.slice('Metric '.length))))) {
            wanted.add(uri);
        }
    }
    return wanted;
}

/**
 * After the build: files whose declarations a changed file references now but did not before, or
 * the other way round, that were not checked again (every changed file was built).
 */
function movedReferences(plan: Plan, built: Built, order: readonly string[]): string[] {
    const more = new Set<string>();
    for (const uri of plan.changed) {
        const before = new Set(Object.values(plan.previous.files[uri].uses).flat());
        const after = new Set(Object.values(built.entries.get(uri)!.uses).flat());
        for (const target of [...before, ...after]) {
            if (before.has(target) !== after.has(target) && !plan.recheck.has(order[fileOf(target)])) {
                more.add(order[fileOf(target)]);
            }
        }
    }
    return [...more];
}

// --- building ------------------------------------------------------------------------------

interface Built {
    /** Fresh entries of the files checked again. */
    readonly entries: Map<string, FileEntry>;
    /** Their texts. */
    readonly texts: Map<string, string>;
    readonly loaded: number;
}

async function buildSelection(plan: Plan, order: readonly string[], services: ReturnType<typeof createKraNodeServices>, parsed: ReadonlyMap<string, LangiumDocument>, prepared: PreparedRoots, extra: readonly string[]): Promise<Built> {
    const { shared, Kra } = services;
    const manager = shared.workspace.WorkspaceManager;
    manager.selection = plan.full ? undefined : selection(plan, order);
    manager.preloaded = parsed;
    manager.initialBuildOptions = { validation: false };
    await manager.initializeWorkspace(folders(prepared));
    if (manager.unreadable.length > 0) {
        throw new UnreadableFilesError(manager.unreadable.map(entry => ({ path: entry.uri.fsPath, reason: entry.reason })));
    }
    const documents = shared.workspace.LangiumDocuments;
    if (extra.length > 0) {
        const added: LangiumDocument[] = [];
        for (const uri of extra) {
            added.push(await documents.getOrCreateDocument(URI.parse(uri)));
        }
        await shared.workspace.DocumentBuilder.build(added, { validation: false });
    }
    const rechecked = documents.all.filter(document => plan.recheck.has(document.uri.toString()) || extra.includes(document.uri.toString())).toArray();
    await shared.workspace.DocumentBuilder.build(rechecked, { validation: { categories: ['built-in', 'fast', 'slow'] } });
    const entries = new Map<string, FileEntry>();
    const texts = new Map<string, string>();
    const indexOf = new Map(order.map((uri, at) => [uri, at]));
    for (const document of rechecked) {
        entries.set(document.uri.toString(), await fullSummary(document, Kra, indexOf));
        texts.set(document.uri.toString(), document.textDocument.getText());
    }
    const loaded = documents.all.filter(document => document.uri.toString() !== BUILTIN_LIBRARY_URI).count();
    return { entries, texts, loaded };
}

// --- summaries -----------------------------------------------------------------------------

type LocalSummary = Pick<FileEntry, 'names' | 'imports' | 'declarations' | 'shallow' | 'global'>;

/** Declarations hashed without the declarations inside them (see FileEntry). */
const SHALLOW_TYPES: ReadonlySet<string> = new Set(['Department', 'Role', 'Organisation']);

/** What a parse alone tells of a file: its names, imports and declarations. */
async function localSummary(document: LangiumDocument, services: KraServices): Promise<LocalSummary> {
    const root = document.parseResult.value as KraFile;
    const exported = await services.references.ScopeComputation.collectExportedSymbols(document);
    const names = [...new Set(exported.map(description => `${description.type} ${description.name}`))].sort();
    const declarations: Record<string, string> = {};
    const shallow: string[] = [];
    const locator = services.workspace.AstNodeLocator;
    for (const node of root.imports) {
        if (node.$cstNode) {
            declarations[locator.getAstNodePath(node)] = hashText(`${node.$cstNode.offset}\u0000${node.$cstNode.text}`);
        }
    }
    for (const node of AstUtils.streamAst(root)) {
        const cst = node.$cstNode;
        if (node === root || !cst || !isDeclaration(node)) {
            continue;
        }
        const path = locator.getAstNodePath(node);
        const { line, character } = cst.range.start;
        if (SHALLOW_TYPES.has(node.$type)) {
            shallow.push(path);
            declarations[path] = hashText(`${line}:${character}\u0000${shallowText(node)}`);
        } else {
            declarations[path] = hashText(`${line}:${character}\u0000${cst.text}`);
        }
    }
    return {
        names,
        imports: root.imports.map(node => node.path ?? ''),
        declarations,
        shallow,
        global: root.declarations.some(node => node.$type === 'Organisation' || node.$type === 'Objective')
    };
}

/** A named element: what references point at, and what the cache hashes one by one. */
function isDeclaration(node: AstNode): boolean {
    return typeof (node as { name?: unknown }).name === 'string';
}

/** The nearest declaration that is or contains `node`, or `root`'s child that does. */
function declarationOf(node: AstNode, root: AstNode): AstNode {
    let current = node;
    while (!isDeclaration(current) && current.$container && current.$container !== root) {
        current = current.$container;
    }
    return current;
}

/** A node's text with each declaration inside it replaced by its type and name. */
function shallowText(node: AstNode): string {
    const cst = node.$cstNode!;
    const parts: string[] = [];
    let at = cst.offset;
    const visit = (parent: AstNode) => {
        for (const child of AstUtils.streamContents(parent)) {
            if (isDeclaration(child) && child.$cstNode) {
                parts.push(cst.root.fullText.slice(at, child.$cstNode.offset), `\u0000${child.$type} ${(child as { name?: string }).name}\u0000`);
                at = child.$cstNode.end;
            } else {
                visit(child);
            }
        }
    };
    visit(node);
    parts.push(cst.root.fullText.slice(at, cst.end));
    return parts.join('');
}

/** The AST paths that contain `path`, innermost first: `/a@0/b@1/c@2` → `/a@0/b@1`, `/a@0`. */
function containers(path: string): string[] {
    const result: string[] = [];
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
        result.push(path.slice(0, end));
    }
    return result;
}

/** Everything the cache keeps of a checked file. */
async function fullSummary(document: LangiumDocument, services: KraServices, indexOf: ReadonlyMap<string, number>): Promise<FileEntry> {
    const local = await localSummary(document, services);
    const locator = services.workspace.AstNodeLocator;
    const uses: Record<string, Set<string>> = {};
    const root = document.parseResult.value;
    for (const reference of document.references) {
        const source = reference.$refNode?.astNode;
        const targets: Array<AstNode | undefined> = isReference(reference) ? [reference.ref] : reference.items.map(item => item.ref);
        for (const target of targets) {
            if (!source || !target) {
                continue;
            }
            const targetDocument = AstUtils.getDocument(target);
            const at = indexOf.get(targetDocument.uri.toString());
            if (at === undefined) {
                continue; // the built-in library, or a file outside the workspace folders (never cached)
            }
            const from = locator.getAstNodePath(declarationOf(source, root));
            (uses[from] ??= new Set()).add(`${at}#${locator.getAstNodePath(declarationOf(target, targetDocument.parseResult.value))}`);
        }
    }
    const external: Record<string, string> = {};
    for (const node of AstUtils.streamAst(root)) {
        if (isSource(node) && node.file && /\.csv$/i.test(node.file)) {
            const uri = UriUtils.resolvePath(UriUtils.dirname(document.uri), node.file);
            external[uri.fsPath] = fileStamp(uri.fsPath);
        }
    }
    return {
        ...local,
        hash: hashText(document.textDocument.getText()),
        stamp: '',
        diagnostics: document.diagnostics ?? [],
        imported: services.workspace.ImportResolver.importedDocuments(document).map(imported => imported.uri.toString()),
        uses: Object.fromEntries(Object.entries(uses).map(([from, targets]) => [from, [...targets].sort()])),
        external
    };
}

// --- the cache file ------------------------------------------------------------------------

/** The index of a declaration's file, from its name `<index>#<path>`. */
function fileOf(declaration: string): number {
    return Number(declaration.slice(0, declaration.indexOf('#')));
}

/** The AST path of a declaration, from its name `<index>#<path>`. */
function pathOf(declaration: string): string {
    return declaration.slice(declaration.indexOf('#') + 1);
}

/** 128 bits of SHA-256: enough to tell texts apart, short enough to keep thousands. */
function hashText(text: string): string {
    return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
    return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** A file's size and modification time, which say whether it may have changed, or `absent`. */
function fileStamp(file: string): string {
    try {
        const stat = statSync(file);
        return `${stat.size}:${stat.mtimeMs}`;
    } catch {
        return 'absent';
    }
}

/**
 * The tool's version and build (the size and time of the code that runs: a rebuilt checkout is
 * another tool), the roots and the configurations.
 */
function cacheKey(version: string, roots: readonly string[], configTexts: readonly string[]): string {
    // (A CommonJS bundle, such as the VS Code extension's, has no import.meta: its script then.)
    const code = typeof import.meta.url === 'string' ? fileURLToPath(import.meta.url) : process.argv[1] ?? '';
    return hashText(JSON.stringify([version, fileStamp(code), roots, configTexts]));
}

/** The largest cache file read: far more than the findings and summaries of 100,000 KPIs. */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;

/** The cache, if it is one of ours for this key; a note when there is a file that is not. */
async function readCache(file: string, name: string, key: string, notes: string[]): Promise<CacheData | undefined> {
    let text: string;
    try {
        // A regular file only, not through a symbolic link, never a device or a pipe.
        const stat = await fs.lstat(file);
        if (!stat.isFile() || stat.size > MAX_CACHE_BYTES) {
            notes.push(`${name} is not a kra cache (${stat.isFile() ? 'it is too large' : 'it is not a regular file'}); checking every file.`);
            return undefined;
        }
        const handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
        try {
            text = await handle.readFile('utf8');
        } finally {
            await handle.close();
        }
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') {
            notes.push(`cannot read the cache ${name} (${code ?? String(error)}); checking every file.`);
        }
        return undefined;
    }
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch {
        notes.push(`${name} is not a kra cache (it is not JSON); checking every file.`);
        return undefined;
    }
    if (isRecord(data) && typeof data.format === 'string' && data.format.startsWith(FORMAT_FAMILY) && data.format !== FORMAT) {
        notes.push(`${name} was made by another version of kra; checking every file.`);
        return undefined;
    }
    if (!isStoredCache(data)) {
        notes.push(`${name} is not a kra cache, or is damaged; checking every file.`);
        return undefined;
    }
    if (data.key !== key) {
        notes.push(`${name} was made by another build of kra, for other folders or with another configuration; checking every file.`);
        return undefined;
    }
    return unstore(data);
}

/** A thorough check of the shape: nothing in a cache file is trusted before it. */
function isStoredCache(value: unknown): value is StoredCache {
    if (!isRecord(value) || value.format !== FORMAT || typeof value.key !== 'string' || !isStringList(value.uris)
        || !Array.isArray(value.entries) || value.entries.length !== value.uris.length || new Set(value.uris).size !== value.uris.length) {
        return false;
    }
    return value.entries.every(entry => isRecord(entry)
        && typeof entry.hash === 'string' && typeof entry.stamp === 'string'
        && Array.isArray(entry.diagnostics) && entry.diagnostics.every(isDiagnostic)
        && isStringList(entry.names) && isStringList(entry.imports) && isStringList(entry.imported)
        && isRecord(entry.declarations) && Object.values(entry.declarations).every(hash => typeof hash === 'string') && isStringList(entry.shallow)
        && isRecord(entry.uses) && Object.values(entry.uses).every(isStringList)
        && typeof entry.global === 'boolean'
        && isRecord(entry.external) && Object.values(entry.external).every(stamp => typeof stamp === 'string'));
}

function isDiagnostic(value: unknown): boolean {
    return isRecord(value) && typeof value.message === 'string' && isRecord(value.range)
        && isPosition(value.range.start) && isPosition(value.range.end)
        && (value.severity === undefined || [1, 2, 3, 4].includes(value.severity as number))
        && (value.code === undefined || typeof value.code === 'string' || typeof value.code === 'number');
}

function isPosition(value: unknown): boolean {
    return isRecord(value) && Number.isInteger(value.line) && Number.isInteger(value.character)
        && (value.line as number) >= 0 && (value.character as number) >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every(item => typeof item === 'string');
}

/**
 * Writes the cache atomically (a temporary file renamed over it), and never over a file that is
 * not a kra cache: a mistyped `--cache-location` must not destroy someone's file.
 */
async function writeCache(file: string, name: string, data: CacheData, notes: string[]): Promise<void> {
    try {
        const existing = await fs.lstat(file).catch(() => undefined);
        if (existing && !(existing.isFile() && await isOurs(file))) {
            notes.push(`did not write the cache: ${name} exists and is not a kra cache; remove it or choose another --cache-location.`);
            return;
        }
        await fs.mkdir(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        await fs.writeFile(temporary, JSON.stringify(store(data)));
        await fs.rename(temporary, file);
    } catch (error) {
        notes.push(`could not write the cache ${name}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
}

async function isOurs(file: string): Promise<boolean> {
    const handle = await fs.open(file, 'r');
    try {
        const buffer = Buffer.alloc(64);
        const { bytesRead } = await handle.read(buffer, 0, 64, 0);
        return buffer.subarray(0, bytesRead).toString('utf8').startsWith(`{"format":"${FORMAT_FAMILY}`);
    } finally {
        await handle.close();
    }
}
