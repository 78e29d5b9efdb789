/**
 * The KRA Lang extension for VS Code: starts the bundled language server (out/server.cjs) for
 * .kra files, runs the bundled `kra` command (out/cli.cjs) for the Build and Scorecard
 * commands, and shows the server's state and the .kra problem counts in the status bar.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { resolveSettingPath, runCli, type CliResult } from './run-cli.js';
import { countDiagnostics, statusText, type ServerState } from './status.js';

const SCORECARD_SCHEME = 'kra-scorecard';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const output = vscode.window.createOutputChannel('KRA Lang');
    const serverOutput = vscode.window.createOutputChannel('KRA Lang Language Server', { log: true });
    context.subscriptions.push(output, serverOutput);

    const status = new StatusItem();
    context.subscriptions.push(status);

    const scorecards = new ScorecardDocuments();
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCORECARD_SCHEME, scorecards));

    const cliPath = context.asAbsolutePath(path.join('out', 'cli.cjs'));
    context.subscriptions.push(
        vscode.commands.registerCommand('kra.build', () => buildWorkspace(cliPath, output)),
        vscode.commands.registerCommand('kra.showScorecard', () => showScorecard(cliPath, output, scorecards)),
        vscode.commands.registerCommand('kra.restartServer', () => restartClient(serverOutput)),
        vscode.commands.registerCommand('kra.showOutput', () => serverOutput.show(true))
    );

    client = createClient(context, serverOutput);
    context.subscriptions.push(client.onDidChangeState(event => status.setState(toServerState(event.newState))));

    // The server reads kra.config.path when it starts: restart it when the setting or the file changes.
    let configWatcher = watchConfigFile(serverOutput);
    context.subscriptions.push(
        { dispose: () => configWatcher?.dispose() },
        vscode.workspace.onDidChangeConfiguration(async event => {
            if (event.affectsConfiguration('kra.config.path')) {
                configWatcher?.dispose();
                configWatcher = watchConfigFile(serverOutput);
                await restartClient(serverOutput);
            }
        })
    );

    status.setState('starting');
    await startClient(serverOutput);
}

export async function deactivate(): Promise<void> {
    const current = client;
    client = undefined;
    // stop() throws when the server never started (or has already stopped).
    if (current?.isRunning()) {
        await current.stop().catch(() => undefined);
    }
}

// -------------------------------------------------------------------------------------------------
// Language client
// -------------------------------------------------------------------------------------------------

function createClient(context: vscode.ExtensionContext, serverOutput: vscode.LogOutputChannel): LanguageClient {
    const serverModule = context.asAbsolutePath(path.join('out', 'server.cjs'));
    const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc },
        debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } }
    };
    const clientOptions: LanguageClientOptions = {
        // Langium needs a .kra file name, so only files (and the read-only built-in library).
        documentSelector: [
            { scheme: 'file', language: 'kra' },
            // Unsaved buffers (File > New File, language KRA Lang) get the same features.
            { scheme: 'untitled', language: 'kra' },
            { scheme: 'kra-builtin', language: 'kra' }
        ],
        outputChannel: serverOutput,
        // Read when the server starts (and on every restart).
        initializationOptions: () => ({ configPath: configPath() }),
        markdown: { isTrusted: false, supportHtml: false }
    };
    // The id 'kra' makes the client follow the `kra.trace.server` setting.
    return new LanguageClient('kra', 'KRA Lang Language Server', serverOptions, clientOptions);
}

async function startClient(serverOutput: vscode.LogOutputChannel): Promise<void> {
    try {
        await client?.start();
    } catch (error) {
        // The client has reported the details in the server's output channel.
        void vscode.window.showErrorMessage(`KRA Lang: the language server did not start: ${error instanceof Error ? error.message : String(error)}`, 'Show output')
            .then(choice => choice && serverOutput.show(true));
    }
}

/** Restarts the server, or starts it when it is not running (it failed to start, or stopped). */
async function restartClient(serverOutput: vscode.LogOutputChannel): Promise<void> {
    if (!client) {
        return;
    }
    if (client.isRunning()) {
        try {
            await client.restart();
            return;
        } catch {
            // Stopping failed half-way: start afresh below.
        }
    }
    if (client.state !== State.Starting) {
        await startClient(serverOutput);
    }
}

