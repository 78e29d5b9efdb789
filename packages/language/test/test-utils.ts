import { EmptyFileSystem, URI, type BuildOptions, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createKraServices, parseConfig, type KraServices, type KraSharedServices } from '../src/index.js';

export const TEST_ROOT = 'file:///ws';

export interface TestWorkspace {
    readonly services: KraServices;
    /** Documents by the file name given to `buildWorkspace`. */
    readonly documents: ReadonlyMap<string, LangiumDocument>;
    document(name: string): LangiumDocument;
    /** Diagnostics of one file, or of every file when no name is given. */
    diagnostics(name?: string): Diagnostic[];
}

/**
 * Builds an in-memory workspace rooted at file:///ws from `{ 'path/file.kra': text }`, with
 * the built-ins loaded and every check (fast and slow) run, as the CLI does. `config` is the
 * text of a kra.config.yaml for the workspace root.
 */
export async function buildWorkspace(files: Record<string, string>, options: { root?: string; config?: string } = {}): Promise<TestWorkspace> {
    const root = options.root ?? TEST_ROOT;
    const { shared, Kra } = createKraServices(EmptyFileSystem);
    if (options.config !== undefined) {
        const parsed = parseConfig(options.config);
        if (!parsed.ok) {
            throw new Error(`Invalid test config: ${parsed.problems.map(p => `${p.line}:${p.column} ${p.message}`).join('; ')}`);
        }
        Kra.validation.RuleSettings.setConfig(URI.parse(root), parsed.config);
    }
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: root }]);
    const documents = new Map<string, LangiumDocument>();
    for (const [name, text] of Object.entries(files)) {
        const uri = name.includes(':') ? URI.parse(name) : URI.parse(`${root}/${name}`);
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, uri);
        shared.workspace.LangiumDocuments.addDocument(document);
        documents.set(name, document);
    }
    await shared.workspace.DocumentBuilder.build([...documents.values()], { validation: { categories: ['built-in', 'fast', 'slow'] } });
    const document = (name: string): LangiumDocument => {
        const found = documents.get(name);
        if (!found) {
            throw new Error(`No test document named ${name}`);
        }
        return found;
    };
    return {
        services: Kra,
        documents,
        document,
        diagnostics(name) {
            const selected = name === undefined ? [...documents.values()] : [document(name)];
            return selected.flatMap(each => each.diagnostics ?? []);
        }
    };
}

/** `rule@line:column message` (1-based), for readable assertions. */
export function summarise(diagnostics: readonly Diagnostic[]): string[] {
    return diagnostics.map(d => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1} ${typeof d.message === 'string' ? d.message : d.message.value}`);
}

/** The rule ids of the given diagnostics, sorted. */
export function ruleIds(diagnostics: readonly Diagnostic[]): string[] {
    return diagnostics.map(d => String(d.code)).sort();
}

/** A workspace built with the editor's services (see buildEditorWorkspace). */
export interface EditorWorkspace {
    readonly shared: KraSharedServices;
    readonly Kra: KraServices;
    /** Documents by the file name given. */
    readonly documents: Map<string, LangiumDocument>;
}

/**
 * Builds an in-memory workspace rooted at file:///ws from `{ 'path/file.kra': text }` with the
 * editor's services, running the `checks` given; with `release`, the syntax trees of closed
 * files are released after each build, as in the language server (workspace/syntax-trees.ts).
 */
export async function buildEditorWorkspace(files: Record<string, string>, options: { release?: boolean; checks: BuildOptions }): Promise<EditorWorkspace> {
    const { shared, Kra } = createKraServices(EmptyFileSystem);
    if (options.release) {
        shared.workspace.SyntaxTrees.releaseClosedDocuments();
    }
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: TEST_ROOT }]);
    const documents = new Map<string, LangiumDocument>();
    for (const [name, text] of Object.entries(files)) {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`${TEST_ROOT}/${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        documents.set(name, document);
    }
    await shared.workspace.DocumentBuilder.build([...documents.values()], options.checks);
    return { shared, Kra, documents };
}
