/**
 * The long runs of `npm run fuzz -- --minutes N`: fast-check properties checked with fresh
 * seeds until the time is up, each counterexample printed with the seed and path that find it
 * again. Shared by the document fuzzer (fuzz.test.ts) and the language server's (lsp.test.ts).
 */
import fc from 'fast-check';

/** KRA_FUZZ_MINUTES: how long to run fresh seeds; 0 (the default) runs the fixed CI seeds. */
export const MINUTES = Number(process.env.KRA_FUZZ_MINUTES ?? 0);
/** KRA_FUZZ_SEED: the one seed to run (to replay a counterexample). */
export const FIXED_SEED = process.env.KRA_FUZZ_SEED === undefined ? undefined : Number(process.env.KRA_FUZZ_SEED);

export interface FuzzedProperty {
    readonly name: string;
    readonly property: fc.IAsyncProperty<any>;
    /** Runs per seed. */
    readonly numRuns: number;
}

/**
 * Checks the properties in turn, a fresh seed each time, for `minutes`; prints every
 * counterexample as it is found and a count of `what` (workspaces, sequences) at the end.
 * Returns the counterexample reports.
 */
export async function checkWithFreshSeeds(label: string, what: string, properties: readonly FuzzedProperty[]): Promise<string[]> {
    const deadline = Date.now() + MINUTES * 60_000;
    const failures: string[] = [];
    let runs = 0;
    for (let round = 0; Date.now() < deadline; round++) {
        const { name, property, numRuns } = properties[round % properties.length];
        const seed = FIXED_SEED ?? (Date.now() ^ Math.floor(Math.random() * 0x7FFFFFFF));
        const details = await fc.check(property, { numRuns, seed, interruptAfterTimeLimit: Math.max(1000, deadline - Date.now()), markInterruptAsFailure: false });
        runs += details.numRuns;
        if (details.failed) {
            const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
            const report = `${fc.defaultReportMessage(details) ?? `failed with seed ${seed}`}\nCause: ${cause}`;
            failures.push(`${name}, seed ${seed}:\n${report}`);
            process.stderr.write(`\n✖ counterexample (${name}, seed ${seed}, path ${details.counterexamplePath}):\n${report}\n`);
        }
    }
    process.stderr.write(`\n${label}: ${runs} ${what} in ${MINUTES} minute(s), ${failures.length} counterexample(s)\n`);
    return failures;
}
