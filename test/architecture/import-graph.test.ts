/**
 * The layers of docs/architecture.md, checked over the import graph of every source file:
 * a package imports only the packages below it, and the language core imports nothing of the
 * editor layer or the protocol. Imports are read with TypeScript's own pre-processor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Each package and the workspace packages it may import (docs/architecture.md, "Layers"). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
    semantics: [],
    language: ['semantics'],
    compiler: ['language', 'semantics'],
    scorecard: ['compiler', 'semantics'],
    'language-server': ['language'],
    web: ['language', 'compiler', 'scorecard', 'semantics'],
    cli: ['language', 'compiler', 'scorecard', 'semantics', 'web'],
    vscode: ['cli', 'language-server']
};

/** Folders of packages/language/src that make up the editor layer or load from Node. */
const LANGUAGE_EDITOR_LAYER = ['lsp/', 'formatting/', 'node/'];
/** Modules only the editor layer and the language server may import. */
const PROTOCOL_MODULES = ['langium/lsp', 'vscode-languageserver', 'vscode-languageserver-protocol', 'vscode-jsonrpc'];

function sourceFiles(folder: string): string[] {
    return readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter(file => /\.(ts|mts)$/.test(file) && !file.endsWith('.d.ts') && !file.split(path.sep).includes('generated'))
        .map(file => path.join(folder, file));
}

function importsOf(file: string): string[] {
    return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(entry => entry.fileName);
}

interface Edge {
    readonly file: string;
    readonly specifier: string;
}

const EDGES: Edge[] = Object.keys(ALLOWED).flatMap(name => sourceFiles(path.join(ROOT, 'packages', name, 'src'))
    .flatMap(file => importsOf(file).map(specifier => ({ file: path.relative(ROOT, file).split(path.sep).join('/'), specifier }))));

function packageOf(file: string): string {
    return file.split('/')[1];
}

describe('the import graph', () => {
    it('reads every package', () => {
        for (const name of Object.keys(ALLOWED)) {
            expect(EDGES.some(edge => packageOf(edge.file) === name), name).toBe(true);
        }
    });

    it('has no edge from a package to one it may not import (no back edges, no cycles)', () => {
        const wrong = EDGES.filter(edge => {
            const target = /^@kra-lang\/([a-z-]+)/.exec(edge.specifier)?.[1];
            return target !== undefined && !ALLOWED[packageOf(edge.file)].includes(target);
        }).map(edge => `${edge.file} imports ${edge.specifier}`);
        expect(wrong).toEqual([]);
    });

    it('has no relative import that leaves its package', () => {
        const wrong = EDGES.filter(edge => edge.specifier.startsWith('.'))
            .filter(edge => !path.posix.normalize(path.posix.join(path.posix.dirname(edge.file), edge.specifier)).startsWith(`packages/${packageOf(edge.file)}/`))
            .map(edge => `${edge.file} imports ${edge.specifier}`);
        expect(wrong).toEqual([]);
    });

    it('keeps the language core free of the editor layer and the protocol', () => {
        const core = EDGES.filter(edge => edge.file.startsWith('packages/language/src/')
            && !LANGUAGE_EDITOR_LAYER.some(folder => edge.file.startsWith(`packages/language/src/${folder}`))
            && edge.file !== 'packages/language/src/index.ts');
        expect(core.length).toBeGreaterThan(100);
        const wrong = core.filter(edge => PROTOCOL_MODULES.includes(edge.specifier)
            || (edge.specifier.startsWith('.') && LANGUAGE_EDITOR_LAYER.some(folder => {
                const target = path.posix.normalize(path.posix.join(path.posix.dirname(edge.file), edge.specifier));
                return target.startsWith(`packages/language/src/${folder}`);
            })))
            .map(edge => `${edge.file} imports ${edge.specifier}`);
        expect(wrong).toEqual([]);
    });

    it('keeps the semantics kernel browser-safe: no langium, no Node built-ins', () => {
        const wrong = EDGES.filter(edge => packageOf(edge.file) === 'semantics' && (edge.specifier.startsWith('langium') || edge.specifier.startsWith('node:')))
            .map(edge => `${edge.file} imports ${edge.specifier}`);
        expect(wrong).toEqual([]);
    });
});
