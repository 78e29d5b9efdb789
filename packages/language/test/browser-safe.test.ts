/**
 * The language core also runs in a browser worker: nothing under packages/language/src, except
 * src/node/, may use Node's modules or globals.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const path = join(folder, entry);
        if (statSync(path).isDirectory()) {
            return sourceFiles(path);
        }
        return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
    });
}

const NODE_MODULES = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));

/** Removes comments, keeping strings, so that a comment mentioning `node:fs` is not a violation. */
function stripComments(text: string): string {
    return text.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (_match, literal: string | undefined) => literal ?? ' ');
}

/** Every problem of one file's text: Node module specifiers and Node-only globals. */
function nodeUsages(text: string): string[] {
    const code = stripComments(text);
    const problems: string[] = [];
    const specifiers = [
        ...code.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g),
        ...code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
        ...code.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g)
    ].map(match => match[1]);
    for (const specifier of specifiers) {
        const base = specifier.startsWith('node:') ? specifier : specifier.split('/')[0];
        if (specifier.startsWith('node:') || NODE_MODULES.has(base) || NODE_MODULES.has(specifier) || specifier === 'langium/node') {
            problems.push(`imports '${specifier}'`);
        }
    }
    const withoutStrings = code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, "''");
    for (const match of withoutStrings.matchAll(/\b(process\s*\.\s*\w+|__dirname|__filename|Buffer\s*\.\s*\w+|require\s*\.\s*resolve)\b/g)) {
        problems.push(`uses ${match[1].replace(/\s+/g, '')}`);
    }
    return problems;
}

describe('browser-safe language core', () => {
    const files = sourceFiles(SRC);
    const core = files.filter(file => relative(SRC, file).split(sep)[0] !== 'node');

    it('finds the source files, and src/node is the only folder left out', () => {
        expect(files.length).toBeGreaterThan(10);
        const left = files.filter(file => !core.includes(file)).map(file => relative(SRC, file).split(sep).join('/'));
        expect(left.length).toBeGreaterThan(0);
        expect(left.every(file => file.startsWith('node/'))).toBe(true);
    });

    it.each(core.map(file => [relative(SRC, file).split(sep).join('/'), file]))('%s uses no Node modules or globals', (_name, file) => {
        expect(nodeUsages(readFileSync(file, 'utf8'))).toEqual([]);
    });

    it('src/node does use Node (the scan finds real usages)', () => {
        const nodeFiles = files.filter(file => relative(SRC, file).split(sep)[0] === 'node');
        expect(nodeFiles.flatMap(file => nodeUsages(readFileSync(file, 'utf8')))).not.toEqual([]);
    });
});

describe('the Node usage scan', () => {
    it.each([
        ["import * as fs from 'node:fs';", "imports 'node:fs'"],
        ["import { readFile } from 'fs/promises';", "imports 'fs/promises'"],
        ["import path from 'path';", "imports 'path'"],
        ["import type { Stats } from 'fs';", "imports 'fs'"],
        ["export { sep } from 'node:path';", "imports 'node:path'"],
        ["import 'process';", "imports 'process'"],
        ["const fs = await import('node:fs');", "imports 'node:fs'"],
        ["const fs = require('fs');", "imports 'fs'"],
        ["import { NodeFileSystem } from 'langium/node';", "imports 'langium/node'"],
        ['const cwd = process.cwd();', 'uses process.cwd'],
        ['if (process.env.DEBUG) { }', 'uses process.env'],
        ['const here = __dirname;', 'uses __dirname'],
        ["const b = Buffer.from('x');", 'uses Buffer.from']
    ])('finds %s', (text, problem) => {
        expect(nodeUsages(text)).toContain(problem);
    });

    it.each([
        "import { URI } from 'langium';",
        "import type { Diagnostic } from 'vscode-languageserver-types';",
        "import { parseDocument } from 'yaml';",
        "import { x } from './path.js';",
        "// import * as fs from 'node:fs';",
        "/* process.env.X */ const a = 1;",
        "const text = 'process.env is not used here';",
        'const processed = 1; processed.toString();'
    ])('does not flag %s', text => {
        expect(nodeUsages(text)).toEqual([]);
    });
});
