/**
 * Random edits of a file's text, as people make them, for the incremental parsing and relinking
 * oracles (incremental-parse.test.ts, incremental-build.test.ts).
 */
import fc from 'fast-check';

/** An edit: where (any number, taken modulo the text's length plus one), and what. */
export type Edit =
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'delete'; at: number; length: number }
    | { kind: 'retype'; at: number; seed: number }
    | { kind: 'type-in-text'; at: number; text: string }
    | { kind: 'undo' }
    | { kind: 'revert' };

/** What people type, and what breaks a block's bounds: braces, quotes, comment marks, whole declarations. */
const INSERTS = ['x', '7', ' ', '\n', '\r\n', '"', '}', '{', '/*', '*/', '//', '-', '.', ',', '%', '_', 'kpi q { }', ' description "d"',
    ' target at least 5 %', '\n  weight 10 %\n', 'kra r { kpi s { } }', '"a } b"', '// }\n', '/* { */'];

export const edit: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...INSERTS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), seed: fc.nat() }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('type-in-text' as const), at: fc.nat(), text: fc.constantFrom('x', ' ', 'é', '}', '{', '/*', '\\"') }) },
    // Undoing brings a broken text back, so that sequences go on from valid texts too.
    { weight: 4, arbitrary: fc.constant({ kind: 'undo' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'revert' as const }) }
);

/** The text after an edit; `history` holds the texts before, for undo (its first is the text the sequence started from). */
export function apply(text: string, change: Edit, history: string[]): string {
    if (change.kind === 'undo') {
        return history.pop() ?? text;
    }
    if (change.kind === 'revert') {
        return history.splice(0).at(0) ?? text;
    }
    history.push(text);
    const at = change.at % (text.length + 1);
    switch (change.kind) {
        case 'insert':
            return text.slice(0, at) + change.text + text.slice(at);
        case 'delete':
            return text.slice(0, at) + text.slice(at + change.length);
        case 'retype': {
            // A letter for a letter, a digit for a digit (the first at or after `at`): what typing
            // in a name, a text or a number does.
            const found = /[a-z0-9]/i.exec(text.slice(at));
            if (!found) {
                return text;
            }
            const where = at + found.index;
            const pool = /[0-9]/.test(found[0]) ? '0123456789' : 'abcdefghijklmnopqrstuvwxyz';
            return text.slice(0, where) + pool.charAt(change.seed % pool.length) + text.slice(where + 1);
        }
        case 'type-in-text': {
            // Typing in a description or a title: after the first quote at or after `at`.
            const quote = text.indexOf('"', at);
            return quote < 0 ? text : text.slice(0, quote + 1) + change.text + text.slice(quote + 1);
        }
    }
}
