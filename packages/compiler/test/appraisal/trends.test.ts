import { beforeAll, describe, expect, it } from 'vitest';
import type { KraModel } from '../../src/model.js';
import { evaluateModel } from '../../src/evaluate/evaluate.js';
import type { EvaluationResult } from '../../src/evaluate/result.js';
import { validateEvaluation } from '../../src/evaluate/schema.js';
import { AGENTS_CSV, assignments, compileFixture, dataSet, FINANCE_CSV, TEAMS_CSV } from './fixture.js';

describe('trends (fixture.ts; bob red in June and July)', () => {
    let model: KraModel;
    let result: EvaluationResult;
    const trend = (subject: string, id: string, member: string | null, period = '2026-07') =>
        result.trends.find(entry => entry.subject === subject && entry.id === id && entry.member === member && entry.period === period)!;

    beforeAll(async () => {
        model = await compileFixture();
        // bob: June 28/40 = 70% (red), July 35/50 = 70% (red).
        const agents = AGENTS_CSV.replace('2026-06,bob,north,40,36', '2026-06,bob,north,40,28');
        result = evaluateModel(model, dataSet({ 'agents.csv': agents, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }), { assignments: assignments().assignments });
        expect(validateEvaluation(result)).toEqual([]);
    });

    it('gives a KPI\'s change against the previous period and last year, in its unit', () => {
        // Total CSAT: June (30 + 28 + 60) / 160 = 73.75%, July 80%: +6.25 points. No 2025-07 data.
        expect(trend('kpi', 'ops.experience.csat', null)).toEqual({
            period: '2026-07', subject: 'kpi', id: 'ops.experience.csat', member: null, value: 80,
            previous: { period: '2026-06', value: 73.75, change: 6.25 },
            lastYear: { period: '2025-07', value: null, change: null },
            redStreak: 0
        });
    });

    it('counts the periods in a row a KPI has been red', () => {
        expect(trend('kpi', 'ops.experience.csat', 'agent bob').redStreak).toBe(2);
        expect(trend('kpi', 'ops.experience.csat', 'agent bob', '2026-06').redStreak).toBe(1);
        expect(trend('kpi', 'ops.experience.csat', 'agent ann').redStreak).toBe(0);
        // June's total, 73.75%, is red; July's is green.
        expect(trend('kpi', 'ops.experience.csat', null, '2026-06').redStreak).toBe(1);
    });

    it('gives scores\' changes: KRAs, roles, people (by role) and roll-ups', () => {
        // ann: June CSAT 75% → 93.75 and north's AHT 360 s → 100: 96.875; July 116.25.
        expect(trend('person', 'ann', 'agent')).toMatchObject({ value: 116.25, previous: { value: 96.875, change: 19.375 }, redStreak: null });
        expect(trend('organisation', 'acme', null).previous.change).not.toBeNull();
        expect(trend('kra', 'ops.experience', null).previous).toEqual({ period: '2026-06', value: 92.1875, change: 7.8125 });
    });

    it('gives the same trends for one period asked for, evaluating the earlier periods without reporting them', () => {
        const agents = AGENTS_CSV.replace('2026-06,bob,north,40,36', '2026-06,bob,north,40,28');
        const narrowed = evaluateModel(model, dataSet({ 'agents.csv': agents, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }),
            { periods: ['2026-07'], assignments: assignments().assignments });
        expect(narrowed.periods.map(period => period.id)).toEqual(['2026-07']);
        expect(new Set([...narrowed.kpis, ...narrowed.people, ...narrowed.rollups, ...narrowed.trends].map(entry => entry.period))).toEqual(new Set(['2026-07']));
        expect(narrowed.trends).toEqual(result.trends.filter(entry => entry.period === '2026-07'));
        expect(validateEvaluation(narrowed)).toEqual([]);
    });
});
