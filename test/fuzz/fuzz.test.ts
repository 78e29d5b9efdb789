/**
 * Property-based tests of the whole pipeline (docs/security.md): generated valid workspaces and
 * mutations of them go through parsing, linking, every rule, the formatter, the compiler and the
 * evaluator. In CI a few fixed seeds run (reproducible); `npm run fuzz -- --minutes N` runs the
 * same properties with fresh seeds for N minutes (KRA_FUZZ_MINUTES) and reports every
 * counterexample with the seed that finds it again (KRA_FUZZ_SEED=<seed> npx vitest run test/fuzz).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWithFreshSeeds, FIXED_SEED, MINUTES } from './fresh-seeds.js';
import { dataArbitrary, validWorkspace } from './generate.js';
import { mutatedWorkspace } from './mutate.js';
import { checkWorkspace } from './properties.js';

/** What a property runs on: the files, CSV data for their metrics, and for a broken workspace what broke it. */
interface Input {
    readonly files: Record<string, string>;
    readonly data: string;
    readonly mutations?: unknown;
}

/** Valid workspaces: everything holds, including formatter idempotence and deterministic output. */
export const validProperty = fc.asyncProperty(
    validWorkspace.chain(workspace => dataArbitrary(workspace.metrics).map((data): Input => ({ files: workspace.files, data }))),
    async ({ files, data }) => {
        await checkWorkspace(files, { valid: true, data });
    }
);

/** Broken workspaces: nothing throws, diagnostics stay inside their documents, output matches the schema. */
export const mutatedProperty = fc.asyncProperty(
    mutatedWorkspace.chain(workspace => dataArbitrary(workspace.original.metrics).map((data): Input => ({ files: workspace.files, data, mutations: workspace.mutations }))),
    async ({ files, data }) => {
        await checkWorkspace(files, { valid: false, data });
    }
);

const PROPERTIES = [
    { name: 'valid workspaces', property: validProperty, runs: 40 },
    { name: 'mutated workspaces', property: mutatedProperty, runs: 80 }
] as const;

/** Fixed seeds for CI: the same workspaces every run, so a failure is reproducible. */
const CI_SEEDS = [20261122, 8];

if (MINUTES > 0) {
    describe('fuzzing (long run)', () => {
        it(`runs fresh seeds for ${MINUTES} minute(s) and reports counterexamples`, async () => {
            const failures = await checkWithFreshSeeds('fuzzing', 'workspaces', PROPERTIES.map(({ name, property }) => ({ name, property, numRuns: 50 })));
            expect(failures).toEqual([]);
        }, MINUTES * 60_000 + 600_000);
    });
} else {
    describe('fuzzing (CI seeds)', () => {
        for (const { name, property, runs } of PROPERTIES) {
            it(name, async () => {
                for (const seed of FIXED_SEED !== undefined ? [FIXED_SEED] : CI_SEEDS) {
                    // Shrinking a counterexample can take minutes; CI reports the smallest found in time.
                    await fc.assert(property, { numRuns: Math.ceil(runs / CI_SEEDS.length), seed, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: true });
                }
            }, 120_000);
        }
    });
}
