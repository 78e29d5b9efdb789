#!/usr/bin/env node
// `npm run fuzz -- --minutes N [--seed S]`: runs the property-based tests of test/fuzz with
// fresh seeds for N minutes (default 10) and reports every counterexample with its seed: the
// documents through the pipeline (fuzz.test.ts) and the language server over the protocol
// (lsp.test.ts), side by side, the formula and import graphs (graphs.test.ts), and hostile text
// through every human-readable output of kra (hostile-output.test.ts).
import { longRunOptions, runVitest } from '../long-run.mjs';

const { minutes, seed } = longRunOptions('npm run fuzz -- [--minutes N] [--seed S]', { integers: ['seed'] });
process.stderr.write(`Fuzzing for ${minutes} minute(s)${seed === undefined ? ' with fresh seeds' : ` with seed ${seed}`}…\n`);
process.exit(runVitest(['test/fuzz/fuzz.test.ts', 'test/fuzz/lsp.test.ts', 'test/fuzz/graphs.test.ts', 'test/fuzz/hostile-output.test.ts'], {
    KRA_FUZZ_MINUTES: String(minutes),
    ...(seed === undefined ? {} : { KRA_FUZZ_SEED: String(seed) })
}, ['--maxWorkers=2']));
