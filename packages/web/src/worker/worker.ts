/**
 * KRA Studio's Web Worker: the language core's services (the same as `kra check` and the VS Code
 * extension use) behind the Language Server Protocol, plus the evaluator for the live scorecard.
 * Nothing here reads a disk or the network: the page sends every file's text (`didOpen` for
 * .kra files, the `kra/*` notifications of protocol.ts for the config and the data).
 */
import { DocumentState, EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { startLanguageServer } from 'langium/lsp';
import { BrowserMessageReader, BrowserMessageWriter, createConnection, DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/browser';
import { createKraServices, isBuiltinUri, parseConfig, type ConfigProblem } from '@kra-lang/language';
import { Scorecards } from './scorecards.js';
import { ConfigChanged, DataChanged, WORKSPACE_ROOT, type ConfigChangedParams } from '../protocol.js';

declare const self: DedicatedWorkerGlobalScope;

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
const { shared, Kra } = createKraServices({ connection, ...EmptyFileSystem });
const root = URI.parse(WORKSPACE_ROOT);
const scorecards = new Scorecards(connection, shared, root);

/**
 * The rule settings follow kra.config.yaml as the page sends it; a broken file is reported on
 * the file itself and the defaults apply meanwhile, as in the language server.
 */
/** The config text the rule settings come from; undefined before the page sends any. */
let configText: string | null | undefined;

connection.onNotification(ConfigChanged, async ({ uri, text }: ConfigChangedParams) => {
    const first = configText === undefined;
    if (text === configText) {
        return;
    }
    configText = text;
    const settings = Kra.validation.RuleSettings;
    let diagnostics: Diagnostic[] = [];
    if (text === null) {
        settings.setConfig(root, undefined);
    } else {
        const parsed = parseConfig(text);
        if (parsed.ok) {
            settings.setConfig(root, parsed.config);
        } else {
            settings.setConfig(root, undefined);
            diagnostics = parsed.problems.map(configDiagnostic);
        }
    }
    void connection.sendDiagnostics({ uri, diagnostics });
    if (first && text === null) {
        return; // the defaults, which the first build uses anyway
    }
    // Every document again, through the builder's update (not a build of the documents known now,
    // which would drop a document whose opening is still being processed).
    await shared.workspace.WorkspaceManager.ready;
    const uris = new Map<string, URI>();
    shared.workspace.LangiumDocuments.all.forEach(document => { uris.set(document.uri.toString(), document.uri); });
    shared.workspace.TextDocuments.all().forEach(document => { uris.set(document.uri, URI.parse(document.uri)); });
    await shared.workspace.WorkspaceLock.write(token => shared.workspace.DocumentBuilder.update([...uris.values()].filter(uri => !isBuiltinUri(uri.toString())), [], token));
});

connection.onNotification(DataChanged, ({ files }) => {
    scorecards.setData(files);
});

// Every build that ends with the workspace validated is an edit to show in the scorecard.
shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, (documents: LangiumDocument[]) => {
    if (documents.length > 0) {
        scorecards.schedule();
    }
});

startLanguageServer(shared);

function configDiagnostic(problem: ConfigProblem): Diagnostic {
    return {
        range: {
            start: { line: problem.line - 1, character: problem.column - 1 },
            end: { line: problem.endLine - 1, character: problem.endColumn - 1 }
        },
        severity: DiagnosticSeverity.Error,
        source: 'kra',
        message: `${problem.message} The default settings apply until this is fixed.`
    };
}
