import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { DocumentState, URI, UriUtils } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { DiagnosticSeverity, type Connection, type Diagnostic, type WorkspaceFolder } from 'vscode-languageserver';
import type { KraServices } from '@kra-lang/language';
import { CONFIG_FILE_NAME, CONFIG_FILE_NAMES, ConfigError, findConfigFile, readConfig, UnreadablePathError } from '@kra-lang/language/node';

/**
 * Keeps the rule settings in step with each workspace folder's kra.config.yaml: read when the
 * client connects, before the first validation, and again whenever the client reports the file
 * created, changed or deleted (Langium registers a watcher on every file of the workspace). A
 * client that cannot watch files for the server (no dynamic registration of
 * `workspace/didChangeWatchedFiles`, as in some Neovim and Helix set-ups) would never report it,
 * so then the server watches the config files' folders itself. A broken file is reported as
 * diagnostics on the file itself, and the defaults apply meanwhile.
 */
export class WorkspaceConfig {

    private folders: WorkspaceFolder[] = [];
    /** A config file the client chose (the VS Code setting `kra.config.path`) for every folder. */
    private configPath: string | undefined;
    private loading: Promise<void> = Promise.resolve();
    /** Config files that currently show problems. */
    private readonly broken = new Set<string>();
    /** The server's own watchers, when the client does not watch files for it. */
    private readonly watchers: FSWatcher[] = [];
    private reloadTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        private readonly connection: Connection,
        private readonly shared: LangiumSharedServices,
        private readonly kra: KraServices
    ) { }

    install(): void {
        this.shared.lsp.LanguageServer.onInitialize(params => {
            this.folders = params.workspaceFolders ?? [];
            const options = params.initializationOptions as { configPath?: unknown } | undefined;
            this.configPath = typeof options?.configPath === 'string' && options.configPath !== '' ? path.resolve(options.configPath) : undefined;
            this.loading = this.loadAll();
            if (params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration !== true) {
                this.watchConfigFiles();
            }
        });
        this.connection.onShutdown(() => this.stopWatching());
        // Validation waits here for the files to be read: each document after its links, before its
        // checks (the builder may validate an edited document before it relinks the others).
        this.shared.workspace.DocumentBuilder.onDocumentPhase(DocumentState.IndexedReferences, () => this.loading);
        this.shared.lsp.DocumentUpdateHandler.onWatchedFilesChange(params => {
            const changed = params.changes.filter(change => this.folderOfConfig(change.uri) !== undefined);
            if (changed.length > 0) {
                void this.reload();
            }
        });
    }

    /** Reads every folder's config again and runs every check on every document with it. */
    async reload(): Promise<void> {
        this.loading = this.loadAll();
        await this.loading;
        const documentBuilder = this.shared.workspace.DocumentBuilder;
        const documents = this.shared.workspace.LangiumDocuments;
        await this.shared.workspace.WorkspaceManager.ready;
        await this.shared.workspace.WorkspaceLock.write(token => documentBuilder.build(documents.all.toArray(), { validation: true }, token));
    }

    /**
     * Watches the folder of each config file (a folder, not the file: editors often save by
     * writing a new file and renaming it over the old one), and reloads shortly after the file
     * changes, once for a burst of events.
     */
    private watchConfigFiles(): void {
        const watched = this.configPath !== undefined
            ? [{ folder: path.dirname(this.configPath), names: [path.basename(this.configPath)] }]
            : this.folders.map(folder => ({ folder: URI.parse(folder.uri).fsPath, names: CONFIG_FILE_NAMES }));
        for (const { folder, names } of watched) {
            try {
                const watcher = watch(folder, { persistent: false }, (_event, name) => {
                    if (name === null || names.includes(name.toString())) {
                        clearTimeout(this.reloadTimer);
                        this.reloadTimer = setTimeout(() => void this.reload(), 100);
                    }
                });
                watcher.on('error', () => watcher.close());
                this.watchers.push(watcher);
            } catch (error) {
                this.connection.console.warn(`kra: cannot watch ${folder} for configuration changes (${String(error)}); edits to them take effect after a restart.`);
            }
        }
    }

    private stopWatching(): void {
        clearTimeout(this.reloadTimer);
        this.watchers.splice(0).forEach(watcher => watcher.close());
    }

    private folderOfConfig(uri: string): WorkspaceFolder | undefined {
        const parsed = URI.parse(uri);
        if (this.configPath !== undefined) {
            return parsed.fsPath === this.configPath ? this.folders[0] : undefined;
        }
        if (!CONFIG_FILE_NAMES.includes(UriUtils.basename(parsed))) {
            return undefined;
        }
        const folder = withoutTrailingSlash(UriUtils.dirname(parsed));
        return this.folders.find(candidate => withoutTrailingSlash(URI.parse(candidate.uri)) === folder);
    }

    private async loadAll(): Promise<void> {
        await Promise.all(this.folders.map(folder => this.load(folder)));
    }

    private async load(folder: WorkspaceFolder): Promise<void> {
        const root = URI.parse(folder.uri);
        let file = this.configPath ?? path.join(root.fsPath, CONFIG_FILE_NAME);
        const settings = this.kra.validation.RuleSettings;
        try {
            if (this.configPath === undefined) {
                file = await findConfigFile(root.fsPath) ?? file;
            }
            const config = await readConfig(path.dirname(file), file);
            if (!config && this.configPath !== undefined) {
                throw new UnreadablePathError(file, 'the configured kra.config.path does not exist');
            }
            settings.setConfig(root, config);
            // Clears what was reported before, also on a file since renamed or deleted.
            for (const broken of [...this.broken].filter(uri => uri === URI.file(file).toString() || UriUtils.contains(root, URI.parse(uri)))) {
                this.publish(broken, []);
            }
        } catch (error) {
            settings.setConfig(root, undefined);
            // A misnamed or second config file: the problem shows on that file.
            this.publish(URI.file(error instanceof UnreadablePathError ? error.path : file).toString(), toDiagnostics(error));
        }
    }

    private publish(uri: string, diagnostics: Diagnostic[]): void {
        if (diagnostics.length === 0 && !this.broken.has(uri)) {
            return;
        }
        if (diagnostics.length > 0) {
            this.broken.add(uri);
        } else {
            this.broken.delete(uri);
        }
        void this.connection.sendDiagnostics({ uri, diagnostics });
    }
}

/** `file:///ws/` and `file:///ws` are the same folder. */
function withoutTrailingSlash(uri: URI): string {
    return uri.toString().replace(/\/+$/, '');
}

function toDiagnostics(error: unknown): Diagnostic[] {
    const note = ' The default settings apply until this is fixed.';
    if (error instanceof ConfigError) {
        return error.problems.map(problem => ({
            range: {
                start: { line: problem.line - 1, character: problem.column - 1 },
                end: { line: problem.endLine - 1, character: problem.endColumn - 1 }
            },
            severity: DiagnosticSeverity.Error,
            source: 'kra',
            message: problem.message + note
        }));
    }
    const message = error instanceof UnreadablePathError ? error.message : `Cannot read the configuration: ${String(error)}`;
    return [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        source: 'kra',
        message: message + note
    }];
}
