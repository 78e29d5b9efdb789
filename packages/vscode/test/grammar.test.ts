/**
 * The hand-kept TextMate grammar (syntaxes/kra.tmLanguage.json) against the language: every
 * keyword of grammar/kra.langium and every formula function is highlighted, every regex
 * compiles with Oniguruma (VS Code's engine), and typical lines get the expected scopes.
 * Also checks the language configuration and that every snippet expands to valid KRA Lang.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmptyFileSystem, URI } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKraServices, FORMULA_FUNCTIONS } from '@kra-lang/language';
import {
    compileOniguruma, grammarRegexes, GRAMMAR_PATH, loadGrammar, loadOniguruma, PACKAGE_DIR,
    type Token, type Tokenizer
} from './textmate.js';

const LANGIUM_GRAMMAR = fileURLToPath(new URL('../../../grammar/kra.langium', import.meta.url));

/** The keywords of the Langium grammar: every quoted word ('kpi', 'half-yearly', ...). */
function langiumKeywords(): string[] {
    const text = readFileSync(LANGIUM_GRAMMAR, 'utf8').replace(/\/\/[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
    const words = new Set<string>();
    for (const match of text.matchAll(/'([^'\\]+)'/g)) {
        if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(match[1])) {
            words.add(match[1]);
        }
    }
    return [...words].sort();
}

function readJson(file: string): any {
    return JSON.parse(readFileSync(file, 'utf8'));
}

/** The token of `text` on a tokenized line (the first one whose text is exactly that). */
function tokenOf(line: Token[], text: string): Token {
    const token = line.find(candidate => candidate.text === text) ?? line.find(candidate => candidate.text.trim() === text);
    if (!token) {
        throw new Error(`no token '${text}' in ${JSON.stringify(line.map(t => t.text))}`);
    }
    return token;
}

function scopeOf(tokenizer: Tokenizer, line: string, text: string): string {
    const scopes = tokenOf(tokenizer.tokenize(line)[0], text).scopes;
    return scopes[scopes.length - 1];
}

let tokenizer: Tokenizer;
beforeAll(async () => {
    tokenizer = await loadGrammar();
});

