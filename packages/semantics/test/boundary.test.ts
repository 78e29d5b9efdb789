/**
 * The kernel takes plain values and runs anywhere, a browser worker included: its sources import
 * only each other. No langium, no Node.js module, no other package.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const path = join(folder, entry);
        return statSync(path).isDirectory() ? sources(path) : entry.endsWith('.ts') ? [path] : [];
    });
}

test('every kernel source imports only other kernel sources', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(3);
    const outside = files.flatMap(file => {
        const text = readFileSync(file, 'utf8');
        const specifiers = [...text.matchAll(/\b(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)]
            .map(match => match[1] ?? match[2]);
        return specifiers.filter(specifier => !specifier.startsWith('./') && !specifier.startsWith('../'))
            .map(specifier => `${relative(SRC, file)} imports ${specifier}`);
    });
    expect(outside).toEqual([]);
});

test('no kernel source uses Node.js globals', () => {
    const uses = sources(SRC).filter(file => /\b(process|Buffer|__dirname|require)\b/.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')));
    expect(uses.map(file => relative(SRC, file))).toEqual([]);
});
