import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import type { CheckedFile } from '@kra-lang/language/node';
import type { Diagnostic } from 'vscode-languageserver-types';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One diagnostic, placed in a file, as every output format needs it. */
export interface Finding {
    /** Path relative to the working directory, with forward slashes. */
    readonly file: string;
    /** 1-based. */
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    readonly endColumn: number;
    readonly severity: FindingSeverity;
    readonly message: string;
    readonly rule: string;
    /** The rule's doc page. */
    readonly docs: string | undefined;
    /** The whole text of the file, for code frames and fingerprints. */
    readonly source: string;
}

function severityOf(diagnostic: Diagnostic): FindingSeverity {
    switch (diagnostic.severity) {
        case 1: return 'error';
        case 2: return 'warning';
        default: return 'info';
    }
}

/** The findings of the given documents (built now, or from `kra check --cache`), sorted by file, position and rule. */
export function collectFindings(documents: ReadonlyArray<LangiumDocument | CheckedFile>, cwd: string): Finding[] {
    const findings: Finding[] = [];
    for (const document of documents) {
        const file = path.relative(cwd, document.uri.fsPath).split(path.sep).join('/');
        const source = 'textDocument' in document ? document.textDocument.getText() : document.text;
        for (const diagnostic of document.diagnostics ?? []) {
            findings.push({
                file,
                line: diagnostic.range.start.line + 1,
                column: diagnostic.range.start.character + 1,
                endLine: diagnostic.range.end.line + 1,
                endColumn: diagnostic.range.end.character + 1,
                severity: severityOf(diagnostic),
                message: typeof diagnostic.message === 'string' ? diagnostic.message : String(diagnostic.message),
                rule: String(diagnostic.code ?? 'unknown'),
                docs: diagnostic.codeDescription?.href,
                source
            });
        }
    }
    return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}
