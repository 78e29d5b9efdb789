import {
    DocumentCache, UriUtils, type URI,
    type LangiumDocument, type LangiumDocuments
} from 'langium';
import { isKraFile, type Import } from '../generated/ast.js';
import { BUILTIN_LIBRARY_URI } from '../builtins/builtin-library.js';
import type { KraCoreServices } from '../kra-module.js';
import type { KraWorkspaceManager } from './kra-workspace-manager.js';

export type ImportProblem =
    | { kind: 'not-relative' }
    | { kind: 'not-a-path' }
    | { kind: 'not-kra' }
    | { kind: 'outside-root'; root: URI }
    | { kind: 'not-found'; uri: URI };

export type ImportResolution =
    | { ok: true; uri: URI; document: LangiumDocument }
    | { ok: false; problem: ImportProblem };

/**
 * Resolves `import "./file.kra"` declarations. Paths are relative to the importing file, are
 * resolved lexically (no file system access: the core also runs in a browser), and must stay
 * inside the workspace root. Symbolic links are refused by the file loader, which is the
 * only place that sees the disk.
 */
export class ImportResolver {

    private readonly documents: LangiumDocuments;
    private readonly workspaceManager: KraWorkspaceManager;
    private readonly visible: DocumentCache<string, Set<string>>;

    constructor(services: KraCoreServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.workspaceManager = services.shared.workspace.WorkspaceManager;
        this.visible = new DocumentCache(services.shared);
    }

    resolve(document: LangiumDocument, node: Import): ImportResolution {
        const path = node.path ?? '';
        if (!/^\.\.?\//.test(path)) {
            return { ok: false, problem: { kind: 'not-relative' } };
        }
        if (!path.endsWith('.kra')) {
            return { ok: false, problem: { kind: 'not-kra' } };
        }
        if (LONE_SURROGATE.test(path)) {
            // No file can have this name, and it cannot be written as a URI.
            return { ok: false, problem: { kind: 'not-a-path' } };
        }
        const uri = UriUtils.resolvePath(UriUtils.dirname(document.uri), path);
        const root = this.workspaceManager.rootOf(document.uri);
        if (!UriUtils.contains(root, uri)) {
            return { ok: false, problem: { kind: 'outside-root', root } };
        }
        const imported = this.documents.getDocument(uri);
        if (!imported) {
            return { ok: false, problem: { kind: 'not-found', uri } };
        }
        return { ok: true, uri, document: imported };
    }

    /** The documents whose declarations `document` sees: itself, its imports and the built-ins. */
    visibleUris(document: LangiumDocument): Set<string> {
        return this.visible.get(document.uri, 'visible', () => {
            const uris = new Set([document.uri.toString(), BUILTIN_LIBRARY_URI]);
            for (const imported of this.importedDocuments(document)) {
                uris.add(imported.uri.toString());
            }
            return uris;
        });
    }

    /** The documents that `document` imports and that resolve. */
    importedDocuments(document: LangiumDocument): LangiumDocument[] {
        const root = document.parseResult.value;
        if (!isKraFile(root)) {
            return [];
        }
        const result: LangiumDocument[] = [];
        for (const node of root.imports) {
            const resolution = this.resolve(document, node);
            if (resolution.ok) {
                result.push(resolution.document);
            }
        }
        return result;
    }
}

/** Half of a UTF-16 surrogate pair, without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function describeImportProblem(path: string, problem: ImportProblem): string {
    switch (problem.kind) {
        case 'not-a-path':
            return `Import "${path.replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD')}" contains a broken character (half of a UTF-16 surrogate pair), so it names no file. Retype the path.`;
        case 'not-relative':
            return `Import "${path}" must be a relative path starting with "./" or "../", e.g. import "./metrics.kra".`;
        case 'not-kra':
            return `Import "${path}" must name a .kra file, e.g. import "./metrics.kra".`;
        case 'outside-root':
            return `Import "${path}" points outside the workspace root ${problem.root.path}. Move the file into the workspace or copy the declarations you need.`;
        case 'not-found':
            return `Import "${path}" names a file that is not in the workspace (${problem.uri.path}). Check the path and the file name.`;
    }
}

