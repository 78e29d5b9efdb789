/**
 * kra.config.yaml: parsing and validation (parseConfig), and what a valid configuration does to
 * the diagnostics of a workspace (RuleSettings: presets, severities, options, limits, overrides).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { LIMITS, parseConfig, RULES, SUPPRESSION_RULES, type ConfigProblem, type Rule } from '../src/index.js';
import { buildWorkspace, summarise, TEST_ROOT } from './test-utils.js';

/** The problems of a config that must be refused. */
function problems(text: string): ConfigProblem[] {
    const result = parseConfig(text);
    if (result.ok) {
        throw new Error(`expected the config to be refused:\n${text}`);
    }
    return result.problems;
}

/** The single problem of a config that must be refused, as `line:column message`. */
function problem(text: string): string {
    const found = problems(text);
    expect(found, found.map(p => `${p.line}:${p.column} ${p.message}`).join('\n')).toHaveLength(1);
    return `${found[0].line}:${found[0].column} ${found[0].message}`;
}

const CONFIGURABLE = [...RULES, ...SUPPRESSION_RULES].map(rule => rule.id);

describe('parseConfig: valid configurations', () => {
    it('reads every section of a complete configuration', () => {
        const result = parseConfig([
            '# The workspace configuration of Acme Contact Services.',
            'extends: strict',
            'rules:',
            '  structure/duplicate-field: warning',
            '  suppressions/missing-reason: error',
            '  metrics/too-many-kpis:',
            '    severity: error',
            '    max: 7',
            '  metrics/too-many-kras:',
            '    max: 4',
            'limits:',
            '  kpisPerKra: 6',
            '  kpisPerRole: 12',
            '  weightTolerance: 0.5',
            'overrides:',
            '  - files: ["legacy/**", "imported/*.kra"]',
            '    rules:',
            '      structure/invalid-date: off',
            '  - files:',
            '      - legacy/2019/**',
            '    rules:',
            '      structure/invalid-date: info',
            ''
        ].join('\n'));
        expect(result.ok, JSON.stringify(result)).toBe(true);
        if (!result.ok) {
            return;
        }
        const { config } = result;
        expect(config.extends).toBe('strict');
        expect([...config.rules]).toEqual([
            ['structure/duplicate-field', { severity: 'warning', options: {} }],
            ['suppressions/missing-reason', { severity: 'error', options: {} }],
            ['metrics/too-many-kpis', { severity: 'error', options: { max: 7 } }],
            ['metrics/too-many-kras', { severity: undefined, options: { max: 4 } }]
        ]);
        expect(config.limits).toEqual({ kpisPerKra: 6, kpisPerRole: 12, weightTolerance: 0.5 });
        expect(config.overrides.map(o => ({ files: o.files, rules: [...o.rules] }))).toEqual([
            { files: ['legacy/**', 'imported/*.kra'], rules: [['structure/invalid-date', { severity: 'off', options: {} }]] },
            { files: ['legacy/2019/**'], rules: [['structure/invalid-date', { severity: 'info', options: {} }]] }
        ]);
    });

    it('treats an empty file, or one with only comments, as the recommended preset', () => {
        for (const text of ['', '\n', '# nothing configured yet\n', 'extends: recommended\n']) {
            const result = parseConfig(text);
            expect(result.ok, JSON.stringify(text)).toBe(true);
            if (result.ok) {
                expect(result.config.extends).toBe('recommended');
                expect(result.config.rules.size).toBe(0);
                expect(result.config.overrides).toEqual([]);
            }
        }
    });

    it('accepts every configurable rule id with every severity', () => {
        for (const severity of ['off', 'info', 'warning', 'error']) {
            const text = `rules:\n${CONFIGURABLE.map(id => `  ${id}: ${severity}`).join('\n')}\n`;
            const result = parseConfig(text);
            expect(result.ok, severity).toBe(true);
            if (result.ok) {
                expect([...result.config.rules.values()].every(setting => setting.severity === severity)).toBe(true);
            }
        }
    });

    it('accepts every limit', () => {
        const text = `limits:\n${Object.keys(LIMITS).map(name => `  ${name}: 3`).join('\n')}\n`;
        const result = parseConfig(text);
        expect(result.ok).toBe(true);
        if (result.ok) {
            expect(Object.keys(result.config.limits).sort()).toEqual(Object.keys(LIMITS).sort());
        }
    });
});

