/**
 * The guarantees of docs/security.md that hold by construction, each checked here: no code
 * evaluated from strings, ajv only ever compiling our own schemas in strict mode without $data,
 * lexing in linear time, and the CLI writing only inside --out, atomically.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { EmptyFileSystem } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKraServices, SOURCE_LIMITS } from '../../packages/language/src/index.js';
import { StringMatcher } from '../../packages/language/src/parser/kra-lexer.js';
import { fingerprints } from '../../packages/cli/src/report/sarif.js';
import type { Finding } from '../../packages/cli/src/report/findings.js';
import { withPackageLock } from '../../packages/vscode/test/package-lock.js';
import { expectCleanExit, REPO, runKra, scratchFolder, TEST_TIMEOUT } from '../support/cli.js';

const scratch = scratchFolder('kra-guarantees-');

function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
    if (!existsSync(dir)) {
        return [];
    }
    return readdirSync(dir).flatMap(entry => {
        const full = path.join(dir, entry);
        const stat = lstatSync(full);
        return stat.isDirectory() ? (entry === 'node_modules' ? [] : filesUnder(full, accept)) : stat.isFile() && accept(full) ? [full] : [];
    });
}

const PACKAGES = path.join(REPO, 'packages');
const packageDirs = readdirSync(PACKAGES).map(name => path.join(PACKAGES, name));

/** The extension's esbuild bundles (`npm ci` does not build them; `npm run package` does). */
const VSCODE = path.join(PACKAGES, 'vscode');
const BUNDLES = ['extension.cjs', 'server.cjs', 'cli.cjs'].map(name => path.join(VSCODE, 'out', name));

/**
 * Builds the bundles when they are missing, taking turns with packages/vscode/test/package.test.ts
 * (which rewrites out/ too) through its lock file.
 */
