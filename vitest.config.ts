import { defineConfig } from 'vitest/config';

/**
 * `npm test`: every test but the long runs. The fuzzers' and the soak's fixed-seed CI runs take
 * a minute of their own; they run with `npm run test:long` (vitest.long.config.ts), which CI
 * runs too.
 */
export const LONG_RUNS = ['test/fuzz/**/*.test.ts', 'test/soak/**/*.test.ts'];

export default defineConfig({
    test: {
        include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['**/node_modules/**', ...LONG_RUNS],
        testTimeout: 30_000,
        pool: 'forks'
    }
});
