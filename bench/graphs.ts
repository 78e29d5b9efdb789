/**
 * The graph benchmark (issue 14): hostile shapes of the formula and import graphs at growing
 * sizes, each through `kra` in a fresh process, with wall time, peak memory and output size.
 * Linear work shows as time that grows with the size, not with 2^size or size².
 *
 * - fan-out: KPI k(i) = k(i-1) + k(i-1), `kra eval` (2^size walks before the memo);
 * - KPI ring: k(i) uses k(i+1), the last the first, `kra check` (one report per loop);
 * - file ring: f(i).kra imports f(i+1).kra, `kra check` (98 s and 220 MB of output at 4,000 before).
 *
 *     npm run bench:graphs -- [--sizes 10,20,40,80] [--rings 500,1000,2000,4000]
 *
 * Not a test: it asserts nothing; the tests assert the behaviour (formula-graph.test.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KRA = path.join(ROOT, 'packages/cli/bin/kra.js');
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10,20,40,80' }, rings: { type: 'string', default: '500,1000,2000,4000' } } });
const sizes = values.sizes.split(',').map(Number);
const rings = values.rings.split(',').map(Number);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-bench-graphs-'));

function workspace(name: string, files: Record<string, string>): string {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
}

/** Wall seconds, peak RSS in MB (from /usr/bin/time) and stdout bytes of one kra run. */
function run(args: string[]): { seconds: number; rssMb: number; outBytes: number; code: number | null } {
    const started = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, KRA, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rss = Number(/(\d+)\s*$/.exec(result.stderr)?.[1] ?? 0) / 1024;
    return { seconds, rssMb: rss, outBytes: Buffer.byteLength(result.stdout), code: result.status };
}

const rows: string[][] = [['shape', 'size', 'command', 'exit', 'seconds', 'peak MB', 'stdout KB']];
const add = (shape: string, size: number, command: string, result: ReturnType<typeof run>) =>
    rows.push([shape, String(size), command, String(result.code), result.seconds.toFixed(2), result.rssMb.toFixed(0), (result.outBytes / 1024).toFixed(1)]);

for (const size of sizes) {
    const lines = ['metric calls "Calls" { unit count }'];
    for (let i = 0; i <= size; i++) {
        lines.push(`kpi k${i} "K${i}" { formula ${i === 0 ? 'calls' : `k${i - 1} + k${i - 1}`} unit count }`);
    }
    const dir = workspace(`fan-${size}`, { 'a.kra': lines.join('\n'), 'data.csv': 'period,team,calls\n2026-01,a,1\n2026-01,b,2\n2026-02,a,3\n' });
    add('fan-out', size, 'eval', run(['eval', dir, '--data', path.join(dir, 'data.csv'), '--format', 'json', '--allow-errors']));
}
for (const size of rings) {
    const lines = ['metric calls "Calls" { unit count }'];
    for (let i = 0; i < size; i++) {
        lines.push(`kpi k${i} { formula k${(i + 1) % size} + calls unit count }`);
    }
    add('KPI ring', size, 'check', run(['check', workspace(`kpi-ring-${size}`, { 'a.kra': lines.join('\n') }), '--quiet']));
    const files: Record<string, string> = {};
    for (let i = 0; i < size; i++) {
        files[`f${i}.kra`] = `import "./f${(i + 1) % size}.kra"\nmetric m${i} { unit count }\n`;
    }
    add('file ring', size, 'check', run(['check', workspace(`file-ring-${size}`, files), '--quiet']));
}

const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
for (const row of rows) {
    console.log(row.map((cell, column) => cell.padStart(widths[column])).join('  '));
}
fs.rmSync(work, { recursive: true, force: true });
