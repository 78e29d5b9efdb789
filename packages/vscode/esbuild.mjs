// Bundles the extension into out/ as CommonJS (.cjs), what VS Code's extension host loads:
//   out/extension.cjs  the client (src/extension.ts), with vscode-languageclient
//   out/server.cjs     the language server (@kra-lang/language-server), started by the client
//   out/cli.cjs        the kra command (@kra-lang/cli), run by the Build and Scorecard commands
// Nothing else is needed at run time, so the .vsix ships no node_modules.
//
//   node esbuild.mjs                 development build (source maps)
//   node esbuild.mjs --production    minified, no source maps (what `npm run package` ships)
//   node esbuild.mjs --watch         rebuild on change
//
// The bundles must not evaluate code from strings (no eval, no new Function): they may run
// where that is forbidden, and a later check rejects them. Two dependencies would:
// - Ajv compiles every JSON Schema to a function with `new Function`. The three schemas the
//   code compiles (compiled model, eval result, kra.config.yaml) are compiled here, at build
//   time, to standalone validators; `ajv` is replaced by a stand-in that hands them out.
// - lodash-es (through chevrotain) looks up the global object with `Function('return this')`;
//   that line becomes `globalThis`.
// The build fails when an output still contains `eval(` or `Function(`, or uses import.meta
// (empty in CommonJS).
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = path.join(here, 'out');

// ---------------------------------------------------------------------------------------------
// Ajv, compiled ahead of time
// ---------------------------------------------------------------------------------------------

/** The key the stand-in looks validators up by; src/ajv-precompiled.ts computes the same. */
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

/** Replaces `ajv` and `ajv/dist/2020.js` with src/ajv-precompiled.ts, fed the validators above. */
function ajvPrecompiledPlugin() {
    const stub = path.join(here, 'src', 'ajv-precompiled.ts');
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

// ---------------------------------------------------------------------------------------------
// Other source fixes
// ---------------------------------------------------------------------------------------------

/** lodash-es' `_root.js`: `Function('return this')()` → `globalThis`. */
function lodashGlobalPlugin() {
    return {
        name: 'lodash-global',
        setup(build) {
            build.onLoad({ filter: /[\\/]lodash(-es)?[\\/]_root\.js$/ }, args => {
                const text = readFileSync(args.path, 'utf8');
                const fixed = text.replace(/Function\(\s*['"]return this['"]\s*\)\(\)/g, 'globalThis');
                if (fixed === text) {
                    throw new Error(`${args.path}: the global-object lookup changed; update esbuild.mjs`);
                }
                return { contents: fixed, loader: 'js' };
            });
        }
    };
}

/**
 * The CLI reads its version from its package.json through `createRequire(import.meta.url)`,
 * which does not survive bundling to CommonJS; the version is written in instead.
 */
function cliVersionPlugin() {
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

/** Fails the build when an output could evaluate code from a string. */
function outputCheckPlugin() {
    const forbidden = [
        { pattern: /(^|[^\w$.])eval\s*\(/, what: 'eval(' },
        { pattern: /(^|[^\w$.])Function\s*\(/, what: 'Function( or new Function(' }
    ];
    return {
        name: 'output-check',
        setup(build) {
            build.onEnd(result => {
                const errors = [];
                for (const file of Object.keys(result.metafile?.outputs ?? {})) {
                    if (!file.endsWith('.cjs')) {
                        continue;
                    }
                    const text = readFileSync(path.resolve(here, file), 'utf8');
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

// ---------------------------------------------------------------------------------------------

/** @type {import('esbuild').BuildOptions} */
const options = {
    absWorkingDir: here,
    entryPoints: {
        extension: 'src/extension.ts',
        server: 'src/server.ts',
        cli: 'src/cli.ts'
    },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['vscode'],
    // The language server and vscode-languageclient have browser builds too; take the Node ones.
    mainFields: ['module', 'main'],
    conditions: ['node'],
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    minify: production,
    keepNames: true,
    legalComments: production ? 'none' : 'inline',
    metafile: true,
    logLevel: 'info',
    // import.meta is empty in CommonJS: any use of it is a bug in the bundle.
    logOverride: { 'empty-import-meta': 'error' },
    plugins: [ajvPrecompiledPlugin(), lodashGlobalPlugin(), cliVersionPlugin(), outputCheckPlugin()]
};

rmSync(outdir, { recursive: true, force: true });
if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
} else {
    const result = await esbuild.build(options);
    if (result.errors.length === 0) {
        for (const [file, output] of Object.entries(result.metafile.outputs)) {
            if (file.endsWith('.cjs')) {
                console.log(`${path.relative(here, path.resolve(here, file))}: ${(output.bytes / 1024).toFixed(0)} KiB`);
            }
        }
    }
}