describe('TextMate grammar', () => {
    const grammar = readJson(GRAMMAR_PATH);

    it('is the source.kra grammar for .kra files', () => {
        expect(grammar.scopeName).toBe('source.kra');
        expect(grammar.fileTypes).toEqual(['kra']);
    });

    it.each(['kra.tmLanguage.json', 'kra.markdown.tmLanguage.json'])('%s: every regex compiles with Oniguruma', async file => {
        await loadOniguruma();
        const regexes = grammarRegexes(readJson(path.join(PACKAGE_DIR, 'syntaxes', file)));
        expect(regexes.length).toBeGreaterThan(file === 'kra.tmLanguage.json' ? 30 : 3);
        const failures = regexes.flatMap(({ where, pattern }) => {
            try {
                compileOniguruma(pattern);
                return [];
            } catch (error) {
                return [`${where}: ${String(error)}`];
            }
        });
        expect(failures).toEqual([]);
    });

    it('every `include` points at a repository entry', () => {
        const includes = JSON.stringify(grammar).match(/"include":"#[^"]+"/g) ?? [];
        for (const include of includes) {
            expect(grammar.repository, include).toHaveProperty(include.slice('"include":"#'.length, -1));
        }
    });

    const keywords = langiumKeywords();

    it('the Langium grammar has the keywords the test expects', () => {
        expect(keywords.length).toBeGreaterThan(100);
        expect(keywords).toEqual(expect.arrayContaining(['kpi', 'kra', 'half-yearly', 'non-additive', 'thresholds', 'otherwise', 'rolling']));
    });

    it.each(langiumKeywords())('highlights the keyword `%s`', keyword => {
        // On its own, and inside a line, the keyword is one token with a keyword-like scope.
        for (const line of [keyword, `  ${keyword} `]) {
            const token = tokenOf(tokenizer.tokenize(line)[0], keyword);
            expect(token.scopes[token.scopes.length - 1], line).toMatch(/^(keyword|storage|constant\.language|support)\./);
        }
        // And the grammar says it in so many words (not through a catch-all pattern).
        expect(JSON.stringify(grammar)).toContain(keyword);
    });

    it.each([...FORMULA_FUNCTIONS.keys()])('highlights the formula function %s()', name => {
        expect(scopeOf(tokenizer, `formula ${name}(calls, 2)`, name)).toBe('support.function.builtin.kra');
    });

    it('highlights only the table\'s functions as built-in', () => {
        const pattern = grammar.repository.functions.patterns[0].match as string;
        const names = /\(((?:\w+\|)+\w+)\)/.exec(pattern)?.[1].split('|') ?? [];
        expect(names.sort()).toEqual([...FORMULA_FUNCTIONS.keys()].sort());
        expect(scopeOf(tokenizer, 'formula mystery(calls)', 'mystery')).toBe('entity.name.function.kra');
    });

    it('scopes comments: line, block, doc and suppression directives', () => {
        const [line] = tokenizer.tokenize('unit seconds // the unit');
        expect(tokenOf(line, ' the unit').scopes).toContain('comment.line.double-slash.kra');
        const doc = tokenizer.tokenize('/** Shown on hover.\n  @deprecated use x */\nkpi a {}');
        expect(tokenOf(doc[0], ' Shown on hover.').scopes).toContain('comment.block.documentation.kra');
        expect(tokenOf(doc[1], '@deprecated').scopes).toContain('storage.type.class.doc.kra');
        expect(tokenOf(doc[2], 'kpi').scopes).toContain('storage.type.declaration.kra');
        const block = tokenizer.tokenize('/* a\n kpi b */ kpi');
        expect(tokenOf(block[1], ' kpi b ').scopes).toContain('comment.block.kra');
        expect(tokenOf(block[1], 'kpi').scopes).toContain('storage.type.declaration.kra');
        expect(tokenizer.tokenize('/**/ kra')[0].find(t => t.text === 'kra')?.scopes).toContain('storage.type.declaration.kra');
        const [directive] = tokenizer.tokenize('// kra-disable-next-line weights/sum, smart/time-bound -- agreed with HR');
        expect(tokenOf(directive, 'kra-disable-next-line').scopes).toContain('keyword.other.directive.kra');
        expect(tokenOf(directive, 'weights/sum').scopes).toContain('entity.name.tag.rule.kra');
        expect(tokenOf(directive, 'smart/time-bound').scopes).toContain('entity.name.tag.rule.kra');
        expect(tokenOf(directive, ' agreed with HR').scopes).toContain('comment.line.reason.kra');
    });

    it('scopes strings with escapes, and ends an unterminated string at the line end', () => {
        const [line] = tokenizer.tokenize('description "Say \\"hi\\" kpi" owner');
        expect(tokenOf(line, '\\"').scopes).toContain('constant.character.escape.kra');
        expect(tokenOf(line, ' kpi').scopes).toContain('string.quoted.double.kra');
        expect(tokenOf(line, 'owner').scopes).toContain('keyword.other.field.kra');
        const open = tokenizer.tokenize('source "open\nkpi x {');
        expect(tokenOf(open[1], 'kpi').scopes).not.toContain('string.quoted.double.kra');
    });

    it('scopes dates, periods and numbers with units', () => {
        const [line] = tokenizer.tokenize('target at least 80% in 2026-Q1, 82 % in 2026-H2, 85% in FY2027, 90% in 2027-07 by 2027-12-31');
        expect(tokenOf(line, '2026-Q1').scopes).toContain('constant.numeric.period.kra');
        expect(tokenOf(line, '2026-H2').scopes).toContain('constant.numeric.period.kra');
        expect(tokenOf(line, 'FY2027').scopes).toContain('constant.numeric.period.kra');
        expect(tokenOf(line, '2027-07').scopes).toContain('constant.numeric.period.kra');
        expect(tokenOf(line, '2027-12-31').scopes).toContain('constant.numeric.date.kra');
        expect(tokenOf(line, '80').scopes).toContain('constant.numeric.kra');
        expect(tokenOf(line, '%').scopes).toContain('keyword.other.unit.kra');
        expect(tokenOf(line, 'in').scopes).toContain('keyword.other.target.kra');

        for (const [text, number, unit] of [['20 s', '20', 's'], ['20s', '20', 's'], ['1.5 h', '1.5', 'h'], ['330 USD', '330', 'USD'], ['30 days', '30', 'days']]) {
            const [tokens] = tokenizer.tokenize(`baseline ${text} in 2026`);
            expect(tokenOf(tokens, number).scopes, text).toContain('constant.numeric.kra');
            expect(tokenOf(tokens, unit).scopes, text).toContain('keyword.other.unit.kra');
        }
        // A keyword after a number is not a unit.
        const [condition] = tokenizer.tokenize('formula if calls > 0 then answered / calls else 0');
        expect(tokenOf(condition, 'then').scopes).toContain('keyword.control.formula.kra');
        expect(tokenOf(condition, '0').scopes).toContain('constant.numeric.kra');
        const [baseline] = tokenizer.tokenize('baseline 385 in 2026-Q2');
        expect(tokenOf(baseline, 'in').scopes).toContain('keyword.other.target.kra');
        // Ids with digits are not numbers.
        expect(tokenizer.tokenize('formula cebu2 + 2')[0].some(t => t.text === '2' && t.scopes.includes('constant.numeric.kra'))).toBe(true);
        expect(tokenizer.tokenize('formula cebu2 + 2')[0].find(t => t.text.includes('cebu2'))?.scopes).not.toContain('constant.numeric.kra');
    });

    it('scopes declarations and the names they declare', () => {
        const cases: Array<[string, string, string]> = [
            ['kpi aht "Average handle time" {', 'kpi', 'aht'],
            ['kra service "Service" {', 'kra', 'service'],
            ['role team_leader "Team leader" in operations {', 'role', 'team_leader'],
            ['department operations "Operations" {', 'department', 'operations'],
            ['metric talk_time "Talk time" {', 'metric', 'talk_time'],
            ['unit calls "Calls" is count', 'unit', 'calls'],
            ['perspective esg "Environment, social and governance"', 'perspective', 'esg'],
            ['variant with_transfers "With transfers" {', 'variant', 'with_transfers']
        ];
        for (const [line, keyword, name] of cases) {
            const [tokens] = tokenizer.tokenize(line);
            expect(tokenOf(tokens, keyword).scopes, line).toContain('storage.type.declaration.kra');
            expect(tokenOf(tokens, name).scopes, line).toContain('entity.name.type.kra');
        }
        const [scale] = tokenizer.tokenize('rating scale five_point "Five-point" {');
        expect(tokenOf(scale, 'five_point').scopes).toContain('entity.name.type.kra');
        // `unit seconds` inside a KPI refers to a unit: no declaration name there.
        const [use] = tokenizer.tokenize('  unit seconds');
        expect(tokenOf(use, 'seconds').scopes).not.toContain('entity.name.type.kra');
    });

    it('scopes directions, cadences, statuses, aggregations and modifiers', () => {
        expect(scopeOf(tokenizer, 'within band is better', 'band')).toBe('keyword.other.direction.kra');
        expect(scopeOf(tokenizer, 'lower is better', 'is')).toBe('keyword.other.direction.kra');
        expect(scopeOf(tokenizer, 'review half-yearly', 'half-yearly')).toBe('constant.language.cadence.kra');
        expect(scopeOf(tokenizer, 'thresholds green at least 85%, amber at least 75%, red otherwise', 'amber')).toBe('constant.language.status.kra');
        expect(scopeOf(tokenizer, 'aggregate by median', 'median')).toBe('support.function.aggregation.kra');
        expect(scopeOf(tokenizer, 'non-additive', 'non-additive')).toBe('storage.modifier.kra');
        expect(scopeOf(tokenizer, 'fiscal year starts in april', 'april')).toBe('constant.language.month.kra');
        expect(scopeOf(tokenizer, 'formula revenue over same period last year', 'same')).toBe('keyword.control.formula.kra');
        expect(scopeOf(tokenizer, 'import "./ops.kra"', 'import')).toBe('keyword.control.import.kra');
    });

    it('scopes qualified names and operators', () => {
        const [line] = tokenizer.tokenize('measured by finance.margin.ebitda_margin weighted 10%');
        const qualified = line.filter(token => token.scopes.includes('variable.other.qualified.kra')).map(token => token.text).join('');
        expect(qualified).toBe('finance.margin.ebitda_margin');
        expect(line.filter(token => token.text === '.').every(token => token.scopes.includes('punctuation.accessor.kra'))).toBe(true);
        const [formula] = tokenizer.tokenize('formula (a + b) * 2 / c - d');
        for (const operator of ['+', '*', '/', '-']) {
            expect(tokenOf(formula, operator).scopes).toContain('keyword.operator.arithmetic.kra');
        }
        const [comparison] = tokenizer.tokenize('formula if a >= 1 then b else c');
        expect(tokenOf(comparison, '>=').scopes).toContain('keyword.operator.comparison.kra');
    });

    it('tokenizes the example workspace without leaving a string or comment open', () => {
        const dir = fileURLToPath(new URL('../../../examples/contact-centre/', import.meta.url));
        for (const file of ['operations.kra', 'organisation.kra', 'roles.kra', 'finance.kra']) {
            const lines = tokenizer.tokenize(readFileSync(path.join(dir, file), 'utf8'));
            const last = lines[lines.length - 1];
            for (const token of last) {
                expect(token.scopes.some(scope => scope.startsWith('string') || scope.startsWith('comment.block')), `${file}: ${token.text}`).toBe(false);
            }
        }
    });
});

