/**
 * The rule cases of test/rules/<family>/: `.kra` files and folders whose expected diagnostics
 * are written in comments (`// rules: ...`, `// expect[-severity]: rule/id "text" !"text"`;
 * the format and what a case checks are described in test/support/rule-cases.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules, RULES } from '../src/index.js';
import { checkCase, isChecked, loadRuleCases, messageOf, parseExpectations, rulesUnderTest } from '../../../test/support/rule-cases.js';
import { buildWorkspace } from './test-utils.js';

const CASES = loadRuleCases(fileURLToPath(new URL('./rules/', import.meta.url)));
const RULE_IDS = allRules().map(rule => rule.id);

describe('rule cases', () => {
    it('exist', () => {
        expect(CASES.length).toBeGreaterThan(0);
    });

    it('name only rules and families that exist', () => {
        const families = new Set(RULE_IDS.map(id => id.split('/')[0]));
        const unknown = CASES.flatMap(c => [...c.rules, ...c.expectations.map(e => e.rule)]
            .filter(rule => rule.endsWith('/*') ? !families.has(rule.slice(0, -2)) : !RULE_IDS.includes(rule))
            .map(rule => `${c.name}: ${rule}`));
        expect(unknown).toEqual([]);
    });

    it.each(CASES.map(c => [c.name, c] as const))('%s', async (_name, testCase) => {
        const workspace = await buildWorkspace(testCase.files, { config: testCase.config });
        const found = Object.keys(testCase.files).flatMap(file => workspace.diagnostics(file).map(diagnostic => ({ file, diagnostic })));
        checkCase(testCase, found);

        // Every diagnostic, of any rule, names its rule and links to the rule's documentation.
        for (const { diagnostic } of found) {
            expect(typeof diagnostic.code, messageOf(diagnostic)).toBe('string');
            expect(diagnostic.codeDescription?.href, messageOf(diagnostic)).toMatch(new RegExp(`/${String(diagnostic.code)}\\.md$`));
            expect(RULE_IDS).toContain(diagnostic.code);
            expect((diagnostic.data as { rule?: string } | undefined)?.rule).toBe(diagnostic.code);
        }
    });
});

describe('rule cases: structure', () => {
    const structure = CASES.filter(c => c.name.startsWith('structure/'));

    it('finds the structure cases, each with expectations but those that must report nothing', () => {
        expect(structure.length).toBeGreaterThanOrEqual(15);
        const quiet = ['structure/valid.kra', 'structure/import-no-cycle'];
        expect(structure.filter(c => !quiet.includes(c.name) && !c.name.endsWith('-one'))
            .every(c => c.expectations.length > 0)).toBe(true);
    });

    it('has a case for every structure rule', () => {
        const covered = new Set(structure.flatMap(c => c.expectations.map(e => e.rule)));
        const structureRules = RULE_IDS.filter(id => id.startsWith('structure/'));
        expect(structureRules.length).toBeGreaterThanOrEqual(RULES.filter(rule => rule.id.startsWith('structure/')).length);
        expect(structureRules.filter(id => !covered.has(id))).toEqual([]);
    });
});

describe('rule cases: the format', () => {
    it('reads expectations on the line before and trailing ones', () => {
        const expectations = parseExpectations('x.kra', [
            '// expect: rule/a "one" !"two"',
            '// expect-warning: rule/b',
            '',
            'metric a // expect-error: rule/c "three"',
            'metric b'
        ].join('\n'));
        expect(expectations).toEqual([
            { file: 'x.kra', line: 4, rule: 'rule/c', severity: 1, contains: ['three'], excludes: [] },
            { file: 'x.kra', line: 4, rule: 'rule/a', severity: undefined, contains: ['one'], excludes: ['two'] },
            { file: 'x.kra', line: 4, rule: 'rule/b', severity: 2, contains: [], excludes: [] }
        ]);
    });

    it('refuses an expectation with no line after it', () => {
        expect(() => parseExpectations('x.kra', 'metric a\n// expect: rule/a')).toThrow(/no line to apply to/);
    });

    it('refuses a second rule or unquoted text in one expectation', () => {
        expect(() => parseExpectations('x.kra', 'metric a // expect: rule/a, rule/b')).toThrow(/x\.kra:1: .*one rule a comment/);
        expect(() => parseExpectations('x.kra', 'metric a // expect: rule/a "one" two')).toThrow(/x\.kra:1:/);
    });

    it('reads the rules under test, and checks them, their families, syntax and unresolved references', () => {
        const rules = rulesUnderTest({ 'a.kra': '// rules: smart/relevant, structure/*\nmetric a', 'b.kra': '// rules: weights/sum smart/relevant' });
        expect(rules).toEqual(['smart/relevant', 'structure/*', 'weights/sum']);
        expect(['smart/relevant', 'structure/duplicate-id', 'weights/sum', 'weights/range', 'smart/specific', 'syntax/unexpected-token', 'structure/unresolved-reference']
            .filter(rule => isChecked(rule, ['smart/relevant', 'structure/*', 'weights/sum'])))
            .toEqual(['smart/relevant', 'structure/duplicate-id', 'weights/sum', 'syntax/unexpected-token', 'structure/unresolved-reference']);
        expect(isChecked('structure/duplicate-id', ['smart/relevant'])).toBe(false);
        expect(() => rulesUnderTest({ 'a.kra': '// rules: relevant' })).toThrow(/'relevant'/);
    });
});
