/**
 * Mutations of valid workspaces into broken ones, as editing, merging and copy-pasting produce
 * them: tokens deleted, duplicated and swapped, files truncated, random characters and bytes
 * inserted (quotes, comment openers, braces, control characters, invalid UTF-16, a BOM).
 */
import fc from 'fast-check';
import type { GeneratedWorkspace } from './generate.js';
import { validWorkspace } from './generate.js';

/** Words, numbers, quoted texts, comments, whitespace runs and single other characters. */
const TOKEN = /"(?:[^"\\\r\n]|\\.)*"|\/\*[\s\S]*?\*\/|\/\/[^\r\n]*|\s+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[\s\S]/g;

export function tokens(text: string): string[] {
    return text.match(TOKEN) ?? [];
}

const INSERTS = [
    '"', '/*', '*/', '//', '{', '}', '(', ')', ',', '.', '-', '+', '*', '/', '%', '=', '>', '<', ';', ':', '@', '#', '\\',
    '\n', '\r', '\r\n', '\t', '\u0000', '\u0007', '\uFEFF', '\uFFFD', '\uD800', '\uDC00', '\u2028', '\u00A0', '\u201C', '😀',
    'kpi', 'kra', 'metric', 'formula', 'target', 'if', 'then', 'else', 'over', 'import "./a.kra"', 'import "../../etc/passwd.kra"',
    '999999999999999999999999', '9'.repeat(400), `0.${'0'.repeat(400)}1`, '2026-02-30', '2026-Q5', 'FY', '1e309', '0.', '.5', 'unit', 'weight 0%', 'weight 101%'
];

export type Mutation =
    | { kind: 'delete'; at: number; count: number }
    | { kind: 'duplicate'; at: number; count: number }
    | { kind: 'swap'; a: number; b: number }
    | { kind: 'truncate'; at: number }
    | { kind: 'insert'; at: number; text: string };

const position = fc.nat({ max: 0xFFFF });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: position, count: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('swap' as const), a: position, b: position }),
    fc.record({ kind: fc.constant('truncate' as const), at: position }),
    fc.record({
        kind: fc.constant('insert' as const), at: position,
        text: fc.oneof(fc.constantFrom(...INSERTS), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 }))
    })
);

/** Applies one mutation to a text (positions are taken modulo its token or character count). */
export function applyMutation(text: string, m: Mutation): string {
    const parts = tokens(text);
    if (parts.length === 0) {
        return m.kind === 'insert' ? m.text : text;
    }
    switch (m.kind) {
        case 'delete': {
            const at = m.at % parts.length;
            parts.splice(at, m.count);
            return parts.join('');
        }
        case 'duplicate': {
            const at = m.at % parts.length;
            parts.splice(at, 0, ...parts.slice(at, at + m.count));
            return parts.join('');
        }
        case 'swap': {
            const a = m.a % parts.length;
            const b = m.b % parts.length;
            [parts[a], parts[b]] = [parts[b], parts[a]];
            return parts.join('');
        }
        case 'truncate':
            return text.substring(0, m.at % (text.length + 1));
        case 'insert': {
            const at = m.at % (text.length + 1);
            return text.substring(0, at) + m.text + text.substring(at);
        }
    }
}

export interface MutatedWorkspace {
    readonly original: GeneratedWorkspace;
    readonly files: Record<string, string>;
    readonly mutations: ReadonlyArray<{ file: string; mutation: Mutation }>;
}

/** A valid workspace with one to four mutations, each in one of its files. */
export const mutatedWorkspace: fc.Arbitrary<MutatedWorkspace> = fc.tuple(validWorkspace, fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 4 }))
    .map(([original, picks]) => {
        const files = { ...original.files };
        const names = Object.keys(files);
        const mutations = picks.map(([index, m]) => {
            const file = names[index % names.length];
            files[file] = applyMutation(files[file], m);
            return { file, mutation: m };
        });
        return { original, files, mutations };
    });
