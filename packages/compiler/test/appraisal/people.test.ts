import { beforeAll, describe, expect, it } from 'vitest';
import type { KraModel } from '../../src/model.js';
import { evaluateModel } from '../../src/evaluate/evaluate.js';
import type { EvaluationResult, PersonScore } from '../../src/evaluate/result.js';
import { validateEvaluation } from '../../src/evaluate/schema.js';
import { AGENTS_CSV, assignments, compileFixture, dataSet, FINANCE_CSV, TEAMS_CSV } from './fixture.js';

describe('per-person scores (known answers, fixture.ts)', () => {
    let model: KraModel;
    let result: EvaluationResult;
    const person = (name: string, period = '2026-07') => result.people.filter(score => score.person === name && score.period === period);
    const kpi = (score: PersonScore, id: string) => score.kpis.find(entry => entry.kpi === id)!;

    beforeAll(async () => {
        model = await compileFixture();
        result = evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }),
            { assignments: assignments().assignments });
    });

    it('validates against the published schema', () => {
        expect(validateEvaluation(result)).toEqual([]);
    });

    it('scores an agent on their own CSAT and their team\'s AHT, and says which', () => {
        const [ann] = person('ann');
        // CSAT 45/50 = 90% against at least 80%: 112.5. AHT of north 300 s against at most 360 s: 120.
        expect(kpi(ann, 'ops.experience.csat')).toMatchObject({ level: 'agent', member: 'ann', value: 90, achievement: 112.5, status: 'green' });
        expect(kpi(ann, 'ops.efficiency.aht')).toMatchObject({ level: 'team', member: 'north', value: 300, achievement: 120 });
        // 50% × 112.5 + 50% × 120 = 116.25: level 4 (from 105%).
        expect(ann).toMatchObject({ role: 'agent', department: 'ops', team: 'north', days: 31, share: 100, score: 116.25, rating: { value: 4, label: 'Exceeds' } });
        const [bob] = person('bob');
        // 35/50 = 70%: 87.5; with north's 120: 103.75, level 3.
        expect(bob).toMatchObject({ score: 103.75, rating: { value: 3, label: 'Meets' } });
        expect(kpi(bob, 'ops.experience.csat')).toMatchObject({ value: 70, achievement: 87.5, status: 'red' });
    });

    it('scores a team leader on the team\'s value of a KPI measured per agent, and organisation KPIs on the total', () => {
        const [dave] = person('dave');
        // North's CSAT: (45 + 35) / (50 + 50) = 80%: 100. Margin (1000 − 800) / 1000 = 20%: 100.
        expect(kpi(dave, 'ops.experience.csat')).toMatchObject({ level: 'team', member: 'north', value: 80, achievement: 100 });
        expect(kpi(dave, 'finance.money.margin')).toMatchObject({ level: 'organisation', member: null, value: 20, achievement: 100 });
        expect(dave).toMatchObject({ role: 'lead', score: 100, rating: { value: 3 } });
    });

    it('scores a person who changed team within a period once per assignment, with the days each covers', () => {
        const cat = person('cat');
        expect(cat.map(score => [score.team, score.from, score.to, score.days, score.share])).toEqual([
            ['north', '2026-01-01', '2026-07-15', 15, 48.39],
            ['south', '2026-07-16', null, 16, 51.61]
        ]);
        // Her own CSAT 80/100 = 80%: 100. North's AHT 120 → 110 (level 4); south's 400 s: 90 → 95 (level 3).
        expect(cat.map(score => score.score)).toEqual([110, 95]);
        expect(cat.map(score => score.rating?.value)).toEqual([4, 3]);
        expect(cat[0].notes[0]).toBe('assigned 2026-07-01 to 2026-07-15, 15 of the period\'s 31 days: scored per assignment on the whole period\'s data');
        // In June she was in north the whole month: 60/80 = 75% → 93.75; north's AHT 360 s → 100.
        expect(person('cat', '2026-06')).toMatchObject([{ team: 'north', days: 30, score: 96.875 }]);
    });

    it('leaves out a KPI the person has no data for, and says why', async () => {
        const late = evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV.replace(/^2026-07,bob.*$/m, ''), 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }),
            { assignments: assignments().assignments });
        const bob = late.people.find(score => score.person === 'bob' && score.period === '2026-07')!;
        expect(kpi(bob, 'ops.experience.csat')).toMatchObject({ level: 'agent', value: null, reason: 'no data for agent bob in 2026-07' });
        // Only efficiency is left: 120.
        expect(bob.score).toBe(120);
        expect(bob.notes).toContain('ops.experience left out: no KPI of the KRA has an achievement');
    });

    it('gives no people without an assignments export', () => {
        expect(evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV })).people).toEqual([]);
    });
});