describe('language configuration', () => {
    const configuration = readJson(path.join(PACKAGE_DIR, 'language-configuration.json'));

    it('declares comments, brackets, auto-closing pairs with quotes, and folding markers', () => {
        expect(configuration.comments).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
        expect(configuration.brackets).toEqual(expect.arrayContaining([['{', '}'], ['(', ')']]));
        expect(configuration.autoClosingPairs.map((pair: { open: string }) => pair.open)).toEqual(expect.arrayContaining(['{', '(', '"']));
        expect(configuration.folding.markers).toBeDefined();
    });

    it('indents after `{` and outdents on `}`', () => {
        const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
        const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
        expect(increase.test('kpi aht "Average handle time" {')).toBe(true);
        expect(increase.test('kpi aht "x" { }')).toBe(false);
        expect(increase.test('// a comment {')).toBe(false);
        expect(decrease.test('  }')).toBe(true);
        expect(decrease.test('  unit seconds')).toBe(false);
        expect(new RegExp(configuration.folding.markers.start).test('  // #region targets')).toBe(true);
        expect(new RegExp(configuration.folding.markers.end).test('// #endregion')).toBe(true);
    });

    it('has a word pattern that keeps ids and hyphenated keywords whole', () => {
        const word = new RegExp(configuration.wordPattern, 'g');
        expect('review half-yearly'.match(word)).toEqual(['review', 'half-yearly']);
        expect('a-b'.match(word)).toEqual(['a', 'b']);
        expect('weight 30%'.match(word)).toEqual(['weight', '30%']);
    });
});

