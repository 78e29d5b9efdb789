import { codeFrameColumns } from '@babel/code-frame';
import { colours as pc } from './colours.js';
import type { Finding } from './findings.js';
import { printable, printableColumns } from './printable.js';

// Looked up when printing: the colour functions follow the run (report/colours.ts).
const SEVERITY_COLOURS = { error: (text: string) => pc.red(text), warning: (text: string) => pc.yellow(text), info: (text: string) => pc.blue(text) } as const;

/** Characters of a line shown in a code frame; a longer line is cut around the problem. */
const FRAME_WIDTH = 160;

/**
 * The lines around a finding with the problem marked. Only those lines are handed to the code
 * frame (not the whole file per finding), each cut to FRAME_WIDTH characters around the column.
 */
function codeFrame(finding: Finding, lines: readonly string[]): string {
    const endColumn = finding.endLine === finding.line && finding.endColumn <= finding.column ? finding.column + 1 : finding.endColumn;
    const first = Math.max(1, finding.line - 1);
    const last = Math.max(first, Math.min(lines.length, finding.endLine + 1));
    const shown = lines.slice(first - 1, last);
    const from = shown.some(line => line.length > FRAME_WIDTH) ? Math.max(0, finding.column - 1 - 40) : 0;
    const clip = (line: string) => printableColumns(line.length <= FRAME_WIDTH && from === 0 ? line
        : `${from > 0 && line.length > from ? '…' : ''}${line.slice(from, from + FRAME_WIDTH)}${line.length > from + FRAME_WIDTH ? '…' : ''}`);
    // Columns in the cut lines: the leading '…' takes the place of the characters before `from`.
    const column = (value: number) => Math.max(0, Math.min(value - 1 - (from > 0 ? from - 1 : 0), FRAME_WIDTH + 1));
    return codeFrameColumns(shown.map(clip).join('\n'), {
        start: { line: finding.line, column: column(finding.column) },
        end: { line: finding.endLine, column: column(endColumn) }
    }, { highlightCode: false, linesAbove: 1, linesBelow: 1, startLine: first });
}

/**
 * The human format: `file:line:col  severity  message  rule`, a code frame under each,
 * and a summary. Colour only where picocolors finds a terminal (NO_COLOR and FORCE_COLOR apply).
 */
export function formatStylish(findings: readonly Finding[], fileCount: number): string {
    const lines: string[] = [];
    // Each file's lines, split once: a file can have thousands of findings.
    const sourceLines = new Map<string, string[]>();
    for (const finding of findings) {
        let fileLines = sourceLines.get(finding.file);
        if (!fileLines) {
            fileLines = finding.source.split(/\r\n|\r|\n/);
            sourceLines.set(finding.file, fileLines);
        }
        const severity = SEVERITY_COLOURS[finding.severity](finding.severity);
        lines.push(`${pc.underline(`${printable(finding.file)}:${finding.line}:${finding.column}`)}  ${severity}  ${printable(finding.message)}  ${pc.dim(finding.rule)}`);
        lines.push(codeFrame(finding, fileLines).split('\n').map(line => `  ${line}`).join('\n'));
        lines.push('');
    }
    const errors = findings.filter(f => f.severity === 'error').length;
    const warnings = findings.filter(f => f.severity === 'warning').length;
    const infos = findings.length - errors - warnings;
    const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
    if (findings.length === 0) {
        lines.push(pc.green(`✔ No problems in ${files}.`));
    } else {
        const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
        if (infos > 0) {
            parts.push(`${infos} info`);
        }
        const summary = `✖ ${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files}.`;
        lines.push(errors > 0 ? pc.red(pc.bold(summary)) : pc.yellow(pc.bold(summary)));
    }
    return lines.join('\n') + '\n';
}