/** `kra.config.path`, resolved against the first workspace folder; undefined when not set. */
function configPath(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    return resolveSettingPath(vscode.workspace.getConfiguration('kra').get<string>('config.path'), folder);
}

function watchConfigFile(serverOutput: vscode.LogOutputChannel): vscode.Disposable | undefined {
    const file = configPath();
    if (!file) {
        return undefined;
    }
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    const restart = () => void restartClient(serverOutput);
    watcher.onDidChange(restart);
    watcher.onDidCreate(restart);
    watcher.onDidDelete(restart);
    return watcher;
}

function toServerState(state: State): ServerState {
    switch (state) {
        case State.Running:
            return 'ready';
        case State.Starting:
            return 'starting';
        default:
            return 'stopped';
    }
}

// -------------------------------------------------------------------------------------------------
// Status bar
// -------------------------------------------------------------------------------------------------

class StatusItem implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('kra.status', vscode.StatusBarAlignment.Left, 0);
    private readonly listener: vscode.Disposable;
    private state: ServerState = 'starting';
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor() {
        this.item.name = 'KRA Lang';
        this.listener = vscode.languages.onDidChangeDiagnostics(() => this.schedule());
        this.update();
        this.item.show();
    }

    setState(state: ServerState): void {
        this.state = state;
        this.update();
    }

    /** Diagnostics change in bursts while the server validates a workspace. */
    private schedule(): void {
        if (this.timer === undefined) {
            this.timer = setTimeout(() => {
                this.timer = undefined;
                this.update();
            }, 150);
        }
    }

    private update(): void {
        const counts = countDiagnostics(vscode.languages.getDiagnostics());
        const { text, tooltip, alert } = statusText(this.state, counts);
        this.item.text = text;
        this.item.tooltip = tooltip;
        this.item.backgroundColor = alert ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
        this.item.command = this.state === 'stopped' ? 'kra.showOutput' : 'workbench.actions.view.problems';
    }

    dispose(): void {
        if (this.timer !== undefined) {
            clearTimeout(this.timer);
        }
        this.listener.dispose();
        this.item.dispose();
    }
}

// -------------------------------------------------------------------------------------------------
// Commands
// -------------------------------------------------------------------------------------------------

/** The workspace folder to work on: the only one, the active .kra file's, or one the user picks. */
async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
        void vscode.window.showErrorMessage('KRA Lang: open the folder of a KRA Lang workspace first.');
        return undefined;
    }
    if (folders.length === 1) {
        return folders[0];
    }
    const active = vscode.window.activeTextEditor?.document;
    const activeFolder = active?.languageId === 'kra' ? vscode.workspace.getWorkspaceFolder(active.uri) : undefined;
    return activeFolder ?? vscode.window.showWorkspaceFolderPick({ placeHolder: 'The KRA Lang workspace folder' });
}

/** The CLI reads files from disk: offers to save unsaved .kra files first. */
async function saveKraFiles(folder: vscode.WorkspaceFolder): Promise<boolean> {
    const dirty = vscode.workspace.textDocuments.filter(document => document.isDirty && document.languageId === 'kra'
        && vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() === folder.uri.toString());
    if (dirty.length === 0) {
        return true;
    }
    const save = 'Save and continue';
    const choice = await vscode.window.showWarningMessage(
        `KRA Lang: ${dirty.length} .kra file${dirty.length === 1 ? ' has' : 's have'} unsaved changes; the command reads the saved files.`,
        save, 'Continue without saving'
    );
    if (choice === save) {
        await Promise.all(dirty.map(document => document.save()));
        return true;
    }
    return choice !== undefined;
}

