import { defineConfig } from 'vitest/config';

/**
 * `npm test`: every test but the long runs. The fuzzers' and the soak's fixed-seed CI runs are
 * long on their own; they run with `npm run test:long` (vitest.long.config.ts), which CI runs
 * too.
 *
 * Test files share worker processes (`isolate: false`): starting a fresh worker and loading the
 * language core again for each file was a large share of the run on 2 cores
 * (docs/performance.md, "Figures behind design choices"). Tests keep no state between files:
 * each creates its own services, and the few that patch console restore it after each test.
 */
export const LONG_RUNS = ['test/fuzz/**/*.test.ts', 'test/soak/**/*.test.ts'];

export default defineConfig({
    test: {
        include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['**/node_modules/**', ...LONG_RUNS],
        testTimeout: 30_000,
        pool: 'forks',
        isolate: false
    }
});
