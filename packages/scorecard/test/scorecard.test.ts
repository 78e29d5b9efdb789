import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KraModel } from '@kra-lang/compiler';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';
import { focusPeriod } from '@kra-lang/semantics';
import {
    formatQuantity, goalText, RAG, renderReport, renderScorecard, statusChanges, statusOf, thresholdBands, timingText,
    trendChart, unitTable
} from '../src/index.js';
import { ScorecardData } from '../src/view.js';
import { contactCentre, REPO } from './example.js';

describe('the report document', () => {
    it('is the same string for the same input, whatever was drawn before', async () => {
        const { model, result } = await contactCentre();
        const first = await renderReport(model, result);
        // Charts drawn in between move ECharts' instance counters; the output must not change.
        trendChart(new ScorecardData(model, result), model.kpis[0]);
        const second = await renderReport(model, result);
        expect(second).toBe(first);
    });

    it('forbids every request and every script, and allows its own style sheet by hash', async () => {
        const { model, result } = await contactCentre();
        const html = await renderReport(model, result);
        const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
        expect(policy).toBeDefined();
        expect(policy).toContain("default-src 'none'");
        expect(policy).toContain("script-src 'none'");
        expect(policy).toContain("connect-src 'none'");
        const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(match => match[1]);
        expect(styles).toHaveLength(1);
        const hash = createHash('sha256').update(styles[0]).digest('base64');
        expect(policy).toContain(`style-src 'sha256-${hash}'`);
        // Nothing the policy would have to allow: no script, no style attribute, no URL to fetch.
        expect(html).not.toMatch(/<script/i);
        expect(html).not.toMatch(/\sstyle="/);
        expect(html).not.toMatch(/\s(src|href|xlink:href)="(?!#)/);
        expect(html).not.toMatch(/url\((?!#)/);
    });

    it('escapes every text from the model', async () => {
        const { model, result } = await contactCentre();
        const hostile = '<img src=x onerror=alert(1)>"&\'';
        const changed: KraModel = {
            ...model,
            organisation: model.organisation && { ...model.organisation, title: hostile },
            roles: model.roles.map(role => ({ ...role, title: hostile })),
            kpis: model.kpis.map(kpi => ({ ...kpi, title: hostile, description: hostile }))
        };
        const html = await renderReport(changed, result);
        expect(html).not.toContain('<img');
        expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&amp;&#39;');
    });

    it('shows each section of the contact-centre example, with a trend chart per evaluated KPI', async () => {
        const { model, result } = await contactCentre();
        const html = renderScorecard(model, result);
        for (const id of ['role-scores', 'scorecard', 'rollups', 'people', 'heat-period', 'heat-team', 'heat-client', 'trends', 'definitions']) {
            expect(html).toContain(`<section id="${id}"`);
        }
        const data = new ScorecardData(model, result);
        const figures = [...html.matchAll(/<figure class="chart trend" id="trend-([^"]+)"[^>]*>[\s\S]*?<\/figure>/g)];
        expect(figures.length).toBe(data.evaluatedKpis().length);
        for (const figure of figures) {
            expect(figure[0]).toMatch(/<svg[^>]*>[\s\S]*<path d="M/);
        }
    });

    it('shows each person\'s score and rating and every roll-up of the period, as the evaluation gives them', async () => {
        const { model, result } = await contactCentre();
        const html = renderScorecard(model, result);
        const data = new ScorecardData(model, result);
        const people = result.people.filter(person => person.period === data.period);
        // 30 people; jack_nolan moves team on 2026-12-16, so December has one row per assignment.
        expect(new Set(people.map(person => person.person)).size).toBe(30);
        const rows = [...html.matchAll(/<tr data-person="([^"]+)"(?: data-score="([^"]*)")?>([\s\S]*?)<\/tr>/g)];
        const key = (person: string, score: number | null) => `${person} ${score}`;
        expect(rows.map(row => key(row[1], row[2] === undefined ? null : Number(row[2]))).sort())
            .toEqual(people.map(person => key(person.person, person.score)).sort());
        for (const person of people) {
            const row = rows.find(candidate => candidate[1] === person.person && candidate[3].includes(`<td>${person.team ?? "—"}</td>`))!;
            expect(row[3]).toContain(person.rating ? `${person.rating.value} ${person.rating.label}` : person.ratingReason!);
        }
        const rollups = result.rollups.filter(rollup => rollup.period === data.period);
        expect(rollups.map(rollup => rollup.kind)).toContain('organisation');
        for (const rollup of rollups) {
            expect(html).toContain(`data-rollup="${rollup.kind}:${rollup.id ?? ''}"${rollup.score === null ? '' : ` data-score="${rollup.score}"`}>`);
        }
        expect(html).toContain('<h3 id="calibration">Calibration of ratings</h3>');
    });

    it('keeps months and quarters apart: a heat map per grain, each trend on one grain, and a reason for a KPI measured quarterly', async () => {
        const { model, result } = await contactCentre();
        const html = renderScorecard(model, result);
        const heat = html.slice(html.indexOf('<section id="heat-period"'), html.indexOf('</section>', html.indexOf('<section id="heat-period"')));
        const tables = [...heat.matchAll(/<h3>By ([a-z-]+)<\/h3>\n<div class="scroll"><table class="heat" data-grain="([a-z]+)">([\s\S]*?)<\/table>/g)];
        expect(tables.map(table => `${table[1]} ${table[2]}`)).toEqual(['month month', 'quarter quarter']);
        const columns = (table: string) => [...table.matchAll(/<th scope="col" class="period">([^<]+)<\/th>/g)].map(match => match[1]);
        expect(columns(tables[0][3]).every(id => /^\d{4}-\d{2}$/.test(id))).toBe(true);
        expect(columns(tables[1][3])).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
        // eNPS is measured quarterly: a row in the quarters' table only, and its trend has quarters on its axis.
        expect(tables[0][3]).not.toContain('data-kpi="hr.engagement.enps"');
        expect(tables[1][3]).toContain('data-kpi="hr.engagement.enps"');
        const data = new ScorecardData(model, result);
        expect(data.trendPeriods('hr.engagement.enps').map(period => period.grain)).toEqual(Array(8).fill('quarter'));
        expect(new Set(data.trendPeriods('operations.productivity.aht').map(period => period.grain))).toEqual(new Set(['month']));
        // The scorecard shows the last month, where eNPS has no value, and says why.
        expect(data.period).toBe('2026-12');
        expect(html).toContain('measured quarterly: no value for a month');
    });

    it('shows the period asked for, or the latest when the period is not evaluated', async () => {
        const { model, result } = await contactCentre();
        expect(renderScorecard(model, result, { period: '2025-06' })).toContain('Scorecard for <strong>2025-06</strong>');
        expect(renderScorecard(model, result, { period: '1999-01' })).toContain(`Scorecard for <strong>${focusPeriod(result.periods)!.id}</strong>`);
    });

    it('renders a workspace without roles or data without failing', async () => {
        const { model, result } = await contactCentre();
        const empty: EvaluationResult = { ...result, periods: [], kpis: [], kras: [], roles: [], dimensions: [] };
        const html = await renderReport({ ...model, roles: [] }, empty);
        expect(html).toContain('<div class="kra-scorecard">');
        expect(html).not.toContain('id="trends"');
    });
});

describe('thresholds and wording agree with the evaluator', () => {
    it('every evaluated value lies in the band of the status the evaluator gave it', async () => {
        const { model, result } = await contactCentre();
        const units = unitTable(model);
        const kpis = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
        let checked = 0;
        for (const row of result.kpis) {
            const kpi = kpis.get(row.kpi)!;
            const variant = row.variant ? kpi.variants.find(candidate => candidate.id === row.variant) : undefined;
            const thresholds = variant && variant.thresholds.length > 0 ? variant.thresholds : kpi.thresholds;
            if (row.value === null || row.status === null) {
                continue;
            }
            expect(statusOf(thresholds, row.value, row.unit, units), `${row.kpi} ${row.period} ${row.member ?? ''}`).toBe(row.status);
            const band = thresholdBands(thresholds, row.unit, units).find(candidate => candidate.from < row.value! && row.value! < candidate.to);
            if (band) {
                expect(band.status, `${row.kpi} ${row.period} ${row.member ?? ''}`).toBe(row.status);
            }
            checked++;
        }
        expect(checked).toBeGreaterThan(1000);
    });

    it('states a target as the evaluation does', async () => {
        const { model, result } = await contactCentre();
        const units = unitTable(model);
        const kpis = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
        let checked = 0;
        for (const row of result.kpis) {
            if (!row.target || row.variant) {
                continue;
            }
            const targets = kpis.get(row.kpi)!.targets.filter(target => target.client === row.target!.client);
            const wordings = targets.flatMap(target => [
                { text: goalText(target.goal, units), timing: timingText(target.timing) },
                ...target.stages.map(stage => ({
                    text: goalText(target.goal.kind === 'change' ? { ...target.goal, change: stage.value } : target.goal.kind === 'between' ? target.goal : { ...target.goal, value: stage.value }, units),
                    timing: timingText(stage.timing)
                }))
            ]);
            expect(wordings, `${row.kpi} ${row.period}`).toContainEqual({ text: row.target.text, timing: row.target.timing ?? '' });
            checked++;
        }
        expect(checked).toBeGreaterThan(500);
    });

    it('bands cover the axis in order and merge neighbours of one status', () => {
        const units = new Map([['percent', { id: 'percent', title: null, symbol: '%', base: 'ratio', kind: 'ratio', factor: 0.01, builtin: true }]]);
        const bands = thresholdBands([
            { status: 'red', condition: { kind: 'otherwise' } },
            { status: 'green', condition: { kind: 'at-least', value: { value: 90, unit: 'percent' } } },
            { status: 'amber', condition: { kind: 'between', low: { value: 80, unit: 'percent' }, high: { value: 90, unit: 'percent' } } }
        ], 'percent', units);
        expect(bands).toEqual([
            { status: 'red', from: -Infinity, to: 80 },
            { status: 'amber', from: 80, to: 90 },
            { status: 'green', from: 90, to: Infinity }
        ]);
        // A threshold in a unit the KPI's values cannot be stated in gives no bands, as the evaluator gives no status.
        expect(thresholdBands([{ status: 'green', condition: { kind: 'at-least', value: { value: 9, unit: 'seconds' } } }], 'percent', units)).toEqual([]);
    });
});

describe('status', () => {
    it('is never shown by colour alone, and its text has a contrast of at least 4.5:1', () => {
        const icons = new Set(Object.values(RAG).map(style => style.icon));
        const labels = new Set(Object.values(RAG).map(style => style.label));
        expect(icons.size).toBe(3);
        expect(labels.size).toBe(3);
        for (const style of Object.values(RAG)) {
            expect(contrast(style.ink, style.fill)).toBeGreaterThanOrEqual(4.5);
        }
    });

    it('lists the KPIs whose status an edit changed', async () => {
        const { model, result } = await contactCentre();
        const period = focusPeriod(result.periods)!.id;
        const target = result.kpis.find(row => row.period === period && row.dimension === null && row.variant === null && row.status === 'green')!;
        const after: EvaluationResult = { ...result, kpis: result.kpis.map(row => (row === target ? { ...row, status: 'red' } : row)) };
        expect(statusChanges(model, result, after)).toEqual([{ kpi: target.kpi, title: model.kpis.find(kpi => kpi.id === target.kpi)!.title ?? target.kpi, before: 'green', after: 'red' }]);
        expect(statusChanges(model, result, result)).toEqual([]);
    });
});

describe('units', () => {
    it('reads a unit given as a structured object as well as an id', () => {
        const units = new Map([['seconds', { id: 'seconds', title: 'seconds', symbol: 's', base: 'seconds', kind: 'time', factor: 1, builtin: true }]]);
        expect(formatQuantity(380.84, 'seconds', units)).toBe('380.8 s');
        expect(formatQuantity(380.84, { id: 'seconds' }, units)).toBe('380.8 s');
        expect(formatQuantity(81.44, { id: 'percent' }, units)).toBe('81.4%');
        expect(formatQuantity(null, 'seconds', units)).toBe('—');
    });
});

describe('the package', () => {
    it('is browser-safe: it imports no Node.js module and no parser at run time', () => {
        const dir = path.join(REPO, 'packages/scorecard/src');
        for (const file of readdirSync(dir)) {
            const text = readFileSync(path.join(dir, file), 'utf8');
            const runtime = [...text.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gm)].map(match => match[1]);
            for (const specifier of runtime) {
                // The semantics kernel is browser-safe by its own test (no Node.js, no langium).
                expect(specifier, `${file} imports ${specifier}`).toMatch(/^(\.\/|echarts\/|@kra-lang\/semantics$)/);
            }
        }
    });
});

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
    const luminance = (hex: string) => {
        const [r, g, bl] = [1, 3, 5].map(index => parseInt(hex.slice(index, index + 2), 16) / 255)
            .map(channel => (channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
}
