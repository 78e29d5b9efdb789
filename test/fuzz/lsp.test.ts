/**
 * Fuzzing the language server over the real protocol (see ./lsp.ts for what is generated and
 * checked). CI runs a fixed seed; `npm run fuzz -- --minutes N` runs fresh seeds for N minutes
 * (KRA_FUZZ_MINUTES), and KRA_FUZZ_SEED=<seed> npx vitest run test/fuzz/lsp.test.ts replays one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSequence, sequenceArb } from './lsp.js';

const MINUTES = Number(process.env.KRA_FUZZ_MINUTES ?? 0);
const FIXED_SEED = process.env.KRA_FUZZ_SEED === undefined ? undefined : Number(process.env.KRA_FUZZ_SEED);

/** Each run starts a server on a fresh copy of the workspace, plays the actions and checks. */
export const serverProperty = (maxLength: number): fc.IAsyncProperty<[ReturnType<typeof sequenceArb> extends fc.Arbitrary<infer T> ? T : never]> =>
    fc.asyncProperty(sequenceArb(maxLength), async actions => {
        await runSequence(actions);
    });

/** A fixed seed for CI: the same sequences every run, so a failure is reproducible. */
const CI_SEED = 20261122;

if (MINUTES > 0) {
    describe('language server fuzzing (long run)', () => {
        it(`runs fresh seeds for ${MINUTES} minute(s) and reports counterexamples`, async () => {
            const deadline = Date.now() + MINUTES * 60_000;
            const failures: string[] = [];
            let runs = 0;
            while (Date.now() < deadline) {
                const seed = FIXED_SEED ?? (Date.now() ^ Math.floor(Math.random() * 0x7FFFFFFF));
                const details = await fc.check(serverProperty(60), {
                    numRuns: 20, seed, interruptAfterTimeLimit: Math.max(1000, deadline - Date.now()), markInterruptAsFailure: false
                });
                runs += details.numRuns;
                if (details.failed) {
                    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
                    const report = `${fc.defaultReportMessage(details) ?? `failed with seed ${seed}`}\nCause: ${cause}`;
                    failures.push(`language server, seed ${seed}:\n${report}`);
                    process.stderr.write(`\n✖ counterexample (language server, seed ${seed}, path ${details.counterexamplePath}):\n${report}\n`);
                }
            }
            process.stderr.write(`\nlanguage server fuzzing: ${runs} sequences in ${MINUTES} minute(s), ${failures.length} counterexample(s)\n`);
            expect(failures).toEqual([]);
        }, MINUTES * 60_000 + 600_000);
    });
} else {
    describe('language server fuzzing (CI seed)', () => {
        it('the server stays up, answers every request, and ends with the diagnostics of a fresh build', async () => {
            // Shrinking restarts the server for each candidate: CI reports the smallest found in time.
            await fc.assert(serverProperty(40), { numRuns: 8, seed: FIXED_SEED ?? CI_SEED, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true });
        }, 180_000);
    });
}
