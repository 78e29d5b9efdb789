/**
 * Loading a workspace from file texts held in memory (for example a git revision's files),
 * with the same language services and every check that `loadWorkspace` runs on a folder.
 */
import * as path from 'node:path';
import { EmptyFileSystem, URI, UriUtils, type LangiumDocument } from 'langium';
import { createKraServices } from '../lsp/kra-lsp-module.js';
import { BUILTIN_LIBRARY_URI } from '../builtins/builtin-library.js';
import { CONFIG_FILE_NAME, CONFIG_FILE_NAMES, MAX_CONFIG_BYTES, parseConfig } from '../config/kra-config.js';
import { ConfigError, type LoadedWorkspace } from './index.js';

/** Folders the disk loader never searches (besides hidden ones): the same rules apply here. */
/** Folders below the root that a workspace leaves out (as Langium's workspace traversal), besides hidden ones. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'out']);

/**
 * Builds a workspace from file texts: `files` maps paths relative to the workspace root
 * (`/`-separated, like `roles/agent.kra`) to their content, and `rootPath` is the absolute
 * folder the workspace stands for: document URIs, source locations and the import boundary
 * are relative to it. The disk is never read: the services get an empty file system, so the
 * root folder is known to the workspace manager but not listed.
 *
 * Only `.kra` files outside hidden folders, `node_modules` and `out` are loaded, as from a
 * folder. A `kra.config.yaml` at the root (key `kra.config.yaml`) configures the rules; an
 * invalid one throws ConfigError, as `loadWorkspace` does.
 */
export async function loadWorkspaceFromTexts(files: ReadonlyMap<string, string>, rootPath: string): Promise<LoadedWorkspace> {
    const { shared, Kra } = createKraServices(EmptyFileSystem);
    const root = URI.file(path.resolve(rootPath));
    const configName = CONFIG_FILE_NAMES.find(name => files.has(name)) ?? CONFIG_FILE_NAME;
    const configText = files.get(configName);
    if (configText !== undefined) {
        // As on disk (readConfigText): a larger file is refused before it is parsed.
        const size = Buffer.byteLength(configText);
        if (size > MAX_CONFIG_BYTES) {
            throw new ConfigError(path.join(path.resolve(rootPath), configName), [{
                message: `The file holds ${(size / 1024 / 1024).toFixed(1)} MB; a configuration may hold at most ${MAX_CONFIG_BYTES / 1024 / 1024} MB.`,
                line: 1, column: 1, endLine: 1, endColumn: 1
            }]);
        }
        const result = parseConfig(configText);
        if (!result.ok) {
            throw new ConfigError(path.join(path.resolve(rootPath), configName), result.problems);
        }
        Kra.validation.RuleSettings.setConfig(root, result.config);
    }
    const workspaceManager = shared.workspace.WorkspaceManager;
    workspaceManager.initialBuildOptions = { validation: { categories: ['built-in', 'fast', 'slow'] } };
    // Records the root (imports may not leave it) and loads the built-ins; the empty file
    // system lists nothing, so no workspace file comes from the disk.
    await workspaceManager.initializeWorkspace([{ name: path.basename(root.fsPath) || 'workspace', uri: root.toString() }]);

    const documents: LangiumDocument[] = [];
    for (const [relative, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const segments = segmentsOf(relative);
        if (!segments || !isLoaded(segments)) {
            continue;
        }
        const uri = UriUtils.joinPath(root, ...segments);
        if (!shared.ServiceRegistry.hasServices(uri) || shared.workspace.LangiumDocuments.hasDocument(uri)) {
            continue;
        }
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, uri);
        shared.workspace.LangiumDocuments.addDocument(document);
        documents.push(document);
    }
    await shared.workspace.DocumentBuilder.build(documents, { validation: { categories: ['built-in', 'fast', 'slow'] } });
    const all = shared.workspace.LangiumDocuments.all.toArray();
    return {
        services: Kra,
        documents: all.filter(document => document.uri.toString() !== BUILTIN_LIBRARY_URI),
        library: all.filter(document => document.uri.toString() === BUILTIN_LIBRARY_URI)
    };
}

/** The segments of a relative path, or undefined for a path that is absolute or leaves the root. */
function segmentsOf(relative: string): string[] | undefined {
    const normalised = relative.replace(/\\/g, '/');
    if (normalised.startsWith('/') || /^[A-Za-z]:/.test(normalised)) {
        return undefined;
    }
    const segments = normalised.split('/').filter(segment => segment !== '' && segment !== '.');
    if (segments.length === 0 || segments.includes('..')) {
        return undefined;
    }
    return segments;
}

function isLoaded(segments: readonly string[]): boolean {
    return segments.every((segment, index) =>
        !segment.startsWith('.') && (index === segments.length - 1 || !SKIPPED_FOLDERS.has(segment)));
}