async function ensureBundles(): Promise<void> {
    if (BUNDLES.every(file => existsSync(file))) {
        return;
    }
    await withPackageLock(() => {
        if (!BUNDLES.every(file => existsSync(file))) {
            const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: VSCODE, encoding: 'utf8' });
            if (result.status !== 0) {
                throw new Error(`node esbuild.mjs failed (${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
            }
        }
    });
}

describe('no code is evaluated from strings', () => {
    // What runs: every package's build output and bin scripts, and the bundles of the extension.
    let built: string[] = [];
    beforeAll(async () => {
        await ensureBundles();
        built = packageDirs.flatMap(dir => [
            ...filesUnder(path.join(dir, 'out'), file => /\.(c|m)?js$/.test(file)),
            ...filesUnder(path.join(dir, 'bin'), file => /\.(c|m)?js$/.test(file))
        ]);
    }, 180_000);

    it('the build output is there to scan, the bundles included', () => {
        expect(built.map(file => path.relative(REPO, file))).toEqual(expect.arrayContaining([
            'packages/cli/out/main.js', 'packages/cli/out/bundle/main.mjs', 'packages/language/out/index.js', 'packages/compiler/out/src/index.js', 'packages/cli/bin/kra.js', 'packages/cli/bin/main-module.js',
            'packages/language-server/out/main.js', 'packages/language-server/bin/kra-language-server.js',
            'packages/vscode/out/extension.cjs', 'packages/vscode/out/server.cjs', 'packages/vscode/out/cli.cjs'
        ]));
    });

    it('no eval( and no new Function( (nor Function( called) in any of it', () => {
        expect(built.length).toBeGreaterThan(0);
        const offenders = built.flatMap(file => {
            const text = readFileSync(file, 'utf8');
            return [...text.matchAll(/(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(/g)]
                .map(match => `${path.relative(REPO, file)}: ${text.substring(Math.max(0, match.index - 40), match.index + 40).replace(/\s+/g, ' ')}`);
        });
        expect(offenders).toEqual([]);
    });
});

describe('ajv compiles only our own schemas, strict, without $data', () => {
    const sources = [
        ...packageDirs.flatMap(dir => filesUnder(path.join(dir, 'src'), file => /\.(ts|js|mjs)$/.test(file))),
        path.join(REPO, 'tools', 'bundling', 'plugins.mjs'),
        path.join(PACKAGES, 'cli', 'esbuild.mjs'),
        path.join(PACKAGES, 'vscode', 'esbuild.mjs')
    ].filter(existsSync);
    const usesAjv = sources.filter(file => /from ['"]ajv|import\(['"]ajv/.test(readFileSync(file, 'utf8')));

    it('only the known places use ajv', () => {
        expect(usesAjv.map(file => path.relative(REPO, file)).sort()).toEqual([
            'packages/compiler/src/evaluate/schema.ts',
            'packages/compiler/src/validate.ts',
            'packages/language/src/config/kra-config.ts',
            'tools/bundling/plugins.mjs'
        ]);
    });

    it.each(usesAjv.map(file => [path.relative(REPO, file), file]))('%s: strict mode on, $data off, our schema only', (_name, file) => {
        const text = readFileSync(file, 'utf8');
        // Every Ajv made is given its options in one object literal (directly, or through a variable).
        const constructions = [...text.matchAll(/new\s+(\w+)\(\s*([^)]*)\)/g)].filter(match => /Ajv|Class/.test(match[1]));
        expect(constructions.length).toBeGreaterThan(0);
        for (const [, , argument] of constructions) {
            const literal = argument.trim().startsWith('{') ? argument
                : new RegExp(`const\\s+${argument.trim()}\\s*=\\s*(\\{[^;]*\\})`).exec(text)?.[1] ?? '';
            expect(literal, `options of new Ajv(${argument})`).toMatch(/strict:\s*true/);
            expect(literal, `options of new Ajv(${argument})`).toMatch(/\$data:\s*false/);
        }
        // What is compiled: the JSON schema files we ship, or the config schema we build.
        const compiled = [...text.matchAll(/\.compile\(\s*([^)]*?)\s*\)/g)].map(match => match[1]);
        expect(compiled.length).toBeGreaterThan(0);
        for (const argument of compiled) {
            expect(['schema', 'buildConfigSchema(', 'buildConfigSchema()']).toContain(argument.replace(/\)$/, ')').trim());
        }
        if (compiled.includes('schema') && !file.endsWith('plugins.mjs')) {
            expect(text).toMatch(/import schema from '(\.\.\/)+schemas\/kra-(model|eval)\.schema\.json' with \{ type: 'json' \}/);
        }
        if (file.endsWith('plugins.mjs')) {
            expect(text).toMatch(/schema:\s*buildConfigSchema\(\)/);
            expect([...text.matchAll(/schema:\s*(\w+)/g)].map(match => match[1]).sort()).toEqual(['EVAL_SCHEMA', 'MODEL_SCHEMA', 'buildConfigSchema']);
        }
    });

    it('a kra.config.yaml cannot bring schema keywords of its own', async () => {
        const dir = scratch.write('schema-keywords', {
            'a.kra': 'metric calls { unit count }\n',
            'kra.config.yaml': 'rules:\n  $ref: "https://example.com/evil.json"\n  smart/specific: { $data: "/rules" }\n'
        });
        const run = await runKra(['check', dir]);
        expectCleanExit(run, 2);
        expect(run.stderr).toMatch(/kra\.config\.yaml:2:\d+ {2}error/);
    }, TEST_TIMEOUT);
});

describe('lexing takes linear time', () => {
    const { Kra } = createKraServices(EmptyFileSystem);
    const N = 100_000;
    // Each terminal of grammar/kra.langium, and the keywords, fed what makes regular expressions backtrack.
    const inputs: Record<string, string> = {
        'NUMBER: a long run of digits': '1'.repeat(N),
        'NUMBER: digits and dots': '1.'.repeat(N / 2),
        'NUMBER: a long fraction without digits after the dot': `${'1'.repeat(N)}.`,
        'STRING: a quote and no closing one': `"${'a'.repeat(N)}`,
        'STRING: escaped quotes and no closing one': `"${'\\"'.repeat(N / 2)}`,
        'STRING: escapes and no closing one': `"${'\\a'.repeat(N / 2)}`,
        'STRING: many opening quotes on one line': '"\\'.repeat(N / 2),
        'STRING: quotes and backslashes': '\\"'.repeat(N / 2),
        'ML_COMMENT: an opener and stars': `/*${'*'.repeat(N)}`,
        'ML_COMMENT: an opener and star runs': `/*${'a*'.repeat(N / 2)}`,
        'ML_COMMENT: many openers': '/*'.repeat(N / 2),
        'ML_COMMENT: stars and slashes': '*/'.repeat(N / 2),
        'SL_COMMENT: one long comment': `//${'x'.repeat(N)}`,
        'ID: a long identifier': 'a'.repeat(N),
        'ID: keywords run together': 'kpi'.repeat(N / 3),
        'DATE: almost dates': '2026-01-0'.repeat(N / 9),
        'DATE: dates run together': '2026-01-01'.repeat(N / 10),
        'PERIOD: almost periods': '2026-'.repeat(N / 5),
        'PERIOD: quarters run together': '2026-Q1'.repeat(N / 7),
        'PERIOD: fiscal-year prefixes': 'FY'.repeat(N / 2),
        'PERIOD: fiscal years run together': 'FY2026'.repeat(N / 6),
        'WS: whitespace': ' \t\r\n'.repeat(N / 4),
        'unexpected characters': '#;@'.repeat(N / 3)
    };
    it.each(Object.entries(inputs))('%s', (_name, text) => {
        const started = performance.now();
        Kra.parser.Lexer.tokenize(text);
        // Generous for a slow machine; a quadratic case takes far longer (18 s before the fix).
        expect(performance.now() - started).toBeLessThan(8_000);
    });

    it('and parsing them too', () => {
        const started = performance.now();
        for (const text of Object.values(inputs)) {
            Kra.parser.LangiumParser.parse(`metric calls { description ${text} }`);
        }
        expect(performance.now() - started).toBeLessThan(30_000);
    }, 60_000);

    it('the fast STRING matcher accepts exactly what the grammar\'s STRING expression does', () => {
        const grammar = readFileSync(path.join(REPO, 'grammar/kra.langium'), 'utf8');
        const source = /terminal STRING: \/(.*)\/;/.exec(grammar)![1];
        const regex = new RegExp(source, 'y');
        const text = fc.string({ unit: fc.constantFrom('"', '\\', 'a', ' ', '\n', '\r', '\u2028', '\u2029', 'é'), maxLength: 40 });
        fc.assert(fc.property(text, input => {
            const matcher = new StringMatcher();
            // As the lexer calls it: at increasing offsets of one text.
            for (let offset = 0; offset < input.length; offset++) {
                regex.lastIndex = offset;
                const expected = regex.exec(input)?.[0] ?? null;
                const actual = matcher.exec(input, offset)?.[0] ?? null;
                if (expected !== actual) {
                    throw new Error(`at ${offset} of ${JSON.stringify(input)}: regex ${JSON.stringify(expected)}, matcher ${JSON.stringify(actual)}`);
                }
            }
        }), { numRuns: 2000, seed: 42 });
    });

    it('the limits are there', () => {
        expect(SOURCE_LIMITS.maxLength).toBeGreaterThanOrEqual(1_000_000);
        expect(SOURCE_LIMITS.maxFormulaNesting).toBeGreaterThanOrEqual(20);
    });
});

describe('reports stay linear in the number of findings', () => {
    it('SARIF fingerprints of 50,000 findings on one line of 1,000,000 characters', () => {
        const source = `${'x'.repeat(1_000_000)}\nsecond line\n`;
        const finding = (column: number): Finding => ({
            file: 'a.kra', line: 1, column, endLine: 1, endColumn: column + 1, severity: 'warning',
            message: 'm', rule: 'metrics/unused', docs: undefined, source
        });
        const started = performance.now();
        const prints = fingerprints(Array.from({ length: 50_000 }, (_, index) => finding(index + 1)));
        expect(performance.now() - started).toBeLessThan(10_000);
        expect(new Set(prints).size).toBe(50_000);
        expect(prints[0]).toMatch(/^[0-9a-f]{32}:1$/);
        expect(prints[1].split(':')[0]).toBe(prints[0].split(':')[0]);
    }, 60_000);
});

describe('the CLI writes only inside --out, atomically', () => {
    const WORKSPACE = {
        'a.kra': [
            'department _ "Underscore" { description "A department named _." }',
            'department __ "Two" { description "A department named __." }',
            'role r_1 "Role" in _ { description "A role." }'
        ].join('\n')
    };

    function snapshot(dir: string): Map<string, number> {
        return new Map(filesUnder(dir, () => true).map(file => [file, statSync(file).ino]));
    }

    it('kra build --split writes its files inside --out only, each by renaming a complete file into place', async () => {
        const dir = scratch.write('build-ws', WORKSPACE);
        const out = path.join(scratch.root, 'build-out');
        const before = snapshot(scratch.root);
        expectCleanExit(await runKra(['build', dir, '--out', out, '--split', '--allow-errors']), 0);
        const written = [...snapshot(scratch.root).keys()].filter(file => !before.has(file));
        expect(written.length).toBe(4);
        for (const file of written) {
            expect(path.relative(out, file).startsWith('..'), file).toBe(false);
        }
        expect(written.map(file => path.relative(out, file).split(path.sep).join('/')).sort())
            .toEqual(['departments/_.json', 'departments/__.json', 'kra-model.json', 'roles/r_1.json']);

        // A second build replaces each file with a new one (rename), never rewriting it in place,
        // and leaves no temporary file behind.
        const first = snapshot(out);
        expectCleanExit(await runKra(['build', dir, '--out', out, '--split', '--allow-errors']), 0);
        const second = snapshot(out);
        expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
        for (const [file, inode] of first) {
            expect(second.get(file), file).not.toBe(inode);
        }
    }, TEST_TIMEOUT);

    it('names that try to climb out cannot: they are not names, and nothing is written outside', async () => {
        const dir = scratch.write('build-traversal', {
            'a.kra': 'department ../../evil "x" { }\nrole "../../../tmp/evil" "y" { }\ndepartment ok_1 "Ok" { description "Fine." }\n'
        });
        const out = path.join(scratch.root, 'traversal-out');
        const before = snapshot(scratch.root);
        const refused = await runKra(['build', dir, '--out', out, '--split']);
        expectCleanExit(refused, 1);
        expect(existsSync(out)).toBe(false);
        expectCleanExit(await runKra(['build', dir, '--out', out, '--split', '--allow-errors']), 0);
        const written = [...snapshot(scratch.root).keys()].filter(file => !before.has(file));
        expect(written.map(file => path.relative(out, file).split(path.sep).join('/')).sort()).toEqual(['departments/ok_1.json', 'kra-model.json']);
    }, TEST_TIMEOUT);

    it('a symbolic link inside --out is not written through: exit 2, nothing written', async () => {
        const dir = scratch.write('build-link-ws', WORKSPACE);
        const out = path.join(scratch.root, 'link-out');
        const elsewhere = path.join(scratch.root, 'elsewhere');
        mkdirSync(out, { recursive: true });
        mkdirSync(elsewhere, { recursive: true });
        symlinkSync(elsewhere, path.join(out, 'departments'));
        const run = await runKra(['build', dir, '--out', out, '--split', '--allow-errors']);
        expectCleanExit(run, 2);
        expect(run.stderr).toContain('departments is a symbolic link');
        expect(readdirSync(elsewhere)).toEqual([]);
        expect(readdirSync(out)).toEqual(['departments']);
    }, TEST_TIMEOUT);

    it('kra fmt replaces a file by renaming a complete one into place', async () => {
        const dir = scratch.write('fmt-atomic', { 'a.kra': 'metric   calls   {   unit count }\n' });
        const file = path.join(dir, 'a.kra');
        const inode = statSync(file).ino;
        expectCleanExit(await runKra(['fmt', file]), 0);
        expect(statSync(file).ino).not.toBe(inode);
        expect(readdirSync(dir)).toEqual(['a.kra']);
    }, TEST_TIMEOUT);
});
