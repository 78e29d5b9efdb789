/**
 * Fuzzing the language server over the real protocol (see ./lsp.ts for what is generated and
 * checked). CI runs a fixed seed; `npm run fuzz -- --minutes N` runs fresh seeds for N minutes
 * (KRA_FUZZ_MINUTES), and KRA_FUZZ_SEED=<seed> npx vitest run test/fuzz/lsp.test.ts replays one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWithFreshSeeds, FIXED_SEED, MINUTES } from './fresh-seeds.js';
import { runSequence, sequenceArb } from './lsp.js';

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
            const failures = await checkWithFreshSeeds('language server fuzzing', 'sequences', [{ name: 'language server', property: serverProperty(60), numRuns: 20 }]);
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
