/**
 * The report in a real browser: Debian's Chromium, driven by playwright-core (CI installs
 * Chromium in .ci/run). The report of the contact-centre example is opened from disk, and the
 * test checks that the charts are drawn, that the numbers are those of `kra eval --format json`,
 * that no request leaves the page and that it prints to PDF.
 *
 * With KRA_SCREENSHOTS=<folder> it also saves the screenshots docs/report.md shows:
 *   KRA_SCREENSHOTS=docs/images npx vitest run packages/cli/test/report-browser.test.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focusPeriod, type EvaluationResult } from '@kra-lang/compiler/evaluate';
import type { KraModel } from '@kra-lang/compiler';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const EXAMPLE = ['examples/contact-centre', '--data', 'examples/contact-centre/data'];
const scratch = scratchFolder('kra-report-browser-');

let context: BrowserContext;
let page: Page;
let profile: string;
let result: EvaluationResult;
let model: KraModel;
let reportUrl: string;
const requests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does.`);
    }
    const out = path.join(scratch.root, 'report.html');
    const report = await runKra(['report', ...EXAMPLE, '--out', out]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const evaluation = await runKra(['eval', ...EXAMPLE, '--format', 'json']);
    expect(evaluation.code).toBe(0);
    result = JSON.parse(evaluation.stdout) as EvaluationResult;
    const build = await runKra(['build', 'examples/contact-centre', '--out', path.join(scratch.root, 'model')]);
    expect(build.code).toBe(0);
    model = JSON.parse(readFileSync(path.join(scratch.root, 'model/kra-model.json'), 'utf8')) as KraModel;

    profile = mkdtempSync(path.join(tmpdir(), 'kra-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: 900 }
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on('request', request => requests.push(request.url()));
    page.on('console', message => {
        if (message.type() === 'error' || message.type() === 'warning') {
            consoleErrors.push(message.text());
        }
    });
    page.on('pageerror', error => consoleErrors.push(error.message));
    reportUrl = pathToFileURL(out).href;
    await page.goto(reportUrl, { waitUntil: 'load' });
}, 180_000);

afterAll(async () => {
    await context?.close();
    if (profile) {
        rmSync(profile, { recursive: true, force: true });
    }
});

const latest = () => focusPeriod(result.periods)!.id;
const totals = (period: string) => result.kpis.filter(row => row.period === period && row.dimension === null && row.variant === null);

describe('the report in Chromium', { timeout: 120_000 }, () => {
    it('draws every chart: one non-empty SVG per KPI trend, and the role scores', async () => {
        const charts = await page.$$eval('figure.chart svg', svgs => svgs.map(svg => {
            const box = svg.getBoundingClientRect();
            return { id: svg.id, width: box.width, height: box.height, paths: svg.querySelectorAll('path').length, texts: svg.querySelectorAll('text').length };
        }));
        const kpisWithValues = new Set(result.kpis.filter(row => row.dimension === null && row.variant === null && row.value !== null).map(row => row.kpi));
        expect(charts.filter(chart => chart.id.startsWith('t-'))).toHaveLength(kpisWithValues.size);
        expect(charts.map(chart => chart.id)).toContain('role-scores');
        for (const chart of charts) {
            expect(chart.width, chart.id).toBeGreaterThan(200);
            expect(chart.height, chart.id).toBeGreaterThan(100);
            expect(chart.paths, chart.id).toBeGreaterThan(5);
            expect(chart.texts, chart.id).toBeGreaterThan(3);
        }
    });

    it('shows each KPI with its title and the value and status of kra eval --format json', async () => {
        const rows = await page.$$eval('#scorecard tr.kpi', trs => trs.map(tr => ({
            kpi: tr.getAttribute('data-kpi'),
            value: tr.getAttribute('data-value'),
            status: tr.getAttribute('data-status'),
            title: tr.querySelector('th')!.textContent!.trim(),
            shown: tr.querySelector('td.value')!.textContent!.trim(),
            badge: tr.querySelector('.rag')!.textContent!.trim(),
            note: tr.querySelector('.muted')?.textContent?.trim() ?? null
        })));
        const expected = totals(latest());
        const titles = new Map(model.kpis.map(kpi => [kpi.id, kpi.title ?? kpi.id]));
        // Every KPI some role carries is in the scorecard (a KPI of several roles, several times);
        // one measured quarterly has no value for the month shown, and says so.
        const carried = new Set(model.roles.flatMap(role => role.kras.flatMap(kra => kra.kpis.map(kpi => kpi.kpi))));
        expect(new Set(rows.map(row => row.kpi))).toEqual(carried);
        const unmeasured = rows.filter(row => !expected.some(candidate => candidate.kpi === row.kpi));
        expect(new Set(unmeasured.map(row => model.kpis.find(kpi => kpi.id === row.kpi)!.frequency))).toEqual(new Set(['quarterly']));
        for (const row of unmeasured) {
            expect([row.value, row.shown, row.badge, row.note], row.kpi!).toEqual([null, '—', '○ No status', 'measured quarterly: no value for a month']);
        }
        for (const row of rows.filter(candidate => !unmeasured.includes(candidate))) {
            const json = expected.find(candidate => candidate.kpi === row.kpi)!;
            expect(row.title, row.kpi!).toBe(titles.get(row.kpi!));
            expect(row.value === null ? null : Number(row.value), row.kpi!).toBe(json.value);
            expect(row.status, row.kpi!).toBe(json.status);
            const icon = json.status ? { green: '●', amber: '▲', red: '◆' }[json.status] : '○';
            expect(row.badge, row.kpi!).toBe(`${icon} ${json.status ? `${json.status[0].toUpperCase()}${json.status.slice(1)}` : 'No status'}`);
            // The number shown is the value, rounded.
            const shown = Number(/-?\d+(\.\d+)?/.exec(row.shown.replace(/,/g, ''))![0]);
            expect(Math.abs(shown - json.value!), `${row.kpi}: ${row.shown}`).toBeLessThanOrEqual(0.05);
        }
    });

    it('colours the heat map by period with the status of every KPI in every period', async () => {
        const cells = await page.$$eval('#heat-period td[data-kpi]', tds => tds.map(td => `${td.getAttribute('data-kpi')} ${td.getAttribute('data-period')} ${td.getAttribute('data-status')} ${td.getAttribute('data-value')}`));
        const expected = result.periods.flatMap(period => totals(period.id)).map(row => `${row.kpi} ${row.period} ${row.status ?? 'none'} ${row.value}`);
        expect(new Set(cells)).toEqual(new Set(expected));
        // Each cell carries a shape and a word for its status, not only a colour.
        const words = await page.$$eval('#heat-period td[data-kpi]', tds => tds.map(td => `${td.querySelector('.rag-icon')?.textContent}|${td.querySelector('.sr')?.textContent}`));
        expect(new Set(words)).toEqual(new Set(['●|Green', '▲|Amber', '◆|Red', '○|No status'].filter(word => words.includes(word))));
        expect(words.every(word => !word.includes('undefined'))).toBe(true);
    });

    it('shows the heat map by team with each member\'s status in the focus period', async () => {
        const cells = await page.$$eval('#heat-team td[data-member]', tds => tds.map(td => `${td.getAttribute('data-kpi')} ${td.getAttribute('data-member')} ${td.getAttribute('data-status')}`));
        const expected = result.kpis.filter(row => row.period === latest() && row.dimension === 'team' && row.variant === null).map(row => `${row.kpi} ${row.member} ${row.status ?? 'none'}`);
        expect(cells.length).toBeGreaterThan(0);
        expect(new Set(cells)).toEqual(new Set(expected));
    });

    it('sends no request: the only one is the file itself, and the policy blocked nothing it needed', async () => {
        expect(requests).toEqual([reportUrl]);
        expect(consoleErrors).toEqual([]);
        const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', meta => meta.getAttribute('content'));
        expect(policy).toContain("default-src 'none'");
    });

    it('prints to PDF', async () => {
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.length).toBeGreaterThan(50_000);
        expect(requests).toEqual([reportUrl]);
    });

    it('saves the screenshots for docs/report.md when KRA_SCREENSHOTS is set', async () => {
        const folder = process.env.KRA_SCREENSHOTS;
        if (!folder) {
            return;
        }
        const target = path.resolve(REPO, folder);
        mkdirSync(target, { recursive: true });
        await page.setViewportSize({ width: 1280, height: 760 });
        await page.screenshot({ path: path.join(target, 'report-top.png') });
        for (const [name, selector] of [['scorecard', '#scorecard article.role'], ['heat-map', '#heat-period'], ['heat-team', '#heat-team'], ['trends', '#trends .trend-grid'], ['definitions', '#definitions article.definition']] as const) {
            const element = page.locator(selector).first();
            await element.scrollIntoViewIfNeeded();
            const box = (await element.boundingBox())!;
            // The first screenful of a long section is enough for the docs.
            await page.screenshot({ path: path.join(target, `report-${name}.png`), fullPage: true, clip: { x: box.x, y: box.y + await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY), width: box.width, height: Math.min(box.height, 640) } });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
    });
});
