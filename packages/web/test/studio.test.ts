/**
 * KRA Studio in a real browser (Debian's Chromium), opened through `kra studio` on a copy of
 * examples/hello with a second file and a data file (test/fixtures/hello-extra). One user's
 * session, step by step: each step starts from where the one before left the workspace.
 * Needs `npm run build`. With KRA_SCREENSHOTS=1 the screenshots of docs/studio.md are written
 * to docs/images/.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, REPO, startStudio, workspaceFrom } from './browser.js';

const SCREENSHOTS = process.env.KRA_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'images') : tmpdir();
const WAIT = { timeout: 60_000 };

describe.skipIf(!existsSync(CHROMIUM))('KRA Studio in Chromium, through kra studio', { timeout: 120_000 }, () => {
    let workspace: string;
    let studio: Awaited<ReturnType<typeof startStudio>>;
    let browser: Awaited<ReturnType<typeof launchChromium>>;
    let page: Page;
    const requests: string[] = [];
    const errors: string[] = [];

    beforeAll(async () => {
        workspace = workspaceFrom(path.join(REPO, 'examples', 'hello'), path.join(REPO, 'packages', 'web', 'test', 'fixtures', 'hello-extra'));
        writeFileSync(path.join(workspace, 'NOTES.md'), 'Not a workspace file.\n');
        studio = await startStudio(workspace);
        browser = await launchChromium();
        page = await browser.context.newPage();
        page.on('request', request => requests.push(request.url()));
        page.on('pageerror', error => errors.push(error.message));
        await page.goto(studio.url);
    }, 120_000);

    afterAll(async () => {
        await browser?.close();
        await studio?.stop();
        rmSync(workspace, { recursive: true, force: true });
    });

    /** The text of the file shown in the editor. */
    const editorText = () => page.evaluate(() => (window as unknown as { kraStudio: { studio: { view: { state: { doc: { toString(): string } } } } } }).kraStudio.studio.view.state.doc.toString());

    /** Puts the cursor on (or selects) the first occurrence of `text` after `after` in the editor. */
    async function select(text: string, options: { after?: string; collapse?: 'start' | 'end' } = {}): Promise<void> {
        await page.evaluate(({ text, after, collapse }) => {
            const view = (window as unknown as { kraStudio: { studio: { view: { state: { doc: { toString(): string } }; dispatch(spec: object): void; focus(): void } } } }).kraStudio.studio.view;
            const doc = view.state.doc.toString();
            const from = doc.indexOf(text, after ? doc.indexOf(after) : 0);
            if (from < 0) {
                throw new Error(`'${text}' is not in the editor`);
            }
            const to = from + text.length;
            const selection = collapse === 'start' ? { anchor: from } : collapse === 'end' ? { anchor: to } : { anchor: from, head: to };
            view.dispatch({ selection, scrollIntoView: true });
            view.focus();
        }, { text, after: options.after, collapse: options.collapse });
    }

    const panelState = () => page.locator('#scorecard-panel').getAttribute('data-state');

    it('opens the workspace: files, no problems, the scorecard of the data', async () => {
        await page.locator('#files [data-path="hello.kra"]').waitFor(WAIT);
        await expect.poll(panelState, WAIT).toBe('evaluated');
        expect(await page.locator('#files [role="treeitem"][data-path]').evaluateAll(items => items.map(item => (item as HTMLElement).dataset.path)))
            .toEqual(['data/calls.csv', 'hello.kra', 'quality.kra']);
        // A file the Studio does not edit is left out, and the page says so.
        await expect.poll(() => page.locator('#status').textContent()).toContain('NOTES.md');
        expect(await page.locator('#problems-summary').textContent()).toBe('No problems');
        const scorecard = page.locator('#scorecard-panel .scorecard-body');
        expect(await scorecard.textContent()).toContain('First contact resolution');
        // The charts are drawn.
        expect(await scorecard.locator('svg path').count()).toBeGreaterThan(0);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'studio-overview.png') });
    });

    it('an error shows a marker and a problem with its rule id and doc link', async () => {
        await select('weight 70%');
        await page.keyboard.type('weight 60%');
        const problem = page.locator('#problems-list .problem', { hasText: 'weights/sum' });
        await problem.first().waitFor(WAIT);
        expect(await problem.first().textContent()).toContain('Error');
        expect(await problem.first().locator('a.rule-id').getAttribute('href')).toMatch(/docs\/rules\/weights\/sum\.md$/);
        await page.locator('.cm-lintRange-error').first().waitFor(WAIT);
        await expect.poll(panelState, WAIT).toBe('invalid');
        expect(await page.locator('#scorecard-panel .scorecard-state').textContent()).toContain('error');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'studio-problem.png') });
    });

    it('applies a quick fix from the keyboard', async () => {
        // The problem is on the KRA: F8 goes to it, Ctrl+Shift+M lists it with its fixes.
        await select('kra problem_solving', { collapse: 'start' });
        await page.keyboard.press('Control+Shift+KeyM');
        const fix = page.locator('.cm-panel.cm-panel-lint button', { hasText: 'Rebalance the weights to 100%' });
        await fix.first().waitFor(WAIT);
        await fix.first().click();
        await expect.poll(editorText, WAIT).not.toContain('weight 60%');
        await expect.poll(() => page.locator('#problems-summary').textContent(), WAIT).toBe('No problems');
        // Back to the weights of the example, for the steps that follow.
        const text = await editorText();
        const weights = [...text.matchAll(/^ {6}weight (\S+)%$/gm)].map(match => match[1]);
        expect(weights.map(Number).reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(100, 5);
        await select(`weight ${weights[0]}%`);
        await page.keyboard.type('weight 70%');
        await select(`weight ${weights[1]}%`);
        await page.keyboard.type('weight 30%');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('#problems-summary').textContent(), WAIT).toBe('No problems');
    });

    it('completes a metric name', async () => {
        await select('fixed_first_time, calls', { collapse: 'start' });
        await page.keyboard.press('Shift+End');
        await page.keyboard.type('fixed_f');
        await page.keyboard.press('Control+Space');
        const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'fixed_first_time' });
        await option.first().waitFor(WAIT);
        // CodeMirror ignores Enter for 75 ms after the list appears (interactionDelay), so that a
        // list popping up under a typist's Enter does not swallow the new line.
        await page.waitForTimeout(150);
        await page.keyboard.press('Enter');
        await page.keyboard.type(', calls)');
        await expect.poll(editorText).toContain('formula safe_ratio(fixed_first_time, calls)');
        await expect.poll(() => page.locator('#problems-summary').textContent(), WAIT).toBe('No problems');
    });

    it('renames a KPI across files, and the tree opens the other file from the keyboard', async () => {
        await select('fcr', { after: 'kpi fcr', collapse: 'end' });
        await page.keyboard.press('F2');
        const input = page.locator('.cm-lsp-rename-panel input[name=name]');
        await input.waitFor(WAIT);
        await input.fill('first_contact_resolution');
        await input.press('Enter');
        await expect.poll(editorText, WAIT).toContain('kpi first_contact_resolution "First contact resolution"');
        const other = page.locator('#files [data-path="quality.kra"]');
        await expect.poll(() => other.getAttribute('aria-label'), WAIT).toContain('modified');
        await page.locator('#files [data-path="hello.kra"]').focus();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await expect.poll(editorText).toContain('measured by help_desk.problem_solving.first_contact_resolution weighted 100%');
        await page.locator('#files [data-path="hello.kra"]').click();
        await expect.poll(editorText).toContain('kpi first_contact_resolution');
        await expect.poll(() => page.locator('#problems-summary').textContent(), WAIT).toBe('No problems');
    });

    it('changing a target changes a KPI\'s status in the scorecard', async () => {
        await expect.poll(panelState, WAIT).toBe('evaluated');
        expect(await page.locator('#scorecard-panel .scorecard-body').textContent()).toContain('Green');
        await select('target at least 75%');
        await page.keyboard.type('target at least 80%');
        await select('green at least 75%');
        await page.keyboard.type('green at least 80%');
        const change = page.locator('#scorecard-panel .status-change[data-kpi="help_desk.problem_solving.first_contact_resolution"]');
        await expect.poll(() => change.textContent(), WAIT).toBe('First contact resolution (help_desk.problem_solving.first_contact_resolution): ● Green → ▲ Amber');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'studio-scorecard.png') });
    });

    it('data that does not parse is shown with file, row and column; the editor keeps working', async () => {
        await page.locator('#files [data-path="data/calls.csv"]').click();
        await select('4450');
        await page.keyboard.type('many');
        const problem = page.locator('#scorecard-panel .data-problem');
        await problem.first().waitFor(WAIT);
        expect(await problem.first().textContent()).toContain('data/calls.csv, row 3, column 2');
        await select('many');
        await page.keyboard.type('4450');
        await expect.poll(panelState, WAIT).toBe('evaluated');
    });

    it('saves, and the changes are on disk', async () => {
        await page.locator('#files [data-path="hello.kra"]').click();
        await page.locator('.cm-content').focus();
        await page.keyboard.press('Control+s');
        await expect.poll(() => page.locator('#status').textContent(), WAIT).toMatch(/^Saved \d files?\.$/);
        const hello = readFileSync(path.join(workspace, 'hello.kra'), 'utf8');
        expect(hello).toContain('kpi first_contact_resolution "First contact resolution"');
        expect(hello).toContain('green at least 80%');
        expect(readFileSync(path.join(workspace, 'quality.kra'), 'utf8')).toContain('measured by help_desk.problem_solving.first_contact_resolution weighted 100%');
        expect(readFileSync(path.join(workspace, 'data', 'calls.csv'), 'utf8')).toBe(readFileSync(path.join(REPO, 'packages', 'web', 'test', 'fixtures', 'hello-extra', 'data', 'calls.csv'), 'utf8'));
        expect(await page.locator('#files [aria-label*="modified"]').count()).toBe(0);
    });

    it('refuses a zip bomb and files that are not workspace files', async () => {
        const bomb = zipSync({ 'hello.kra': strToU8('organisation bomb "Bomb" {}\n'), 'big.csv': new Uint8Array(80 * 1024 * 1024).fill(48), 'run.sh': strToU8('echo hi\n') }, { level: 9 });
        const file = path.join(tmpdir(), `kra-bomb-${process.pid}.zip`);
        writeFileSync(file, bomb);
        try {
            expect(bomb.length).toBeLessThan(1024 * 1024);
            await page.setInputFiles('#upload', file);
            await expect.poll(() => page.locator('#status').textContent(), WAIT).toContain('Left out 2');
            const status = await page.locator('#status').textContent();
            expect(status).toContain('big.csv (it is larger than 5 MB');
            expect(status).toContain('run.sh (only .kra files');
            expect(await page.locator('#files [data-path]').evaluateAll(items => items.map(item => (item as HTMLElement).dataset.path))).toEqual(['hello.kra']);
        } finally {
            rmSync(file, { force: true });
        }
    });

    it('made no request outside the page\'s own server, and no script error', () => {
        const origin = new URL(studio.url).origin;
        expect(requests.filter(url => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
        expect(errors).toEqual([]);
    });
});
