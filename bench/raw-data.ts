/**
 * The raw-data benchmark: writes N raw call rows (10 million by default) as Parquet, then times
 * `kra eval --data` on them (DuckDB aggregates, the evaluator computes the KPIs) against a
 * hand-written DuckDB query of the same aggregates, in the same run: on an open connection in
 * this process, and as a program of its own. Prints rows per second, kra's peak memory (from
 * /usr/bin/time) and the ratios. Not a test: figures go into docs/performance.md.
 *
 *     npm run bench:raw -- [--rows 10000000]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KRA = path.join(ROOT, 'packages/cli/bin/kra.js');
const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000000' } } });
const rows = Number(values.rows);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-bench-raw-'));

const WORKSPACE = `
source calls "Calls" {
  file "calls.parquet"
  period from started_at
  team from team
  client from client
  column started_at is timestamp
  column team is text
  column client is text
  column outcome is text
  column talk_seconds is number
  column answered_after is number
}
metric offered "Calls offered" { unit count additive measured as count of calls }
metric handled "Calls handled" { unit count additive measured as count of calls where outcome = "handled" }
metric answered_in_20s "Answered in 20 s" { unit count additive measured as count of calls where outcome = "handled" and answered_after < 20 }
metric talk "Talk time" { unit seconds additive measured as sum of talk_seconds in calls where outcome = "handled" }
metric abandoned "Abandoned" { unit count additive measured as count of calls where outcome = "abandoned" }
kpi aht "AHT" { formula safe_ratio(talk, handled) unit seconds }
kpi service_level "Service level" { formula safe_ratio(answered_in_20s, offered) unit % }
kpi abandonment "Abandonment" { formula safe_ratio(abandoned, offered) unit % }
`;

const HAND_WRITTEN = (file: string) => `
SELECT strftime(CAST(started_at AS DATE), '%Y-%m') AS period, team, client,
       count(*) AS offered,
       count(*) FILTER (WHERE outcome = 'handled') AS handled,
       count(*) FILTER (WHERE outcome = 'handled' AND answered_after < 20) AS answered_in_20s,
       sum(talk_seconds) FILTER (WHERE outcome = 'handled') AS talk,
       count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned
FROM read_parquet('${file.replace(/'/g, "''")}')
GROUP BY ALL`;

/**
 * The hand-written query as a program of its own, as someone without kra would run it: Node
 * starts, loads DuckDB, opens a database, runs the query and prints the rows as JSON. It pays
 * the same start-up as kra's DuckDB part, so the ratio to it is the cost of kra itself.
 */
const HAND_PROGRAM = (file: string) => `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const rows = (await connection.runAndReadAll(${JSON.stringify(HAND_WRITTEN(file))})).getRowObjectsJS();
process.stdout.write(JSON.stringify(rows, (key, value) => typeof value === 'bigint' ? Number(value) : value));
`;

const RUNS = 3;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** Runs a command under /usr/bin/time: wall seconds and peak RSS in MB. */
function timed(args: string[]): { seconds: number; peakMb: number } {
    const start = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, cwd: ROOT });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) {
        throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
    }
    return { seconds, peakMb: Number(run.stderr.trim().split('\n').pop()) / 1024 };
}

async function main(): Promise<void> {
    const file = path.join(work, 'calls.parquet');
    fs.writeFileSync(path.join(work, 'ws.kra'), WORKSPACE);
    // In the repository, so that the program finds @duckdb/node-api in node_modules.
    const program = path.join(ROOT, 'bench', `.hand-written-${process.pid}.mjs`);
    fs.writeFileSync(program, HAND_PROGRAM(file));
    try {
        const instance = await DuckDBInstance.create(':memory:');
        const connection = await instance.connect();
        const start = performance.now();
        await connection.run(`COPY (
            SELECT TIMESTAMP '2025-01-01' + to_seconds(CAST((i * 7919) % (730 * 86400) AS BIGINT)) AS started_at,
                   ['leeds_a', 'leeds_b', 'cebu_a', 'cebu_b'][1 + i % 4] AS team,
                   CASE WHEN i % 4 < 2 THEN 'globex' ELSE 'initech' END AS client,
                   CASE WHEN hash(i) % 10 = 0 THEN 'abandoned' ELSE 'handled' END AS outcome,
                   CAST(60 + hash(i * 3) % 600 AS DOUBLE) AS talk_seconds,
                   CAST(hash(i * 5) % 60 AS DOUBLE) AS answered_after
            FROM range(${rows}) t(i)
        ) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`);
        console.log(`generated ${rows.toLocaleString('en')} rows in ${((performance.now() - start) / 1000).toFixed(1)} s: ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`);

        // The three measures take turns, RUNS times, so that a busy moment of the machine does
        // not fall on one of them only; each figure is the median.
        const inProcess: number[] = [];
        const alone: number[] = [];
        const kra: number[] = [];
        const kraPeak: number[] = [];
        let aggregateRows = 0;
        for (let run = 0; run < RUNS; run++) {
            const queryStart = performance.now();
            aggregateRows = (await connection.runAndReadAll(HAND_WRITTEN(file))).getRowObjectsJS().length;
            inProcess.push((performance.now() - queryStart) / 1000);
            alone.push(timed([program]).seconds);
            const kraRun = timed([KRA, 'eval', work, '--data', file, '--format', 'json', '--allow-errors']);
            kra.push(kraRun.seconds);
            kraPeak.push(kraRun.peakMb);
        }
        connection.closeSync();
        instance.closeSync();
        const kraSeconds = median(kra);
        console.log(`hand-written DuckDB query on an open connection: ${median(inProcess).toFixed(2)} s (${aggregateRows} aggregate rows)`);
        console.log(`hand-written DuckDB query as a program (node, DuckDB, query, JSON): ${median(alone).toFixed(2)} s`);
        console.log(`kra eval: ${kraSeconds.toFixed(2)} s, ${Math.round(rows / kraSeconds).toLocaleString('en')} rows/s, peak memory ${Math.max(...kraPeak).toFixed(0)} MB`);
        console.log(`ratio kra eval / query on an open connection: ${(kraSeconds / median(inProcess)).toFixed(2)}×`);
        console.log(`ratio kra eval / query as a program: ${(kraSeconds / median(alone)).toFixed(2)}× (aim ≤ 1.2×)`);
        console.log(`(medians of ${RUNS} runs each, taken in turn)`);
    } finally {
        fs.rmSync(program, { force: true });
    }
}

try {
    await main();
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}
