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
// The bundles must not evaluate code from strings (no eval, no new Function): the plugins shared
// with the kra command's bundle (tools/bundling/plugins.mjs) compile the JSON Schemas
// ahead of time, patch lodash's global lookup, and fail the build otherwise. Here, import.meta
// (empty in CommonJS) is an error too.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ajvPrecompiledPlugin, cliVersionPlugin, lodashGlobalPlugin, noCodeFromStringsPlugin } from '../../tools/bundling/plugins.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = path.join(here, 'out');

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
    // DuckDB is a native library: the extension's kra has none, and says so on raw data.
    external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'],
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
    // import.meta is empty in CommonJS: `import.meta.url` becomes the bundle's own URL, and any
    // other use of import.meta is a bug in the bundle.
    define: { 'import.meta.url': 'importMetaUrl' },
    inject: ['bundling/import-meta-url.js'],
    logOverride: { 'empty-import-meta': 'error' },
    plugins: [ajvPrecompiledPlugin(), lodashGlobalPlugin(), cliVersionPlugin(), noCodeFromStringsPlugin('.cjs')]
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
