/**
 * The server's diagnostics, for the problems list and for the editor: each marker says its rule
 * id with a link to the rule's page, and offers the server's quick fixes.
 */
import { setDiagnostics, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import { LSPPlugin, type LSPClient, type LSPClientExtension } from '@codemirror/lsp-client';
import type * as lsp from 'vscode-languageserver-protocol';
import type { StudioLspWorkspace } from './lsp-workspace.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export function severityOf(diagnostic: lsp.Diagnostic): Severity {
    const severity = diagnostic.severity ?? 1;
    return severity === 1 ? 'error' : severity === 2 ? 'warning' : severity === 3 ? 'info' : 'hint';
}

/** The rule id of a diagnostic (`kpi/missing-target`), if it has one. */
export function ruleOf(diagnostic: lsp.Diagnostic): string | undefined {
    return typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
}

export function messageOf(diagnostic: lsp.Diagnostic): string {
    const message = diagnostic.message as string | lsp.MarkupContent;
    return typeof message === 'string' ? message : message.value;
}

export class Diagnostics {
    private readonly byUri = new Map<string, lsp.Diagnostic[]>();
    /** Called whenever any file's diagnostics change (the problems list redraws). */
    changed: () => void = () => undefined;
    private client: LSPClient | undefined;

    extension(): LSPClientExtension {
        return {
            clientCapabilities: {
                textDocument: {
                    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
                    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } }
                }
            },
            notificationHandlers: {
                'textDocument/publishDiagnostics': (client, params: lsp.PublishDiagnosticsParams) => {
                    this.client = client;
                    this.byUri.set(params.uri, params.diagnostics);
                    this.changed();
                    const file = (client.workspace as StudioLspWorkspace).getFile(params.uri);
                    const view = file?.getView();
                    if (view && (params.version === undefined || params.version === null || params.version === file!.version)) {
                        void this.show(view, params.uri);
                    }
                    return true;
                }
            }
        };
    }

    /** Every file's diagnostics, by URI. */
    all(): ReadonlyMap<string, readonly lsp.Diagnostic[]> {
        return this.byUri;
    }

    /** Forgets a file's diagnostics (the file left the workspace). */
    clear(uri: string): void {
        if (this.byUri.delete(uri)) {
            this.changed();
        }
    }

    /** Puts a file's diagnostics, with their quick fixes, into the view that shows it. */
    async show(view: EditorView, uri: string): Promise<void> {
        const diagnostics = this.byUri.get(uri) ?? [];
        const plugin = LSPPlugin.get(view);
        const titles = plugin && diagnostics.length > 0 ? await this.quickFixTitles(plugin, diagnostics) : [];
        if (plugin && LSPPlugin.get(view) !== plugin) {
            // The view shows another file now; it gets its own diagnostics when shown again.
            return;
        }
        const toOffset = (position: lsp.Position) => {
            if (plugin) {
                return plugin.unsyncedChanges.mapPos(plugin.fromPosition(position, plugin.syncedDoc));
            }
            const line = view.state.doc.line(Math.min(position.line + 1, view.state.doc.lines));
            return Math.min(line.from + position.character, line.to);
        };
        const lint: LintDiagnostic[] = diagnostics.map((diagnostic, index) => ({
            from: toOffset(diagnostic.range.start),
            to: toOffset(diagnostic.range.end),
            severity: severityOf(diagnostic),
            message: messageOf(diagnostic),
            renderMessage: () => renderMessage(diagnostic),
            actions: (titles[index] ?? []).map(title => ({
                name: title,
                apply: (target: EditorView) => { void this.applyQuickFix(target, uri, diagnostic, title); }
            }))
        }));
        view.dispatch(setDiagnostics(view.state, lint));
    }

    /** The titles of the quick fixes the server offers for each diagnostic. */
    private async quickFixTitles(plugin: LSPPlugin, diagnostics: readonly lsp.Diagnostic[]): Promise<string[][]> {
        try {
            const actions = await this.codeActions(plugin.client, plugin.uri, diagnostics);
            return diagnostics.map(diagnostic => actions
                .filter(action => action.diagnostics?.some(fixed => sameDiagnostic(fixed, diagnostic)))
                .map(action => action.title));
        } catch {
            return [];
        }
    }

    private async codeActions(client: LSPClient, uri: string, diagnostics: readonly lsp.Diagnostic[]): Promise<lsp.CodeAction[]> {
        const start = diagnostics.reduce((first, d) => (comparePositions(d.range.start, first) < 0 ? d.range.start : first), diagnostics[0].range.start);
        const end = diagnostics.reduce((last, d) => (comparePositions(d.range.end, last) > 0 ? d.range.end : last), diagnostics[0].range.end);
        const response = await client.request<lsp.CodeActionParams, Array<lsp.CodeAction | lsp.Command> | null>('textDocument/codeAction', {
            textDocument: { uri },
            range: { start, end },
            context: { diagnostics: [...diagnostics], only: ['quickfix'] }
        });
        return (response ?? []).filter((action): action is lsp.CodeAction => 'title' in action && typeof (action as lsp.CodeAction).edit === 'object');
    }

    /**
     * Applies a quick fix by asking the server again, for the text as it is now: the one it
     * offered may have been computed before the last keystrokes.
     */
    async applyQuickFix(view: EditorView, uri: string, diagnostic: lsp.Diagnostic, title: string): Promise<void> {
        const plugin = LSPPlugin.get(view);
        const client = plugin?.client ?? this.client;
        if (!client) {
            return;
        }
        client.sync();
        await client.withMapping(async mapping => {
            const current = (this.byUri.get(uri) ?? []).find(candidate => sameDiagnostic(candidate, diagnostic)) ?? diagnostic;
            const action = (await this.codeActions(client, uri, [current])).find(candidate => candidate.title === title);
            const changes = action?.edit?.changes ?? {};
            for (const [target, edits] of Object.entries(changes)) {
                client.workspace.updateFile(target, {
                    changes: edits.map(edit => ({
                        from: mapping.mapPosition(target, edit.range.start),
                        to: mapping.mapPosition(target, edit.range.end),
                        insert: edit.newText
                    })),
                    userEvent: 'input.quickfix'
                });
            }
        });
    }
}

function comparePositions(a: lsp.Position, b: lsp.Position): number {
    return a.line - b.line || a.character - b.character;
}

function sameDiagnostic(a: lsp.Diagnostic, b: lsp.Diagnostic): boolean {
    return a.code === b.code && messageOf(a) === messageOf(b)
        && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0;
}

/** The message, then the rule id as a link to its page (opened without the page's address). */
export function renderMessage(diagnostic: lsp.Diagnostic): Node {
    const fragment = document.createDocumentFragment();
    fragment.append(messageOf(diagnostic));
    const rule = ruleOf(diagnostic);
    if (rule) {
        fragment.append(' ');
        fragment.append(ruleLink(rule, diagnostic.codeDescription?.href));
    }
    return fragment;
}

export function ruleLink(rule: string, href: string | undefined): HTMLElement {
    if (!href) {
        const code = document.createElement('code');
        code.className = 'rule-id';
        code.textContent = rule;
        return code;
    }
    const link = document.createElement('a');
    link.className = 'rule-id';
    link.href = href;
    link.target = '_blank';
    link.rel = 'noreferrer noopener';
    link.textContent = rule;
    link.title = `What ${rule} checks, with examples (opens in a new tab)`;
    return link;
}
