/**
 * docs/language.md against the grammar and the kernel: the reserved-word list (§28) is exactly
 * the grammar's keywords, every keyword the grammar summary (§29) quotes is one of them, and the
 * function table (§22) is the kernel's formula-function table.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstUtils, GrammarAST } from 'langium';
import { describe, expect, it } from 'vitest';
import { FORMULA_FUNCTIONS } from '@kra-lang/semantics';
import { KraLangGrammar } from '../src/generated/grammar.js';

const LANGUAGE_MD = readFileSync(path.join(fileURLToPath(new URL('../../..', import.meta.url)), 'docs/language.md'), 'utf8');

/** The grammar's word keywords (not its symbols). */
const KEYWORDS = new Set(AstUtils.streamAllContents(KraLangGrammar()).filter(GrammarAST.isKeyword).map(keyword => keyword.value).filter(value => /^[a-z]/.test(value)));

/** The first fenced block after a heading of docs/language.md. */
function blockAfter(heading: string): string {
    const start = LANGUAGE_MD.indexOf(`\n${heading}\n`);
    expect(start, heading).toBeGreaterThan(0);
    const match = /```text\n([\s\S]*?)```/.exec(LANGUAGE_MD.slice(start));
    return match![1];
}

/** The reserved-word table as docs/language.md §28 lays it out: seven columns, sorted. */
function table(words: ReadonlySet<string>): string {
    const sorted = [...words].sort();
    const rows: string[] = [];
    for (let index = 0; index < sorted.length; index += 7) {
        rows.push(sorted.slice(index, index + 7).map((word, column, row) => (column === row.length - 1 ? word : word.padEnd(12))).join(' '));
    }
    return `${rows.join('\n')}\n`;
}

describe('docs/language.md against the grammar', () => {
    it('§28 lists exactly the grammar\'s keywords as reserved words', () => {
        // On failure, the expected block is the table to paste into §28.
        expect(blockAfter('## 28. Reserved words')).toBe(table(KEYWORDS));
    });

    it('§29 quotes no keyword the grammar does not have', () => {
        const quoted = [...blockAfter('## 29. Grammar summary').matchAll(/"([a-z][a-z-]*)"/g)].map(match => match[1]);
        expect(quoted.length).toBeGreaterThan(50);
        expect(quoted.filter(word => !KEYWORDS.has(word))).toEqual([]);
    });

    it('§22 lists exactly the kernel\'s functions, with their signatures and descriptions', () => {
        const section = LANGUAGE_MD.slice(LANGUAGE_MD.indexOf('\n### Functions\n'));
        const table = section.slice(section.indexOf('|---|'));
        const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(1);
        // On failure, the expected rows are the table to paste into §22.
        expect(rows).toEqual([...FORMULA_FUNCTIONS.values()].map(fn => `| \`${fn.name}\` | \`${fn.signature}\` | ${fn.description} |`));
    });
});
