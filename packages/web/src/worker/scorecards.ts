import { DocumentState, type LangiumDocument, type URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Connection } from 'vscode-languageserver/browser';
import { isBuiltinUri } from '@kra-lang/language';
import { compileWorkspace } from '@kra-lang/compiler';
import { evaluateModel, parseInput, prepareInputs, type EvaluationResult } from '@kra-lang/compiler/evaluate';
import { NO_STATUS, RAG, renderScorecard, SCORECARD_CSS, statusChanges, ScorecardData, type StatusChange } from '@kra-lang/scorecard';
import { ScorecardUpdated, type DataChangedParams, type ScorecardMessage, type StatusChangeView } from '../protocol.js';

/**
 * How long the worker waits after a build before it evaluates. An evaluation of the
 * contact-centre example takes seconds of CPU and cannot be interrupted, and the worker is also
 * the language server: while someone types, evaluating after every keystroke would hold up the
 * diagnostics of the next one (docs/performance.md).
 */
const EVALUATION_DELAY_MS = 300;

/**
 * Evaluates the workspace on the loaded data after every build, as `kra eval` does: only a
 * workspace without errors, and only data without errors, is evaluated. Builds that follow
 * each other quickly (one per keystroke) are evaluated once, after the last.
 */
export class Scorecards {

    private data: DataChangedParams['files'] = [];
    private pending: ReturnType<typeof setTimeout> | undefined;
    /** The last evaluation, to tell what the next one changed. */
    private last: EvaluationResult | undefined;

    constructor(
        private readonly connection: Connection,
        private readonly shared: LangiumSharedServices,
        private readonly root: URI
    ) { }

    setData(files: DataChangedParams['files']): void {
        this.data = files;
        this.schedule();
    }

    schedule(): void {
        if (this.pending !== undefined) {
            clearTimeout(this.pending);
        }
        this.pending = setTimeout(() => {
            this.pending = undefined;
            void this.evaluateWhenBuilt();
        }, EVALUATION_DELAY_MS);
    }

    /**
     * Evaluates once every document is validated, under the workspace's read lock so that no
     * build changes the documents meanwhile. A build that starts before then ends with a
     * validation of its own, which schedules the evaluation again.
     */
    private async evaluateWhenBuilt(): Promise<void> {
        await this.shared.workspace.WorkspaceManager.ready;
        await this.shared.workspace.WorkspaceLock.read(async () => {
            const documents = this.shared.workspace.LangiumDocuments.all.toArray();
            // The built-in library is linked but never validated.
            if (documents.every(document => document.state >= DocumentState.Validated || isBuiltinUri(document.uri.toString()))) {
                void this.connection.sendNotification(ScorecardUpdated, this.evaluate(documents));
            }
        });
    }

    private evaluate(documents: LangiumDocument[]): ScorecardMessage {
        const started = performance.now();
        const errors = documents
            .filter(document => !isBuiltinUri(document.uri.toString()))
            .reduce((count, document) => count + (document.diagnostics ?? []).filter(diagnostic => diagnostic.severity === 1).length, 0);
        if (errors > 0) {
            return { state: 'invalid', errors };
        }
        if (this.data.length === 0) {
            return { state: 'no-data' };
        }
        try {
            const model = compileWorkspace({ documents, root: this.root });
            // Metric data and an assignments export (per-person scores), as kra eval reads them.
            const { data, assignments, problems } = prepareInputs(this.data.map(file => parseInput(file.name, file.text, model)));
            if (problems.some(problem => problem.severity === 'error')) {
                return { state: 'data-problems', problems };
            }
            const result = evaluateModel(model, data, { assignments });
            const period = new ScorecardData(model, result).period;
            const changes = this.last ? statusChanges(model, this.last, result, period).map(withWords) : null;
            this.last = result;
            // A declaration's place becomes a link the page opens in the editor.
            const html = renderScorecard(model, result, { sourceLink: source => `#source=${encodeURIComponent(source.file)}:${source.line}` });
            return {
                state: 'evaluated', html, css: SCORECARD_CSS, period, changes, problems,
                milliseconds: Math.round(performance.now() - started)
            };
        } catch (error) {
            return { state: 'failed', message: error instanceof Error ? error.message : String(error) };
        }
    }
}

function withWords(change: StatusChange): StatusChangeView {
    const words = (status: StatusChange['before']) => (status === null ? `${NO_STATUS.icon} ${NO_STATUS.label}` : `${RAG[status].icon} ${RAG[status].label}`);
    return { ...change, beforeText: words(change.before), afterText: words(change.after) };
}
