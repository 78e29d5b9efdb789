/**
 * Property-based test of what `kra` prints for people (issue 14): generated workspaces whose
 * titles, descriptions, file names, data members and cells carry terminal escape sequences,
 * bells, carriage returns, C1 controls, line separators and bidirectional overrides, through
 * `kra check` (stylish and github formats), `kra fmt --check` and `kra eval` (table, CSV and
 * Markdown). No such character reaches standard output or standard error raw: each is shown as
 * its code (docs/security.md, "Output cannot drive the terminal or the CI").
 *
 * In CI fixed seeds run; `npm run fuzz -- --minutes N` runs fresh seeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KraRun, runKra, scratchFolder } from '../support/cli.js';
import { checkWithFreshSeeds, FIXED_SEED, MINUTES } from './fresh-seeds.js';

/** What no human-readable output may hold raw: C0 (but tab and line feed), DEL, C1, line separators, bidirectional controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const HOSTILE = ['\u001B[31m', '\u001B]0;owned\u0007', '\u0007', '\b', '\r', '\u009B2J', '\u2028', '\u202E', '\u2066', '\u000B', '\u007F'];

/** Text with hostile characters among plain words; never a double quote or a backslash (the `.kra` string stays one string). */
const hostileText = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom('calls', 'team', 'Ops', ' ', '-', '✓')), { minLength: 1, maxLength: 6 })
    .map(parts => parts.join(''));

/** A file or member name: the same, without `/`, NUL or a leading dot. */
const hostileName = hostileText.map(text => `x${text.replace(/[/\s]/g, '_')}`);

interface Case {
    readonly title: string;
    readonly description: string;
    readonly file: string;
    readonly member: string;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({ title: hostileText, description: hostileText, file: hostileName, member: hostileName });

const scratch = scratchFolder('kra-fuzz-output-');
let counter = 0;

function workspace(c: Case): string {
    const kra = `organisation acme "${c.title}" {
  effective 2026-01-01
  review quarterly
}

metric calls "${c.title}" {
  unit count
  description "${c.description}"
}

kpi handled "${c.title}" {
  description "${c.description}"
  formula calls
  unit count
  higher is better
  target at least 10 count by 2026-12-31
  oops
}
`;
    return scratch.write(`case-${counter++}`, {
        [`${c.file}.kra`]: kra,
        'data/calls.csv': `period,team,calls\n2026-01,${c.member.replace(/[,"\r\n]/g, '_')},12\n2026-02,${c.member.replace(/[,"\r\n]/g, '_')},${c.description.includes('\u0007') ? '\u0007' : '8'}\n`
    });
}

export const outputProperty = fc.asyncProperty(caseArbitrary, async c => {
    const dir = workspace(c);
    const runs: Array<[string, KraRun]> = [
        ['check', await runKra(['check', dir])],
        ['check --format github', await runKra(['check', dir, '--format', 'github'])],
        ['fmt --check', await runKra(['fmt', '--check', dir])]
    ];
    for (const format of ['table', 'csv', 'markdown'] as const) {
        runs.push([`eval --format ${format}`, await runKra(['eval', dir, '--data', `${dir}/data`, '--allow-errors', '--format', format])]);
    }
    for (const [command, run] of runs) {
        expect(run.code, `${command}: ${run.stderr}`).not.toBeNull();
        for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
            // CSV ends its lines with CR LF; a CR anywhere else is unsafe.
            const found = UNSAFE.exec(text.replace(/\r\n/g, '\n'));
            expect(found, `kra ${command} printed U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} raw on ${stream}`).toBeNull();
        }
    }
});

if (MINUTES > 0) {
    describe('output fuzzing (long run)', () => {
        it(`runs fresh seeds for ${MINUTES} minute(s) and reports counterexamples`, async () => {
            const failures = await checkWithFreshSeeds('output fuzzing', 'workspaces', [{ name: 'hostile text in every output', property: outputProperty, numRuns: 5 }]);
            expect(failures).toEqual([]);
        }, MINUTES * 60_000 + 600_000);
    });
} else {
    describe('output fuzzing (CI seeds)', () => {
        it('hostile text in every output', async () => {
            await fc.assert(outputProperty, { numRuns: 4, seed: FIXED_SEED ?? 20261205, interruptAfterTimeLimit: 100_000, markInterruptAsFailure: true });
        }, 180_000);
    });
}
