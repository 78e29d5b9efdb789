// The esbuild plugins that the bundles of KRA Lang share: the kra command's (packages/cli,
// esbuild.mjs), the VS Code extension's (packages/vscode, esbuild.mjs) and KRA Studio's
// (packages/web, esbuild.mjs, which takes all but cliVersionPlugin).
//
// The bundles must not evaluate code from strings (no eval, no new Function): they may run
// where that is forbidden, and a bundle that did would be a way in for hostile input. Two
// dependencies would:
// - Ajv compiles every JSON Schema to a function with `new Function`. The three schemas the
//   code compiles (compiled model, eval result, kra.config.yaml) are compiled here, at build
//   time, to standalone validators; `ajv` is replaced by a stand-in (ajv-precompiled.ts) that
//   hands them out.
// - lodash-es (through chevrotain) looks up the global object with `Function('return this')`;
//   that line becomes `globalThis`.
// noCodeFromStringsPlugin fails the build when an output still contains `eval(` or `Function(`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The key the stand-in looks validators up by; ajv-precompiled.ts computes the same. */
function schemaKey(schema) {
    return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

async function precompiledValidators() {
    const { Ajv } = await import('ajv');
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
    // Through the packages' own entry points, as the bundled code reaches them.
    const { buildConfigSchema } = await import('@kra-lang/language');
    const { MODEL_SCHEMA } = await import('@kra-lang/compiler');
    const { EVAL_SCHEMA } = await import('@kra-lang/compiler/evaluate');
    // The same options as the code that calls ajv.compile (validate.ts, evaluate/schema.ts,
    // kra-config.ts), plus code.source, which standalone code needs.
    const options = { allErrors: true, strict: true, $data: false, code: { source: true } };
    const schemas = [
        { name: 'config', Class: Ajv, schema: buildConfigSchema() },
        { name: 'model', Class: Ajv2020, schema: MODEL_SCHEMA },
        { name: 'eval', Class: Ajv2020, schema: EVAL_SCHEMA }
    ];
    const modules = new Map();
    const entries = [];
    for (const { name, Class, schema } of schemas) {
        const ajv = new Class(options);
        modules.set(name, standaloneCode(ajv, ajv.compile(schema)));
        entries.push(`  [${JSON.stringify(schemaKey(schema))}, require(${JSON.stringify(`kra-ajv-validator:${name}`)})]`);
    }
    const index = `module.exports = new Map([\n${entries.join(',\n')}\n]);\n`;
    return { index, modules };
}

/** Replaces `ajv` and `ajv/dist/2020.js` with ajv-precompiled.ts, fed the validators compiled here. */
export function ajvPrecompiledPlugin() {
    const stub = path.join(here, 'ajv-precompiled.ts');
    return {
        name: 'ajv-precompiled',
        async setup(build) {
            const validators = await precompiledValidators();
            build.onResolve({ filter: /^ajv(\/dist\/2020(\.js)?)?$/ }, args => (args.importer === stub ? undefined : { path: stub }));
            build.onResolve({ filter: /^kra-ajv-validators$/ }, () => ({ path: 'index', namespace: 'kra-ajv-validators' }));
            build.onResolve({ filter: /^kra-ajv-validator:/ }, args => ({ path: args.path.slice('kra-ajv-validator:'.length), namespace: 'kra-ajv-validators' }));
            build.onLoad({ filter: /.*/, namespace: 'kra-ajv-validators' }, args => ({
                contents: args.path === 'index' ? validators.index : validators.modules.get(args.path),
                loader: 'js',
                // Standalone code requires ajv's small runtime helpers (ajv/dist/runtime/...).
                resolveDir: here
            }));
        }
    };
}

/** lodash-es' `_root.js`: `Function('return this')()` → `globalThis`. */
export function lodashGlobalPlugin() {
    return {
        name: 'lodash-global',
        setup(build) {
            build.onLoad({ filter: /[\\/]lodash(-es)?[\\/]_root\.js$/ }, args => {
                const text = readFileSync(args.path, 'utf8');
                const fixed = text.replace(/Function\(\s*['"]return this['"]\s*\)\(\)/g, 'globalThis');
                if (fixed === text) {
                    throw new Error(`${args.path}: the global-object lookup changed; update tools/bundling/plugins.mjs`);
                }
                return { contents: fixed, loader: 'js' };
            });
        }
    };
}

/**
 * The CLI reads its version from its package.json relative to its own file (src/version.ts),
 * which a bundle in another folder cannot; the version is written in instead.
 */
export function cliVersionPlugin() {
    return {
        name: 'cli-version',
        setup(build) {
            build.onLoad({ filter: /[\\/]cli[\\/]out[\\/]version\.js$/ }, args => {
                const manifest = JSON.parse(readFileSync(path.join(path.dirname(args.path), '..', 'package.json'), 'utf8'));
                return { contents: `export const VERSION = ${JSON.stringify(manifest.version)};\n`, loader: 'js' };
            });
        }
    };
}

/** Fails the build when an output file ending in `extension` could evaluate code from a string. */
export function noCodeFromStringsPlugin(extension) {
    const forbidden = [
        { pattern: /(^|[^\w$.])eval\s*\(/, what: 'eval(' },
        { pattern: /(^|[^\w$.])Function\s*\(/, what: 'Function( or new Function(' }
    ];
    return {
        name: 'no-code-from-strings',
        setup(build) {
            build.onEnd(result => {
                const errors = [];
                const workingDir = build.initialOptions.absWorkingDir ?? process.cwd();
                for (const file of Object.keys(result.metafile?.outputs ?? {})) {
                    if (!file.endsWith(extension)) {
                        continue;
                    }
                    const text = readFileSync(path.resolve(workingDir, file), 'utf8');
                    for (const { pattern, what } of forbidden) {
                        const match = pattern.exec(text);
                        if (match) {
                            const line = text.slice(0, match.index).split('\n').length;
                            errors.push({ text: `${file}:${line} contains ${what}; the bundles must not evaluate code from strings` });
                        }
                    }
                }
                return { errors };
            });
        }
    };
}
