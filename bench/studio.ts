/**
 * KRA Studio in Chromium on the contact-centre example, through `kra studio`: the time from
 * opening the page to the first diagnostics and to the first scorecard, edit → scorecard update,
 * and the bytes the page and its worker transfer. Needs `npm run build` and /usr/bin/chromium.
 *
 *     npm run bench:studio [-- --edits 10]
 *
 * Prints a Markdown table (docs/performance.md) and writes bench/results/studio.json.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launchChromium, startStudio } from '../packages/web/test/browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { edits: { type: 'string', default: '10' } } });
const edits = Number(values.edits);

const workspace = mkdtempSync(path.join(os.tmpdir(), 'kra-bench-studio-'));
cpSync(path.join(ROOT, 'examples', 'contact-centre'), workspace, { recursive: true });
const studio = await startStudio(workspace);
const browser = await launchChromium();
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)];

try {
    const page = await browser.context.newPage();
    const opened = performance.now();
    await page.goto(studio.url);
    await page.waitForFunction(() => (document.getElementById('problems-summary')?.textContent ?? '') !== '', null, { timeout: 120_000 });
    const firstDiagnostics = performance.now() - opened;
    await page.waitForFunction(() => document.getElementById('scorecard-panel')?.dataset.state === 'evaluated', null, { timeout: 120_000 });
    const firstScorecard = performance.now() - opened;

    // Each edit changes a KPI's target and waits for the scorecard that follows it.
    const file = 'operations.kra';
    await page.locator(`#files [data-path="${file}"]`).click();
    const updates: number[] = [];
    /** Of each update, the worker's part: compiling, evaluating and rendering the scorecard. */
    const workerTimes: number[] = [];
    for (let index = 0; index < edits; index++) {
        const before = await page.evaluate(() => (window as unknown as { kraStudio: { panel: { count: number } } }).kraStudio.panel.count);
        await page.evaluate(() => {
            const view = (window as unknown as { kraStudio: { studio: { view: { state: { doc: { toString(): string } }; dispatch(spec: object): void; focus(): void } } } }).kraStudio.studio.view;
            const at = view.state.doc.toString().indexOf('target at least 76%');
            view.dispatch({ selection: { anchor: at + 'target at least 7'.length, head: at + 'target at least 76'.length } });
            view.focus();
        });
        const started = performance.now();
        await page.keyboard.type(String(index % 10));
        await page.waitForFunction(count => {
            const studio = (window as unknown as { kraStudio: { panel: { count: number } } }).kraStudio;
            return studio.panel.count > count && document.getElementById('scorecard-panel')?.dataset.state === 'evaluated';
        }, before, { timeout: 120_000 });
        updates.push(performance.now() - started);
        workerTimes.push(Number(/\((\d+) ms\)/.exec(await page.locator('#scorecard-panel .scorecard-state').textContent() ?? '')?.[1] ?? NaN));
        await page.keyboard.press('Control+z');
        await page.waitForFunction(count => (window as unknown as { kraStudio: { panel: { count: number } } }).kraStudio.panel.count > count + 1, before, { timeout: 120_000 });
    }

    const dist = path.join(ROOT, 'packages', 'web', 'dist');
    const files = ['index.html', 'studio.css', 'app.js', 'worker.js'];
    const sizes = files.map(name => {
        const bytes = readFileSync(path.join(dist, name));
        return { file: name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const result = {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, load: os.loadavg() },
        workspace: 'examples/contact-centre',
        firstDiagnosticsMs: Math.round(firstDiagnostics),
        firstScorecardMs: Math.round(firstScorecard),
        editToScorecardMs: { median: Math.round(median(updates)), p95: Math.round(p95(updates)), samples: updates.map(Math.round) },
        evaluateAndRenderMs: { median: Math.round(median(workerTimes)), samples: workerTimes },
        sizes
    };
    writeFileSync(path.join(ROOT, 'bench', 'results', 'studio.json'), `${JSON.stringify(result, null, 2)}\n`);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    console.log('| Measure | Result |\n|---|---|');
    console.log(`| Open → first diagnostics | ${result.firstDiagnosticsMs} ms |`);
    console.log(`| Open → first scorecard | ${result.firstScorecardMs} ms |`);
    console.log(`| Edit → scorecard update (${edits} edits) | median ${result.editToScorecardMs.median} ms, p95 ${result.editToScorecardMs.p95} ms |`);
    console.log(`| of which compile, evaluate, render in the worker | median ${result.evaluateAndRenderMs.median} ms |`);
    for (const size of sizes) {
        console.log(`| ${size.file} | ${kib(size.bytes)} as kra studio sends it (uncompressed); ${kib(size.gzip)} from a host that gzips |`);
    }
} finally {
    await browser.close();
    await studio.stop();
    rmSync(workspace, { recursive: true, force: true });
}