describe('snippets', () => {
    const snippets = readJson(path.join(PACKAGE_DIR, 'snippets', 'kra.code-snippets')) as Record<string, { prefix: string; body: string[]; description: string }>;

    it('has the kpi, kra, role, department, metric, target and thresholds snippets', () => {
        const prefixes = Object.values(snippets).map(snippet => snippet.prefix);
        expect(prefixes).toEqual(expect.arrayContaining(['kpi', 'kra', 'role', 'department', 'metric', 'target', 'thresholds']));
    });

    /** A snippet's text with every placeholder at its default (a choice's first option). */
    function expand(body: string[]): string {
        let text = body.join('\n');
        for (let i = 0; i < 5; i++) {
            text = text.replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1').replace(/\$\{\d+:([^{}]*)\}/g, '$1');
        }
        return text.replace(/\$\{\d+\}/g, match => {
            throw new Error(`unresolved ${match}`);
        }).replace(/\$\d+/g, '');
    }

    function resolveMirrors(body: string[]): string[] {
        // ${11} repeats the value of placeholder 11: take its default from its first occurrence.
        const text = body.join('\n');
        const defaults = new Map<string, string>();
        for (const match of text.matchAll(/\$\{(\d+)(?::([^{}]*)|\|([^,|]*)[^|]*\|)\}/g)) {
            if (!defaults.has(match[1])) {
                defaults.set(match[1], match[2] ?? match[3] ?? '');
            }
        }
        return body.map(line => line.replace(/\$\{(\d+)\}/g, (_, index: string) => defaults.get(index) ?? ''));
    }

    const services = createKraServices(EmptyFileSystem).Kra;
    const parse = (text: string) => {
        const document = services.shared.workspace.LangiumDocumentFactory.fromString(text, URI.file(`/snippets/s${Math.random()}.kra`));
        return [...document.parseResult.lexerErrors.map(error => error.message), ...document.parseResult.parserErrors.map(error => error.message)];
    };

    /** Where a snippet's text goes: fields go into a KPI; declarations stand alone. */
    const WRAP: Record<string, (text: string) => string> = {
        target: text => `kpi k {\n${text}\n}`,
        thresholds: text => `kpi k {\n${text}\n}`
    };

    it('the check finds syntax errors', () => {
        expect(parse('kpi { unit')).not.toEqual([]);
    });

    it.each(Object.entries(snippets))('%s expands to KRA Lang that parses', (_name, snippet) => {
        const text = expand(resolveMirrors(snippet.body));
        const wrap = WRAP[snippet.prefix.split(' ')[0]] ?? ((t: string) => t);
        expect(parse(wrap(text)), text).toEqual([]);
        expect(snippet.description.length).toBeGreaterThan(10);
    });
});
