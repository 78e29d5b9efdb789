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
    return findings.map(finding => {
        const lineText = finding.source.split(/\r?\n/)[finding.line - 1]?.trim() ?? '';
        const key = `${finding.rule}\u0000${finding.file}\u0000${lineText}`;
        const occurrence = (seen.get(key) ?? 0) + 1;
        seen.set(key, occurrence);
        return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
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
