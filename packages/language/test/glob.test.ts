/**
 * The globs of `overrides.files` (src/config/glob.ts): what they match, and that no glob makes
 * matching slow. picomatch's backtracking regular expressions took minutes on `*a*a*a*a*a*aX*`
 * against a long name (issue 14); the automaton takes the name's length times the glob's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGlob, globBase, isGlob, MAX_GLOB_ALTERNATIVES, MAX_GLOB_LENGTH } from '../src/config/glob.js';
import { parseConfig } from '../src/index.js';

function matches(glob: string, path: string): boolean {
    const compiled = compileGlob(glob);
    if (!compiled.ok) {
        throw new Error(compiled.reason);
    }
    return compiled.match(path);
}

describe('glob syntax (docs/configuration.md)', () => {
    it.each([
        ['legacy/**', ['legacy', 'legacy/a.kra', 'legacy/x/y.kra', 'legacy/.hidden.kra'], ['legacy.kra', 'src/legacy/a.kra', 'legacyx/a.kra']],
        ['*.kra', ['a.kra', '.a.kra', '*.kra'], ['a/b.kra', 'a.kraa']],
        ['**/draft-*.kra', ['draft-1.kra', 'x/draft-1.kra', 'x/y/draft-.kra'], ['x/final.kra', 'draft-1.kra/x']],
        ['a/**/b.kra', ['a/b.kra', 'a/x/b.kra', 'a/x/y/b.kra'], ['b.kra', 'a/xb.kra']],
        ['**', ['a', 'a/b/c.kra', '.x/y'], []],
        ['{legacy,old}/*.kra', ['legacy/a.kra', 'old/a.kra'], ['new/a.kra', '{legacy,old}/a.kra']],
        ['x/{a,b{c,d}}/*.kra', ['x/a/z.kra', 'x/bc/z.kra', 'x/bd/z.kra'], ['x/be/z.kra', 'x/b/z.kra']],
        ['{a}.kra', ['{a}.kra'], ['a.kra']],
        ['[a-c]?.kra', ['ax.kra', 'cz.kra'], ['dx.kra', 'a.kra', 'a/.kra']],
        ['[!a]*.kra', ['b.kra', '.a.kra'], ['a.kra', 'ab.kra']],
        ['[]x]*.kra', [']1.kra', 'x1.kra'], ['y.kra']],
        ['\\*.kra', ['*.kra'], ['a.kra']],
        ['ünï/*.kra', ['ünï/a.kra'], ['uni/a.kra']]
    ])('%s', (glob, yes, no) => {
        for (const path of yes) {
            expect(matches(glob, path), `${glob} should match ${path}`).toBe(true);
        }
        for (const path of no) {
            expect(matches(glob, path), `${glob} should not match ${path}`).toBe(false);
        }
    });

    it('a glob without wildcards matches exactly the path it names', () => {
        fc.assert(fc.property(fc.stringMatching(/^[a-z0-9_.-]{1,12}(\/[a-z0-9_.-]{1,12}){0,3}$/), fc.string({ maxLength: 20 }), (path, other) => {
            expect(matches(path, path)).toBe(true);
            expect(matches(path, other)).toBe(other === path);
        }));
    });
});

describe('no glob makes matching slow', () => {
    it('`*a*a*a*a*a*aX*` against a 4,000-character name (minutes with picomatch) answers', () => {
        // The test's time limit is the guard: the backtracking matcher did not finish in it.
        expect(matches('*a*a*a*a*a*aX*', 'a'.repeat(4000))).toBe(false);
        expect(matches('**/*a*a*a*a*a*aX*/**', `${'a/'.repeat(500)}${'a'.repeat(2000)}`)).toBe(false);
        expect(matches('*a*a*a*a*a*aX*', `${'a'.repeat(4000)}X`)).toBe(true);
    });

    it('a glob that is too long, expands too far or uses extended globs is refused with the reason', () => {
        expect(compileGlob('a'.repeat(MAX_GLOB_LENGTH + 1))).toMatchObject({ ok: false, reason: expect.stringMatching(/at most 1,000/) });
        expect(compileGlob('{a,b}'.repeat(7))).toMatchObject({ ok: false, reason: expect.stringMatching(new RegExp(`more than ${MAX_GLOB_ALTERNATIVES} alternatives`)) });
        expect(compileGlob('+(a|b).kra')).toMatchObject({ ok: false, reason: expect.stringMatching(/extended glob/) });
        expect(compileGlob('{a,b}'.repeat(6)).ok).toBe(true);
    });

    it('kra.config.yaml: such a glob is a config error that names the key and the position', () => {
        const result = parseConfig(`overrides:\n  - files: ["legacy/**", "${'{a,b}'.repeat(8)}"]\n    rules:\n      smart/specific: off\n`);
        expect(result.ok).toBe(false);
        if (!result.ok) {
            expect(result.problems.map(p => `${p.line}:${p.column} ${p.message}`)).toEqual([
                "2:26 'overrides.0.files.1' expands to more than 64 alternatives through {…}; write fewer, or use * and **."
            ]);
        }
    });
});

describe('globs on the command line (kra check \'org/**/*.kra\')', () => {
    it('tells a glob from a path, and finds the folder to search', () => {
        expect([isGlob('org/**/*.kra'), isGlob('a.kra'), isGlob('a\\*.kra'), isGlob('{a,b}.kra'), isGlob('x/[ab].kra')]).toEqual([true, false, false, true, true]);
        expect([globBase('org/**/*.kra'), globBase('*.kra'), globBase('/abs/x/*.kra'), globBase('/*.kra'), globBase('a/b/c?.kra')]).toEqual(['org', '.', '/abs/x', '/', 'a/b']);
    });
});
