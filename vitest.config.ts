import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * `npm test`: every test but the long runs. The fuzzers' and the soak's fixed-seed CI runs, and
 * the pack-and-install test (npm packs and installs every package), are long on their own; they
 * run with `npm run test:long` (vitest.long.config.ts), which CI runs too.
 *
 * At least two workers: vitest's default, one fewer than the cores, is a single worker on a
 * 2-core machine, and most test files spend much of their time waiting for a `kra` process, a
 * browser or a database (docs/performance.md, "Figures behind design choices").
 *
 * Test files share worker processes (`isolate: false`): starting a fresh worker and loading the
 * language core again for each file was a large share of the run on 2 cores
 * (docs/performance.md, "Figures behind design choices"). Tests keep no state between files:
 * each creates its own services, and the few that patch console restore it after each test.
 */
export const LONG_RUNS = ['test/fuzz/**/*.test.ts', 'test/soak/**/*.test.ts', 'test/package/**/*.test.ts'];

export default defineConfig({
    test: {
        include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['**/node_modules/**', ...LONG_RUNS],
        testTimeout: 30_000,
        pool: 'forks',
        maxWorkers: Math.max(2, availableParallelism() - 1),
        isolate: false
    }
});
