/**
 * What the status bar item says. Kept free of the `vscode` module so that it can be tested
 * without VS Code.
 */

export type ServerState = 'starting' | 'ready' | 'stopped';

export interface DiagnosticCounts {
    readonly errors: number;
    readonly warnings: number;
}

/** VS Code's DiagnosticSeverity values (Error = 0, Warning = 1). */
const ERROR = 0;
const WARNING = 1;

/** Counts errors and warnings in .kra files, from `vscode.languages.getDiagnostics()`. */
export function countDiagnostics(entries: ReadonlyArray<readonly [{ readonly path: string }, ReadonlyArray<{ readonly severity: number }>]>): DiagnosticCounts {
    let errors = 0;
    let warnings = 0;
    for (const [uri, diagnostics] of entries) {
        if (!uri.path.endsWith('.kra')) {
            continue;
        }
        for (const diagnostic of diagnostics) {
            if (diagnostic.severity === ERROR) {
                errors++;
            } else if (diagnostic.severity === WARNING) {
                warnings++;
            }
        }
    }
    return { errors, warnings };
}

export interface StatusText {
    /** The item's text, with codicons. */
    readonly text: string;
    readonly tooltip: string;
    /** Whether the item should use the error background (server stopped). */
    readonly alert: boolean;
}

export function statusText(state: ServerState, counts: DiagnosticCounts): StatusText {
    const problems = `$(error) ${counts.errors} $(warning) ${counts.warnings}`;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const summary = `${plural(counts.errors, 'error')} and ${plural(counts.warnings, 'warning')} in .kra files`;
    switch (state) {
        case 'starting':
            return { text: `$(loading~spin) KRA ${problems}`, tooltip: `KRA Lang: the language server is starting. ${summary}.`, alert: false };
        case 'ready':
            return { text: `$(check) KRA ${problems}`, tooltip: `KRA Lang: the language server is ready. ${summary}. Click to show the problems.`, alert: false };
        case 'stopped':
            return { text: `$(circle-slash) KRA ${problems}`, tooltip: `KRA Lang: the language server has stopped. ${summary}. Click to show its output; run "KRA: Restart language server" to start it again.`, alert: true };
    }
}