async function runWithOutput(cliPath: string, args: string[], folder: vscode.WorkspaceFolder, output: vscode.OutputChannel, title: string, echoStdout: boolean): Promise<CliResult> {
    output.appendLine(`[${new Date().toLocaleTimeString()}] ${folder.uri.fsPath}`);
    output.appendLine(`$ ${['kra', ...args].join(' ')}`);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => runCli(cliPath, args, {
        cwd: folder.uri.fsPath,
        onStdout: echoStdout ? text => output.append(text) : undefined,
        onStderr: text => output.append(text)
    }));
    output.appendLine(`(exit code ${result.code ?? 'none: the process was stopped'})`);
    output.appendLine('');
    return result;
}

async function buildWorkspace(cliPath: string, output: vscode.OutputChannel): Promise<void> {
    const folder = await pickFolder();
    if (!folder || !await saveKraFiles(folder)) {
        return;
    }
    const outSetting = vscode.workspace.getConfiguration('kra', folder).get<string>('build.outDir') || 'out/kra';
    const outDir = path.resolve(folder.uri.fsPath, outSetting);
    const result = await runWithOutput(cliPath, ['build', folder.uri.fsPath, '--out', outDir], folder, output, 'KRA: building the workspace', true);
    if (result.code === 0) {
        const model = path.join(outDir, 'kra-model.json');
        const choice = await vscode.window.showInformationMessage(`KRA Lang: ${result.stdout.trim() || `wrote ${model}`}`, 'Open model', 'Show output');
        if (choice === 'Open model' && existsSync(model)) {
            await vscode.window.showTextDocument(vscode.Uri.file(model));
        } else if (choice === 'Show output') {
            output.show(true);
        }
    } else {
        output.show(true);
        const why = result.code === 1 ? 'the workspace has errors; nothing was written' : 'kra build failed';
        const choice = await vscode.window.showErrorMessage(`KRA Lang: ${why}. See the output for details.`, 'Show problems');
        if (choice) {
            await vscode.commands.executeCommand('workbench.actions.view.problems');
        }
    }
}

async function showScorecard(cliPath: string, output: vscode.OutputChannel, scorecards: ScorecardDocuments): Promise<void> {
    const folder = await pickFolder();
    if (!folder) {
        return;
    }
    const data = resolveSettingPath(vscode.workspace.getConfiguration('kra', folder).get<string>('data.path'), folder.uri.fsPath);
    if (!data) {
        const choice = await vscode.window.showWarningMessage('KRA Lang: set `kra.data.path` to a data file or folder (.csv or .json) to show the scorecard.', 'Open settings');
        if (choice) {
            await vscode.commands.executeCommand('workbench.action.openSettings', 'kra.data.path');
        }
        return;
    }
    if (!await saveKraFiles(folder)) {
        return;
    }
    const result = await runWithOutput(cliPath, ['eval', folder.uri.fsPath, '--data', data, '--format', 'markdown'], folder, output, 'KRA: evaluating the scorecard', false);
    if (result.code !== 0) {
        output.show(true);
        const why = result.code === 1 ? 'the workspace has errors; nothing was evaluated' : 'kra eval failed';
        void vscode.window.showErrorMessage(`KRA Lang: ${why}. See the output for details.`);
        return;
    }
    const uri = vscode.Uri.from({ scheme: SCORECARD_SCHEME, path: `/${folder.name}/scorecard.md` });
    scorecards.set(uri, result.stdout);
    try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
        // The built-in Markdown extension is disabled: show the Markdown text instead.
        const document = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'markdown'), { preview: true });
    }
}

/** Read-only documents holding the latest scorecard of each folder (no save prompts). */
class ScorecardDocuments implements vscode.TextDocumentContentProvider {
    private readonly contents = new Map<string, string>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;

    set(uri: vscode.Uri, content: string): void {
        this.contents.set(uri.toString(), content);
        this.changed.fire(uri);
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.contents.get(uri.toString()) ?? '# Scorecard\n\nRun **KRA: Show scorecard** again.\n';
    }
}
