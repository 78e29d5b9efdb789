/**
 * Resource-driven rule tests. Each `.kra` file under test/rules/<family>/ is a single-file
 * workspace; each folder there (holding .kra files and maybe a kra.config.yaml) is a
 * multi-file one. Expectations are comments next to the code they concern:
 *
 *   // rules: smart/time-bound, smart/relevant      the rules this case is about (required)
 *   kpi aht "AHT" {   // expect: smart/time-bound   a diagnostic of that rule starts on this line
 *
 * The case passes when the diagnostics of the listed rules are exactly the expected ones (rule
 * and line), and no syntax or unresolved-reference error is reported unless it is listed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildWorkspace } from './test-utils.js';

const RULES_DIR = fileURLToPath(new URL('./rules', import.meta.url));

interface Case {
    readonly name: string;
    readonly files: Record<string, string>;
    readonly config?: string;
}

function collectCases(): Case[] {
    const cases: Case[] = [];
    for (const family of readdirSync(RULES_DIR).sort()) {
        const familyDir = path.join(RULES_DIR, family);
        for (const entry of readdirSync(familyDir).sort()) {
            const full = path.join(familyDir, entry);
            if (statSync(full).isDirectory()) {
                const files: Record<string, string> = {};
                for (const file of walk(full)) {
                    if (file.endsWith('.kra')) {
                        files[path.relative(full, file).split(path.sep).join('/')] = readFileSync(file, 'utf8');
                    }
                }
                const configFile = path.join(full, 'kra.config.yaml');
                const config = existsFile(configFile) ? readFileSync(configFile, 'utf8') : undefined;
                cases.push({ name: `${family}/${entry}`, files, config });
            } else if (entry.endsWith('.kra')) {
                cases.push({ name: `${family}/${entry}`, files: { [entry]: readFileSync(full, 'utf8') } });
            }
        }
    }
    return cases;
}

function walk(dir: string): string[] {
    return readdirSync(dir).sort().flatMap(entry => {
        const full = path.join(dir, entry);
        return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

function existsFile(file: string): boolean {
    try {
        return statSync(file).isFile();
    } catch {
        return false;
    }
}

const ALWAYS_CHECKED = /^(syntax\/|structure\/unresolved-reference$)/;

function rulesUnderTest(files: Record<string, string>): Set<string> {
    const rules = new Set<string>();
    for (const text of Object.values(files)) {
        for (const match of text.matchAll(/\/\/\s*rules:\s*([^\n]+)/g)) {
            match[1].split(/[\s,]+/).filter(Boolean).forEach(rule => rules.add(rule));
        }
    }
    return rules;
}

function expectations(files: Record<string, string>): string[] {
    const expected: string[] = [];
    for (const [file, text] of Object.entries(files)) {
        text.split(/\r?\n/).forEach((line, index) => {
            const match = /\/\/\s*expect:\s*([^\n]+)$/.exec(line);
            if (match) {
                for (const rule of match[1].split(/[\s,]+/).filter(Boolean)) {
                    expected.push(`${file}:${index + 1} ${rule}`);
                }
            }
        });
    }
    return expected.sort();
}

const cases = collectCases();

describe('rule cases', () => {
    it('exist', () => {
        expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, testCase) => {
        const underTest = rulesUnderTest(testCase.files);
        expect(underTest.size, 'a case must name its rules in a "// rules:" comment').toBeGreaterThan(0);
        const workspace = await buildWorkspace(testCase.files, { config: testCase.config });
        const actual: string[] = [];
        for (const [file, document] of workspace.documents) {
            for (const diagnostic of document.diagnostics ?? []) {
                const rule = String(diagnostic.code);
                if (underTest.has(rule) || ALWAYS_CHECKED.test(rule)) {
                    actual.push(`${file}:${diagnostic.range.start.line + 1} ${rule}`);
                }
            }
        }
        const messages = workspace.diagnostics().map(d => `${d.range.start.line + 1}: [${String(d.code)}] ${typeof d.message === 'string' ? d.message : d.message.value}`);
        expect(actual.sort(), messages.join('\n')).toEqual(expectations(testCase.files));
    });
});
