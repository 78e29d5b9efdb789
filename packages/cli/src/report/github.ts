import type { Finding } from './findings.js';

/** GitHub shows at most this many annotations of each type per step. */
export const GITHUB_ANNOTATION_LIMIT = 10;

const COMMANDS = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Escaping of workflow command data, as GitHub's toolkit does it. */
function escapeData(text: string): string {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of workflow command properties: data escaping plus `:` and `,`. */
function escapeProperty(text: string): string {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * The `github` format: workflow commands that GitHub Actions turns into annotations on the pull
 * request, `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. Only the first
 * ten of each type are annotated (GitHub drops the rest); a summary line counts them all.
 */
export function formatGithub(findings: readonly Finding[]): string {
    const lines: string[] = [];
    const shown = { error: 0, warning: 0, info: 0 };
    for (const finding of findings) {
        if (shown[finding.severity] >= GITHUB_ANNOTATION_LIMIT) {
            continue;
        }
        shown[finding.severity]++;
        const properties = [
            `file=${escapeProperty(finding.file)}`,
            `line=${finding.line}`,
            `col=${finding.column}`,
            `endLine=${finding.endLine}`,
            `endColumn=${finding.endColumn}`,
            `title=${escapeProperty(finding.rule)}`
        ].join(',');
        lines.push(`::${COMMANDS[finding.severity]} ${properties}::${escapeData(`${finding.message} (${finding.rule})`)}`);
    }
    const count = (severity: Finding['severity']) => findings.filter(finding => finding.severity === severity).length;
    const total = findings.length;
    const annotated = shown.error + shown.warning + shown.info;
    const summary = `kra: ${total} problem${total === 1 ? '' : 's'} (${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos)`;
    lines.push(annotated < total
        ? `${summary}; the first ${annotated} are annotated. Run 'kra check --format stylish' for all of them.`
        : `${summary}.`);
    return `${lines.join('\n')}\n`;
}
