import type { Finding } from './findings.js';

/**
 * The `json` format: stable and documented in docs/cli.md. Bump `version` on any change that
 * is not an addition.
 */
export function formatJson(findings: readonly Finding[], files: readonly string[]): string {
    const byFile = new Map<string, Finding[]>(files.map(file => [file, []]));
    for (const finding of findings) {
        byFile.get(finding.file)?.push(finding) ?? byFile.set(finding.file, [finding]);
    }
    const count = (severity: Finding['severity']) => findings.filter(finding => finding.severity === severity).length;
    const report = {
        version: 1,
        summary: { files: byFile.size, errors: count('error'), warnings: count('warning'), infos: count('info') },
        files: [...byFile.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, list]) => ({
            path: file,
            findings: list.map(finding => ({
                rule: finding.rule,
                severity: finding.severity,
                message: finding.message,
                line: finding.line,
                column: finding.column,
                endLine: finding.endLine,
                endColumn: finding.endColumn,
                docs: finding.docs
            }))
        }))
    };
    return `${JSON.stringify(report, null, 2)}\n`;
}
