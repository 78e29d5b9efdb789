import type { Finding } from './findings.js';
import { fingerprints } from './sarif.js';

const SEVERITIES = { error: 'major', warning: 'minor', info: 'info' } as const;

/**
 * The `gitlab` format: a GitLab Code Quality report (a JSON array of issues), which merge
 * requests show in their Code Quality widget. Fingerprints are the SARIF ones.
 */
export function formatGitlab(findings: readonly Finding[]): string {
    const prints = fingerprints(findings);
    const issues = findings.map((finding, index) => ({
        description: finding.message,
        check_name: finding.rule,
        fingerprint: prints[index],
        severity: SEVERITIES[finding.severity],
        location: { path: finding.file, lines: { begin: finding.line, end: finding.endLine } }
    }));
    return `${JSON.stringify(issues, null, 2)}\n`;
}