describe('parseConfig: every problem is placed on its line and column', () => {
    it('refuses invalid YAML', () => {
        expect(problem('rules:\n  structure/duplicate-field: [warning\n')).toMatch(/^3:1 Invalid YAML: /);
        expect(problem('rules:\n\tstructure/duplicate-field: off\n')).toBe('2:1 Invalid YAML: Tabs are not allowed as indentation');
        // The YAML library places an unclosed quote where the text ends, not where the quote opens.
        expect(problem('extends: "strict\n')).toBe('2:1 Invalid YAML: Missing closing "quote');
    });

    it('refuses duplicate keys, on the second one', () => {
        expect(problem('rules:\n  structure/duplicate-field: warning\n  structure/duplicate-field: error\n'))
            .toBe('3:3 Invalid YAML: Map keys must be unique');
        expect(problem('extends: strict\nrules: {}\nextends: recommended\n'))
            .toBe('3:1 Invalid YAML: Map keys must be unique');
    });

    it('refuses a YAML alias bomb quickly, without expanding it', () => {
        // Nine levels of nine aliases: 9^9 (387 million) strings once expanded.
        const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
        for (let level = 1; level < 9; level++) {
            const previous = String.fromCharCode(96 + level);
            const name = String.fromCharCode(97 + level);
            lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
        }
        lines.push('rules:', '  structure/duplicate-field: *i');
        const start = performance.now();
        const found = problems(lines.join('\n') + '\n');
        expect(performance.now() - start).toBeLessThan(1000);
        expect(found.map(p => `${p.line}:${p.column} ${p.message}`)).toEqual(['1:1 Invalid YAML: Excessive alias count indicates a resource exhaustion attack']);
    });

    it('refuses deeply nested values quickly and without throwing', () => {
        for (const text of [
            `rules: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
            `rules: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`
        ]) {
            const start = performance.now();
            const found = problems(text);
            expect(performance.now() - start).toBeLessThan(3000);
            expect(found.length).toBeGreaterThan(0);
            // Placed on the first (only) line, inside the nesting.
            expect(found.every(p => p.line === 1 && p.column > 'rules: '.length)).toBe(true);
            expect(found[0].message).toMatch(/^Invalid YAML: nested more than \d+ levels deep/);
        }
    });

    it('refuses moderately nested values with a message about the schema, not the parser', () => {
        expect(problem(`rules: ${'['.repeat(20)}${']'.repeat(20)}\n`)).toMatch(/^1:8 'rules' must be a/);
    });

    it('refuses an unknown top-level key and lists the valid keys', () => {
        expect(problem('extends: recommended\nrule:\n  structure/duplicate-field: off\n'))
            .toBe("2:1 Unknown key 'rule' in the config. Valid keys: extends, rules, limits, calibration, overrides.");
    });

    it('refuses an unknown rule id and lists the valid rules', () => {
        const message = problem('rules:\n  structure/duplicate-field: off\n  structure/duplicate-fields: off\n');
        expect(message).toMatch(/^3:3 Unknown rule 'structure\/duplicate-fields'\. Valid rules: /);
        for (const id of CONFIGURABLE) {
            expect(message).toContain(id);
        }
    });

    it('refuses the parser and linker problems as rule ids: they cannot be configured', () => {
        expect(problem('rules:\n  syntax/unexpected-token: off\n')).toMatch(/^2:3 Unknown rule 'syntax\/unexpected-token'\. Valid rules: /);
        expect(problem('rules:\n  structure/unresolved-reference: warning\n')).toMatch(/^2:3 Unknown rule 'structure\/unresolved-reference'/);
    });

    it('refuses an unknown rule id inside an override', () => {
        expect(problem('overrides:\n  - files: ["legacy/**"]\n    rules:\n      structure/nope: off\n'))
            .toMatch(/^4:7 Unknown rule 'structure\/nope'\. Valid rules: structure\/duplicate-id, /);
    });

    it('refuses an unknown rule option and lists the valid options', () => {
        expect(problem('rules:\n  metrics/too-many-kpis:\n    severity: error\n    maximum: 3\n'))
            .toBe("4:5 Unknown option 'maximum' for rule 'metrics/too-many-kpis'. Valid options: severity, max.");
        expect(problem('rules:\n  structure/duplicate-field:\n    max: 3\n'))
            .toBe("3:5 Unknown option 'max' for rule 'structure/duplicate-field'. Valid options: severity.");
        expect(problem('overrides:\n  - files: ["a/**"]\n    rules:\n      metrics/too-many-kpis: { limit: 3 }\n'))
            .toBe("4:32 Unknown option 'limit' for rule 'metrics/too-many-kpis'. Valid options: severity, max.");
    });

    it('refuses an unknown limit and lists the valid limits', () => {
        expect(problem('limits:\n  kpisPerDepartment: 3\n'))
            .toBe(`2:3 Unknown limit 'kpisPerDepartment'. Valid limits: ${Object.keys(LIMITS).join(', ')}.`);
    });

    it('refuses values of the wrong type, naming the valid ones', () => {
        expect(problem('rules:\n  structure/duplicate-field: warn\n'))
            .toBe("2:30 'rules.structure/duplicate-field' must be one of: off, info, warning, error.");
        expect(problem('rules:\n  metrics/too-many-kpis:\n    severity: warn\n'))
            .toBe("3:15 'rules.metrics/too-many-kpis.severity' must be one of: off, info, warning, error.");
        expect(problem('limits:\n  kpisPerKra: "five"\n')).toMatch(/^2:15 'limits\.kpisPerKra' must be a number\.$/);
        expect(problem('limits:\n  kpisPerKra: 0\n')).toBe("2:15 'limits.kpisPerKra' must be >= 1.");
        expect(problem('rules:\n  metrics/too-many-kpis:\n    max: "7"\n')).toBe("3:10 'rules.metrics/too-many-kpis.max' must be a whole number.");
        expect(problem('rules:\n  metrics/too-many-kpis:\n    max: 2.5\n')).toBe("3:10 'rules.metrics/too-many-kpis.max' must be a whole number.");
        expect(problem('extends: lenient\n')).toBe("1:10 'extends' must be one of: recommended, strict.");
        expect(problem('rules: off\n')).toMatch(/^1:8 'rules' must be a/);
    });

    it('refuses an override without files, or with files that are not a list of globs', () => {
        expect(problem('overrides:\n  - rules:\n      structure/duplicate-field: off\n')).toMatch(/^2:5 'overrides\.0' needs 'files'\.$/);
        expect(problem('overrides:\n  - files: []\n    rules:\n      structure/duplicate-field: off\n')).toMatch(/^2:12 'overrides\.0\.files' /);
        expect(problem('overrides:\n  - files: "legacy/**"\n    rules:\n      structure/duplicate-field: off\n')).toMatch(/^2:12 'overrides\.0\.files' must be a/);
        expect(problem('overrides:\n  - files: ["legacy/**"]\n    severity: off\n'))
            .toBe("3:5 Unknown key 'severity' in 'overrides.0'. Valid keys: files, rules.");
    });

    it('reports every problem of a config at once', () => {
        const found = problems('extends: lenient\nrules:\n  structure/duplicate-field: warn\n  bogus/rule: off\nlimits:\n  kpisPerKra: many\n');
        expect(found.map(p => `${p.line}:${p.column}`).sort()).toEqual(['1:10', '3:30', '4:3', '6:15']);
    });

    it('never throws, whatever the text', () => {
        for (const text of ['---\n---\n', '- a\n- b\n', 'hello', '{', ':', '&a [*a]', '!!binary AAAA', 'rules: !!js/function "x"', '\u0000', 'a: *unknown']) {
            expect(() => parseConfig(text), JSON.stringify(text)).not.toThrow();
            expect(parseConfig(text).ok, JSON.stringify(text)).toBe(false);
        }
    });
});

/** A KRA with three KPIs, for metrics/too-many-kpis; the rest of the file is about dates. */
const KRA_WITH_THREE_KPIS = 'kra service { kpi a { } kpi b { } kpi c { } }\n';
const BAD_DATE = 'objective launch { by 2026-02-30 }\n';
const DUPLICATE_FIELD = 'objective growth { by 2026-12-31 by 2027-03-31 }\n';

function codes(diagnostics: readonly Diagnostic[], rule: string): Diagnostic[] {
    return diagnostics.filter(d => d.code === rule);
}

describe('rule settings from the configuration', () => {
    it('reports a rule at its default severity without a configuration', async () => {
        const workspace = await buildWorkspace({ 'a.kra': BAD_DATE + DUPLICATE_FIELD });
        expect(codes(workspace.diagnostics(), 'structure/invalid-date').map(d => d.severity)).toEqual([DiagnosticSeverity.Error]);
        expect(codes(workspace.diagnostics(), 'structure/duplicate-field').map(d => d.severity)).toEqual([DiagnosticSeverity.Error]);
    });

    it('drops a rule that is turned off, and only that rule', async () => {
        const workspace = await buildWorkspace({ 'a.kra': BAD_DATE + DUPLICATE_FIELD }, { config: 'rules:\n  structure/invalid-date: off\n' });
        expect(codes(workspace.diagnostics(), 'structure/invalid-date')).toEqual([]);
        expect(codes(workspace.diagnostics(), 'structure/duplicate-field')).toHaveLength(1);
    });

    it('reports a rule at the configured severity, short or long form', async () => {
        for (const config of ['rules:\n  structure/invalid-date: warning\n', 'rules:\n  structure/invalid-date:\n    severity: warning\n']) {
            const workspace = await buildWorkspace({ 'a.kra': BAD_DATE }, { config });
            expect(codes(workspace.diagnostics(), 'structure/invalid-date').map(d => d.severity), config).toEqual([DiagnosticSeverity.Warning]);
        }
        const info = await buildWorkspace({ 'a.kra': BAD_DATE }, { config: 'rules:\n  structure/invalid-date: info\n' });
        expect(codes(info.diagnostics(), 'structure/invalid-date').map(d => d.severity)).toEqual([DiagnosticSeverity.Information]);
    });

    it('applies severities to the suppression rules too', async () => {
        const text = '// kra-disable-next-line structure/invalid-date\n' + BAD_DATE;
        const plain = await buildWorkspace({ 'a.kra': text });
        expect(codes(plain.diagnostics(), 'suppressions/missing-reason').map(d => d.severity)).toEqual([DiagnosticSeverity.Warning]);
        const raised = await buildWorkspace({ 'a.kra': text }, { config: 'rules:\n  suppressions/missing-reason: error\n' });
        expect(codes(raised.diagnostics(), 'suppressions/missing-reason').map(d => d.severity)).toEqual([DiagnosticSeverity.Error]);
        const off = await buildWorkspace({ 'a.kra': text }, { config: 'rules:\n  suppressions/missing-reason: off\n' });
        expect(codes(off.diagnostics(), 'suppressions/missing-reason')).toEqual([]);
    });

    it('extends: strict raises warnings to errors and keeps errors errors', async () => {
        const files = { 'a.kra': KRA_WITH_THREE_KPIS + BAD_DATE };
        const config = 'limits:\n  kpisPerKra: 2\n';
        const recommended = await buildWorkspace(files, { config });
        expect(codes(recommended.diagnostics(), 'metrics/too-many-kpis').map(d => d.severity)).toEqual([DiagnosticSeverity.Warning]);
        const strict = await buildWorkspace(files, { config: `extends: strict\n${config}` });
        expect(codes(strict.diagnostics(), 'metrics/too-many-kpis').map(d => d.severity)).toEqual([DiagnosticSeverity.Error]);
        expect(codes(strict.diagnostics(), 'structure/invalid-date').map(d => d.severity)).toEqual([DiagnosticSeverity.Error]);
    });

    it('extends: strict raises info to warning; a configured severity still wins over the preset', async () => {
        const workspace = await buildWorkspace({ 'a.kra': BAD_DATE }, { config: 'extends: strict\nrules:\n  structure/invalid-date: info\n' });
        expect(codes(workspace.diagnostics(), 'structure/invalid-date').map(d => d.severity)).toEqual([DiagnosticSeverity.Information]);
        // Whatever the rule table holds, the preset step is checked on made-up rules of each severity.
        const settings = workspace.services.validation.RuleSettings;
        const uri = URI.parse(`${TEST_ROOT}/a.kra`);
        const made = (id: string, severity: Rule['severity']): Rule => ({ id, severity, summary: id, category: 'fast', checks: {} });
        expect(settings.setting(made('test/info', 'info'), uri).severity).toBe('warning');
        expect(settings.setting(made('test/warning', 'warning'), uri).severity).toBe('error');
        expect(settings.setting(made('test/error', 'error'), uri).severity).toBe('error');
    });

    it('applies overrides only to the files their globs match, relative to the workspace root', async () => {
        const files = {
            'current.kra': BAD_DATE,
            'legacy/old.kra': 'objective old_launch { by 2019-02-29 }\n',
            'legacy/2018/older.kra': 'objective older_launch { by 2018-02-29 }\n',
            'src/legacy/not_matched.kra': 'objective nested_launch { by 2020-02-30 }\n',
            'legacy.kra': 'objective legacy_launch { by 2021-02-29 }\n'
        };
        const workspace = await buildWorkspace(files, {
            config: 'overrides:\n  - files: ["legacy/**"]\n    rules:\n      structure/invalid-date: off\n'
        });
        const flagged = Object.keys(files).filter(file => codes(workspace.diagnostics(file), 'structure/invalid-date').length > 0);
        expect(flagged.sort()).toEqual(['current.kra', 'legacy.kra', 'src/legacy/not_matched.kra']);
    });

    it('applies overrides after `rules`, and later overrides after earlier ones', async () => {
        const files = { 'a.kra': BAD_DATE, 'legacy/b.kra': 'objective b { by 2019-02-29 }\n', 'legacy/2019/c.kra': 'objective c { by 2019-02-30 }\n' };
        const workspace = await buildWorkspace(files, {
            config: [
                'rules:',
                '  structure/invalid-date: warning',
                'overrides:',
                '  - files: ["legacy/**"]',
                '    rules:',
                '      structure/invalid-date: info',
                '  - files: ["**/2019/*.kra"]',
                '    rules:',
                '      structure/invalid-date: off',
                ''
            ].join('\n')
        });
        expect(codes(workspace.diagnostics('a.kra'), 'structure/invalid-date').map(d => d.severity)).toEqual([DiagnosticSeverity.Warning]);
        expect(codes(workspace.diagnostics('legacy/b.kra'), 'structure/invalid-date').map(d => d.severity)).toEqual([DiagnosticSeverity.Information]);
        expect(codes(workspace.diagnostics('legacy/2019/c.kra'), 'structure/invalid-date')).toEqual([]);
    });

    it('feeds limits into the options of the rules that use them', async () => {
        const files = { 'a.kra': KRA_WITH_THREE_KPIS };
        const tooMany = (diagnostics: readonly Diagnostic[]) => summarise(diagnostics).filter(line => line.startsWith('metrics/too-many-kpis'));
        // The default limit is 5: three KPIs are fine.
        expect(tooMany((await buildWorkspace(files)).diagnostics())).toEqual([]);
        // An organisation limit of 2 makes them too many, and the message says the limit.
        const limited = tooMany((await buildWorkspace(files, { config: 'limits:\n  kpisPerKra: 2\n' })).diagnostics());
        expect(limited).toHaveLength(1);
        expect(limited[0]).toContain('the limit is 2');
        // The rule's own option wins over the organisation limit.
        expect(tooMany((await buildWorkspace(files, { config: 'limits:\n  kpisPerKra: 2\nrules:\n  metrics/too-many-kpis:\n    max: 3\n' })).diagnostics())).toEqual([]);
        // And an override can set the option for some files only.
        const overridden = await buildWorkspace({ 'a.kra': KRA_WITH_THREE_KPIS, 'legacy/b.kra': KRA_WITH_THREE_KPIS.replace('service', 'legacy_service').replace(/kpi (\w)/g, 'kpi old_$1') }, {
            config: 'overrides:\n  - files: ["legacy/**"]\n    rules:\n      metrics/too-many-kpis: { max: 2 }\n'
        });
        expect(tooMany(overridden.diagnostics('a.kra'))).toEqual([]);
        expect(tooMany(overridden.diagnostics('legacy/b.kra'))).toHaveLength(1);
    });

    it('gives every rule the option defaults when nothing is configured', async () => {
        const workspace = await buildWorkspace({ 'a.kra': '' });
        const uri = URI.parse(`${TEST_ROOT}/a.kra`);
        for (const rule of RULES) {
            const setting = workspace.services.validation.RuleSettings.setting(rule, uri);
            expect(setting.severity, rule.id).toBe(rule.severity);
            expect(setting.options, rule.id).toEqual(Object.fromEntries(Object.entries(rule.options ?? {}).map(([name, option]) => [name, option.default])));
        }
    });
});

/** The ```yaml blocks of a markdown file. */
function yamlBlocks(file: string): string[] {
    return [...readFileSync(file, 'utf8').matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map(match => match[1]);
}

describe('the configuration examples of the documentation', () => {
    const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
    const files = ['configuration.md', ...['syntax', 'structure', 'suppressions'].flatMap(family =>
        readdirSync(`${DOCS}rules/${family}`).filter(name => name.endsWith('.md')).map(name => `rules/${family}/${name}`))];

    it.each(files)('docs/%s: every yaml block is a valid kra.config.yaml', file => {
        for (const block of yamlBlocks(`${DOCS}${file}`)) {
            const result = parseConfig(block);
            expect(result.ok ? [] : result.problems.map(p => `${p.line}:${p.column} ${p.message}`), block).toEqual([]);
        }
    });

    it('docs/configuration.md has its examples, and a row for every limit', () => {
        expect(yamlBlocks(`${DOCS}configuration.md`).length).toBeGreaterThanOrEqual(5);
        const text = readFileSync(`${DOCS}configuration.md`, 'utf8');
        for (const name of Object.keys(LIMITS)) {
            expect(text, name).toContain(`| \`${name}\` |`);
        }
    });
});
