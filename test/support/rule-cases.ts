/**
 * Rule cases: `.kra` files whose expected diagnostics are written in comments next to the code
 * they concern (packages/language/test/rule-cases.test.ts runs those of
 * packages/language/test/rules/). A case is, in the folder of its rule family, a `.kra` file (a
 * one-file workspace) or a folder (a workspace of every `.kra` file below it, with its
 * kra.config.yaml if it has one):
 *
 *   // rules: smart/time-bound, smart/relevant            the rules the case puts under test
 *                                                         (required; `structure/*`: a family)
 *   // expect: structure/duplicate-id "KPI 'aht'"         on a line of its own: the next code line
 *   metric calls // expect-error: structure/duplicate-id  trailing: this line
 *
 * `expect-error`, `expect-warning`, `expect-info` and `expect-hint` also check the severity.
 * Each quoted text after the rule id must occur in the message; `!"text"` must not. A comment
 * holds one expectation: for two on one line, write them on lines of their own before it.
 *
 * A case passes when the diagnostics of the rules under test, of the syntax rules and of
 * structure/unresolved-reference are exactly the expected ones (rule, file and line, as many of
 * each), and each expectation's severity and texts match a diagnostic of its rule on its line.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { expect } from 'vitest';
import { kraFiles } from './kra-files.js';

export interface Expectation {
    readonly file: string;
    /** 1-based. */
    readonly line: number;
    readonly rule: string;
    /** 1 error, 2 warning, 3 information, 4 hint; any when not given. */
    readonly severity?: number;
    /** Texts the message must contain. */
    readonly contains: readonly string[];
    /** Texts the message must not contain. */
    readonly excludes: readonly string[];
}

export interface RuleCase {
    /** `family/file.kra` or `family/folder`. */
    readonly name: string;
    /** Path (relative to the case, with `/`) → text. */
    readonly files: Record<string, string>;
    /** The text of the case's kra.config.yaml, if it has one. */
    readonly config?: string;
    /** What its `// rules:` comments name: rule ids, or `family/*`. */
    readonly rules: readonly string[];
    readonly expectations: readonly Expectation[];
}

/** A diagnostic and the file of the case it is in. */
export interface Found {
    readonly file: string;
    readonly diagnostic: Diagnostic;
}

const SEVERITIES: Record<string, number> = { error: 1, warning: 2, info: 3, hint: 4 };
const EXPECT = /\/\/\s*expect(?:-(error|warning|info|hint))?:\s*([\w/-]+)(.*)$/;
const QUOTED = /(!?)"([^"]*)"/g;
const ONLY_QUOTED = /^(\s*!?"[^"]*")*\s*$/;
const RULES = /\/\/\s*rules:\s*([^\n]+)/g;
const RULE_OR_FAMILY = /^[a-z]+\/([a-z-]+|\*)$/;
/** Reported whatever a case is about: a case must not hide a syntax error or a name that resolves to nothing. */
const ALWAYS_CHECKED = /^(syntax\/|structure\/unresolved-reference$)/;

/** The cases in `folder`: one folder per rule family, each holding `.kra` files and case folders; other files are left alone. */
export function loadRuleCases(folder: string): RuleCase[] {
    const cases: RuleCase[] = [];
    for (const family of readdirSync(folder).sort()) {
        const familyDir = join(folder, family);
        if (!statSync(familyDir).isDirectory()) {
            continue;
        }
        for (const entry of readdirSync(familyDir).sort()) {
            const path = join(familyDir, entry);
            if (statSync(path).isDirectory()) {
                const files: Record<string, string> = {};
                for (const file of kraFiles(path)) {
                    files[relative(path, file).split(sep).join('/')] = readFileSync(file, 'utf8');
                }
                const configFile = join(path, 'kra.config.yaml');
                const config = existsSync(configFile) ? readFileSync(configFile, 'utf8') : undefined;
                cases.push(ruleCase(`${family}/${entry}`, files, config));
            } else if (entry.endsWith('.kra')) {
                cases.push(ruleCase(`${family}/${entry}`, { [entry]: readFileSync(path, 'utf8') }));
            }
        }
    }
    return cases;
}

function ruleCase(name: string, files: Record<string, string>, config?: string): RuleCase {
    return {
        name, files, config,
        rules: rulesUnderTest(files),
        expectations: Object.entries(files).flatMap(([file, text]) => parseExpectations(file, text))
    };
}

