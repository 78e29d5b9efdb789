// Bundles the kra command into out/bundle/ (ES modules), which bin/kra.js runs: one file to
// load instead of several hundred modules of the CLI, the language core, the compiler, Langium,
// chevrotain and their dependencies, which halves the start-up of `kra check` on a small file.
// Each command stays a chunk of its own, loaded when it runs, so `kra check` does not read
// the compiler's or eval's code.
//
//   node esbuild.mjs    (npm run bundle; `npm run build` at the root runs it after tsc)
//
// It bundles the compiled JavaScript in out/ of this package and of the workspace packages,
// so tsc must run first. bin/kra.js uses out/main.js instead when the bundle is missing or
// older than the last tsc build (see there), so a forgotten `npm run bundle` is slower, never
// wrong. Source maps are written next to the chunks (sourcesContent off): run with
// NODE_OPTIONS=--enable-source-maps for stack traces in the TypeScript sources.
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ajvPrecompiledPlugin, cliVersionPlugin, lodashGlobalPlugin, noCodeFromStringsPlugin } from '../../tools/bundling/plugins.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, 'out', 'bundle');

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: { main: 'out/main.js' },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // Some dependencies (vscode-languageserver and its JSON-RPC library) are CommonJS; in an
    // ES module bundle their require() of Node's built-in modules needs a real require.
    banner: { js: "import { createRequire as __kraCreateRequire } from 'node:module'; const require = __kraCreateRequire(import.meta.url);" },
    mainFields: ['module', 'main'],
    conditions: ['node'],
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // DuckDB loads a native library: it stays a package of its own, loaded from node_modules.
    external: ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
    plugins: [ajvPrecompiledPlugin(), lodashGlobalPlugin(), cliVersionPlugin(), noCodeFromStringsPlugin('.mjs')]
});
if (result.errors.length > 0) {
    process.exit(1);
}
// For bin/kra.js: the tsc build info of every workspace package in the bundle, so that a
// later tsc build (newer than the bundle) is noticed, and the package.json the version is from.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
    const absolute = path.resolve(here, input);
    if (absolute.split(path.sep).includes('node_modules')) {
        continue;
    }
    let dir = path.dirname(absolute);
    while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) {
        dir = path.dirname(dir);
    }
    packages.add(dir);
}
const tscBuildInfo = [...packages].sort().flatMap(dir =>
    ['tsconfig.tsbuildinfo', 'out/tsconfig.tsbuildinfo'].map(file => path.join(dir, file)).filter(existsSync))
    .map(file => path.relative(outdir, file).split(path.sep).join('/'));
if (tscBuildInfo.length === 0) {
    throw new Error('no tsconfig.tsbuildinfo found for the bundled packages: run tsc -b first');
}
const newer = [...tscBuildInfo, path.relative(outdir, path.join(here, 'package.json')).split(path.sep).join('/')];
writeFileSync(path.join(outdir, 'inputs.json'), `${JSON.stringify({ newer }, undefined, 2)}\n`);

// KRA Studio's built app, which `kra studio` serves, goes with the bundle (the published package
// has no dependencies to find it in). The root build builds packages/web before this.
const studio = path.join(here, '..', 'web', 'dist');
if (!existsSync(path.join(studio, 'index.html'))) {
    throw new Error(`${studio} has no index.html: build KRA Studio first (npm run build --workspace packages/web)`);
}
cpSync(studio, path.join(outdir, 'studio'), { recursive: true, filter: source => !/\.(map|json)$/.test(source) });

const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
console.log(`${path.relative(process.cwd(), outdir) || '.'}: ${Object.keys(result.metafile.outputs).filter(file => file.endsWith('.mjs')).length} chunks, ${(bytes / 1024).toFixed(0)} KiB`);
