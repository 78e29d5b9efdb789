#!/usr/bin/env node
// `npm run soak -- [--minutes N]`: the language server edit soak of test/soak for N minutes
// (default 10). Exits 1, with the figures, when the server's memory grows beyond the bound,
// the server exits, or a request is not answered; 0 when memory stayed bounded.
import { longRunOptions, runVitest } from '../long-run.mjs';

const { minutes } = longRunOptions('npm run soak -- [--minutes N]');
process.stderr.write(`Soaking the language server for ${minutes} minute(s)…\n`);
const status = runVitest(['test/soak/soak.test.ts'], { KRA_SOAK_SECONDS: String(Math.round(minutes * 60)) });
if (status !== 0) {
    process.stderr.write('\nnpm run soak: FAILED (see the figures above: memory not bounded, the server exited, or a request went unanswered).\n');
}
process.exit(status === 0 ? 0 : 1);
