import { codeFrameColumns } from '@babel/code-frame';
import { colours as pc } from './colours.js';
import type { Finding } from './findings.js';

const SEVERITY_COLOURS = { error: pc.red, warning: pc.yellow, info: pc.blue } as const;

function codeFrame(finding: Finding): string {
    const endColumn = finding.endLine === finding.line && finding.endColumn <= finding.column ? finding.column + 1 : finding.endColumn;
    return codeFrameColumns(finding.source, {
        start: { line: finding.line, column: finding.column - 1 },
        end: { line: finding.endLine, column: endColumn - 1 }
    }, { highlightCode: false, linesAbove: 1, linesBelow: 1 });
}

/**
 * The human format: `file:line:col  severity  message  rule`, a code frame under each,
 * and a summary. Colour only where picocolors finds a terminal (NO_COLOR and FORCE_COLOR apply).
 */
export function formatStylish(findings: readonly Finding[], fileCount: number): string {
    const lines: string[] = [];
    for (const finding of findings) {
        const severity = SEVERITY_COLOURS[finding.severity](finding.severity);
        lines.push(`${pc.underline(`${finding.file}:${finding.line}:${finding.column}`)}  ${severity}  ${finding.message}  ${pc.dim(finding.rule)}`);
        lines.push(codeFrame(finding).split('\n').map(line => `  ${line}`).join('\n'));
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
