import type { LangiumDocument } from 'langium';
import type { Range } from 'vscode-languageserver-types';
import { hiddenLeaves } from '../parser/comments.js';
import { parsedText } from '../workspace/syntax-trees.js';

export interface SuppressedRule {
    readonly id: string;
    readonly range: Range;
}

/** One `// kra-disable-next-line` or `// kra-disable-file` comment. */
export interface Suppression {
    readonly kind: 'next-line' | 'file';
    readonly rules: readonly SuppressedRule[];
    readonly reason: string | undefined;
    /** The whole comment. */
    readonly range: Range;
    /** For `next-line`: the 0-based line whose problems it suppresses. */
    readonly targetLine: number;
}

const DIRECTIVE = /^\/\/\s*kra-disable-(next-line|file)\b(.*)$/;

/**
 * Finds the suppression comments of a document:
 * `// kra-disable-next-line <rule-id>[, <rule-id>…] -- <reason>` and the same with
 * `kra-disable-file`, which covers the whole file.
 */
export function findSuppressions(document: LangiumDocument): Suppression[] {
    // Each comment is a slice of the text: without the directive in the text, no need to look for
    // comments (nor to restore a released syntax tree, workspace/syntax-trees.ts).
    const root = parsedText(document.parseResult.value)?.includes('kra-disable-') ? document.parseResult.value.$cstNode : undefined;
    if (!root) {
        return [];
    }
    const suppressions: Suppression[] = [];
    for (const leaf of hiddenLeaves(root)) {
        if (!leaf.text.startsWith('//')) {
            continue;
        }
        const match = DIRECTIVE.exec(leaf.text);
        if (!match) {
            continue;
        }
        const [, kind, rest] = match;
        const separator = rest.indexOf('--');
        const list = separator >= 0 ? rest.substring(0, separator) : rest;
        const reason = separator >= 0 ? rest.substring(separator + 2).trim() : undefined;
        const listOffset = leaf.text.length - rest.length;
        const rules: SuppressedRule[] = [];
        const idPattern = /[^\s,]+/g;
        for (let found = idPattern.exec(list); found; found = idPattern.exec(list)) {
            const start = leaf.range.start.character + listOffset + found.index;
            rules.push({
                id: found[0],
                range: {
                    start: { line: leaf.range.start.line, character: start },
                    end: { line: leaf.range.start.line, character: start + found[0].length }
                }
            });
        }
        suppressions.push({
            kind: kind as Suppression['kind'],
            rules,
            reason: reason || undefined,
            range: leaf.range,
            targetLine: nextCodeLine(document, leaf.range.end.line)
        });
    }
    return suppressions;
}

/** The first line after `line` that is neither blank nor only a comment. */
function nextCodeLine(document: LangiumDocument, line: number): number {
    const lines = document.textDocument.lineCount;
    for (let candidate = line + 1; candidate < lines; candidate++) {
        const text = document.textDocument.getText({ start: { line: candidate, character: 0 }, end: { line: candidate + 1, character: 0 } }).trim();
        if (text !== '' && !text.startsWith('//')) {
            return candidate;
        }
    }
    return line + 1;
}