/** What the `// rules:` comments of the files name, in the order written. */
export function rulesUnderTest(files: Record<string, string>): string[] {
    const rules = new Set<string>();
    for (const [file, text] of Object.entries(files)) {
        for (const match of text.matchAll(RULES)) {
            for (const rule of match[1].split(/[\s,]+/).filter(Boolean)) {
                if (!RULE_OR_FAMILY.test(rule)) {
                    throw new Error(`${file}: '// rules:' names '${rule}', which is neither a rule id (family/name) nor a family (family/*)`);
                }
                rules.add(rule);
            }
        }
    }
    return [...rules];
}

/** The expectations of one file, each on the line it applies to. */
export function parseExpectations(file: string, text: string): Expectation[] {
    const lines = text.split(/\r?\n/);
    const expectations: Expectation[] = [];
    let pending: Array<Omit<Expectation, 'line'>> = [];
    lines.forEach((line, index) => {
        const match = EXPECT.exec(line);
        const standalone = match !== null && line.trimStart().startsWith('//');
        if (match) {
            const [, severity, rule, rest] = match;
            if (!ONLY_QUOTED.test(rest)) {
                throw new Error(`${file}:${index + 1}: after the rule id, an expectation takes only "texts" and !"texts" (one rule a comment): ${line.trim()}`);
            }
            const contains: string[] = [];
            const excludes: string[] = [];
            for (const quoted of rest.matchAll(QUOTED)) {
                (quoted[1] ? excludes : contains).push(quoted[2]);
            }
            const expectation = { file, rule, severity: severity ? SEVERITIES[severity] : undefined, contains, excludes };
            if (standalone) {
                pending.push(expectation);
                return;
            }
            expectations.push({ ...expectation, line: index + 1 });
        }
        if (pending.length > 0 && line.trim() !== '' && !line.trimStart().startsWith('//')) {
            expectations.push(...pending.map(e => ({ ...e, line: index + 1 })));
            pending = [];
        }
    });
    if (pending.length > 0) {
        throw new Error(`${file}: '// expect' comments at the end of the file have no line to apply to`);
    }
    return expectations;
}

/** Whether a case about `underTest` checks the diagnostics of `rule`. */
export function isChecked(rule: string, underTest: readonly string[]): boolean {
    return ALWAYS_CHECKED.test(rule)
        || underTest.some(entry => entry === rule || (entry.endsWith('/*') && rule.startsWith(entry.slice(0, -1))));
}

export function key(file: string, line: number, rule: string): string {
    return `${file}:${line} ${rule}`;
}

export function messageOf(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Asserts that `found`, every diagnostic of the case's workspace, is what the case expects (see the top of this file). */
export function checkCase(testCase: RuleCase, found: readonly Found[]): void {
    expect(testCase.rules.length, `${testCase.name}: a case must name its rules in a "// rules:" comment`).toBeGreaterThan(0);
    const located = (each: Found): string => key(each.file, each.diagnostic.range.start.line + 1, String(each.diagnostic.code));
    const checked = found.filter(each => isChecked(String(each.diagnostic.code), testCase.rules));

    // The same rules on the same lines, as many of each, no more, no fewer.
    const listing = found.map(each => `${located(each)}: ${messageOf(each.diagnostic)}`).join('\n');
    expect(checked.map(located).sort(), `diagnostics:\n${listing}`).toEqual(testCase.expectations.map(e => key(e.file, e.line, e.rule)).sort());

    // Severity and message of each.
    for (const expectation of testCase.expectations) {
        const candidates = checked.filter(({ file, diagnostic }) => file === expectation.file
            && diagnostic.range.start.line + 1 === expectation.line && diagnostic.code === expectation.rule);
        const matching = candidates.filter(({ diagnostic }) =>
            (expectation.severity === undefined || diagnostic.severity === expectation.severity)
            && expectation.contains.every(text => messageOf(diagnostic).includes(text))
            && expectation.excludes.every(text => !messageOf(diagnostic).includes(text)));
        expect(matching.length, `${key(expectation.file, expectation.line, expectation.rule)} with ${JSON.stringify(expectation)}; got:\n${candidates.map(c => `[${c.diagnostic.severity}] ${messageOf(c.diagnostic)}`).join('\n')}`)
            .toBeGreaterThan(0);
    }
}
