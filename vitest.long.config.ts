import { defineConfig } from 'vitest/config';
import { LONG_RUNS } from './vitest.config.js';

/** `npm run test:long`: the fuzzers' and the edit soak's fixed-seed runs, and packing and installing the packages (see vitest.config.ts). */
export default defineConfig({
    test: {
        include: LONG_RUNS,
        testTimeout: 120_000,
        pool: 'forks'
    }
});
