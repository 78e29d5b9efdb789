// Builds KRA Studio into dist/: a static app (index.html, studio.css, app.js) and its Web Worker
// (worker.js: the language core as a language server, the evaluator and the scorecard renderer).
// Serve dist/ from any static host, or with `kra studio`.
//
//   node esbuild.mjs    (npm run build --workspace packages/web; the root `npm run build` runs it)
//
// It bundles the compiled JavaScript of the workspace packages (their out/), so tsc must run
// first. Like the CLI's bundle, neither output may evaluate code from a string (the page's
// Content-Security-Policy has no 'unsafe-eval'): Ajv's validators are compiled here.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ajvPrecompiledPlugin, lodashGlobalPlugin, noCodeFromStringsPlugin } from '../../tools/bundling/plugins.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, 'dist');

/** The grammar's word keywords (not its symbols), read from the compiled grammar of the language package. */
async function grammarKeywords() {
    const { KraLangGrammar } = await import('../language/out/generated/grammar.js');
    const { AstUtils, GrammarAST } = await import('langium');
    const words = AstUtils.streamAllContents(KraLangGrammar())
        .filter(GrammarAST.isKeyword)
        .map(keyword => keyword.value)
        .filter(value => /^[a-z]/.test(value));
    return [...new Set(words)].sort();
}

/** The Ajv stand-in's `node:crypto` becomes bundling/sha256-shim.ts. */
const sha256Shim = {
    name: 'sha256-shim',
    setup(build) {
        build.onResolve({ filter: /^node:crypto$/ }, args => (args.importer.endsWith('ajv-precompiled.ts') ? { path: path.join(here, 'bundling', 'sha256-shim.ts') } : undefined));
    }
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: { app: 'src/app/main.ts', worker: 'src/worker/worker.ts' },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    define: { __KRA_KEYWORDS__: JSON.stringify(await grammarKeywords()) },
    plugins: [sha256Shim, ajvPrecompiledPlugin(), lodashGlobalPlugin(), noCodeFromStringsPlugin('.js')]
});
if (result.errors.length > 0) {
    process.exit(1);
}
cpSync(path.join(here, 'static'), outdir, { recursive: true });
writeFileSync(path.join(outdir, 'meta.json'), `${JSON.stringify(result.metafile)}\n`);
for (const [file, output] of Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'))) {
    console.log(`${path.relative(process.cwd(), path.resolve(here, file))}: ${(output.bytes / 1024).toFixed(0)} KiB`);
}
