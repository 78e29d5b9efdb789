import { createHash } from 'node:crypto';
import { allRules, ruleDocsUrl } from '@kra-lang/language';
import type { Finding } from './findings.js';

const LEVELS = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * A fingerprint that survives edits elsewhere in the file: the rule, the file, the text of the
 * flagged line (trimmed) and which occurrence of that triple it is. Code scanning uses it to
 * recognise an alert across commits instead of opening a duplicate.
 */
export function fingerprints(findings: readonly Finding[]): string[] {
    const seen = new Map<string, number>();
    // Each file split once and each flagged line hashed once: a file can have thousands of
    // findings, and a line can be a million characters long.
    const lines = new Map<string, string[]>();
    const digests = new Map<string, string>();
    return findings.map(finding => {
        const where = `${finding.rule}\u0000${finding.file}\u0000${finding.line}`;
        let digest = digests.get(where);
        if (digest === undefined) {
            let fileLines = lines.get(finding.file);
            if (!fileLines) {
                fileLines = finding.source.split(/\r?\n/);
                lines.set(finding.file, fileLines);
            }
            const lineText = fileLines[finding.line - 1]?.trim() ?? '';
            digest = createHash('sha256').update(`${finding.rule}\u0000${finding.file}\u0000${lineText}`).digest('hex').slice(0, 32);
            digests.set(where, digest);
        }
        // Equal digests are equal (rule, file, line text) triples.
        const occurrence = (seen.get(digest) ?? 0) + 1;
        seen.set(digest, occurrence);
        return `${digest}:${occurrence}`;
    });
}

/** The `sarif` format: SARIF 2.1.0, for GitHub code scanning and other review tools. */
export function formatSarif(findings: readonly Finding[], version: string): string {
    const rules = allRules();
    const index = new Map(rules.map((rule, position) => [rule.id, position]));
    const prints = fingerprints(findings);
    const log = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [{
            tool: {
                driver: {
                    name: 'kra',
                    semanticVersion: version,
                    informationUri: 'https://github.com/kra-lang/kra-lang',
                    rules: rules.map(rule => ({
                        id: rule.id,
                        shortDescription: { text: rule.summary },
                        helpUri: ruleDocsUrl(rule.id),
                        defaultConfiguration: { level: rule.severity === 'info' ? 'note' : rule.severity }
                    }))
                }
            },
            originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory kra check ran in.' } } },
            results: findings.map((finding, position) => ({
                ruleId: finding.rule,
                ...(index.has(finding.rule) ? { ruleIndex: index.get(finding.rule) } : {}),
                level: LEVELS[finding.severity],
                message: { text: finding.message },
                locations: [{
                    physicalLocation: {
                        artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                        region: {
                            startLine: finding.line,
                            startColumn: finding.column,
                            endLine: finding.endLine,
                            endColumn: Math.max(finding.endColumn, finding.endLine === finding.line ? finding.column + 1 : 1)
                        }
                    }
                }],
                partialFingerprints: { 'kraFindingHash/v1': prints[position] }
            }))
        }]
    };
    return `${JSON.stringify(log, null, 2)}\n`;
}
