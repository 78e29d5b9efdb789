import { beforeAll, describe, expect, it } from 'vitest';
import type { KraModel } from '../../src/model.js';
import { evaluateModel } from '../../src/evaluate/evaluate.js';
import type { RollUp } from '../../src/evaluate/result.js';
import { validateEvaluation } from '../../src/evaluate/schema.js';
import { AGENTS_CSV, compileFixture, dataSet, FINANCE_CSV, SOURCE, TEAMS_CSV } from './fixture.js';

/** The lead gets a KRA of their own aligned to Operations' experience KRA: one step down the cascade. */
const CASCADE = SOURCE.replace(`role lead "Team lead" in ops {`, `role lead "Team lead" in ops {
  kra coaching "Coaching" {
    aligns to ops.experience
    weight 20%
    measured by ops.experience.csat
  }`).replace('carries ops.experience weighted 50%\n  carries finance.money weighted 50%\n}', 'carries ops.experience weighted 40%\n  carries finance.money weighted 40%\n}');

describe('roll-ups (known answers, fixture.ts, 2026-07)', () => {
    let model: KraModel;
    let rollups: RollUp[];
    const rollUp = (kind: string, id: string | null, list = rollups) => list.find(entry => entry.kind === kind && entry.id === id && entry.period === '2026-07')!;

    beforeAll(async () => {
        model = await compileFixture(CASCADE);
        const result = evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }));
        expect(validateEvaluation(result)).toEqual([]);
        rollups = result.rollups;
    });

    it('scores a department from its KRAs, by their weights', () => {
        // Totals: CSAT 160/200 = 80% → 100; AHT 70,000 s / 200 = 350 s → 360/350 = 102.857; 60/40.
        const ops = rollUp('department', 'ops');
        expect(ops.parts.map(part => [part.id, part.weight, part.included])).toEqual([['ops.efficiency', 40, true], ['ops.experience', 60, true]]);
        expect(ops.score).toBeCloseTo(0.6 * 100 + 0.4 * (360 / 350) * 100, 6);
        expect(rollUp('department', 'finance').score).toBe(100);
    });

    it('gives each objective the attainment of the KRAs aligned to it, listing the cascade', () => {
        const happy = rollUp('objective', 'happy_customers');
        expect(happy.parts).toEqual([{ kind: 'kra', id: 'ops.experience', weight: 100, score: 100, included: true, cascade: ['lead.coaching'] }]);
        // lean: ops.efficiency (102.857) and finance.money (100), equal shares.
        expect(rollUp('objective', 'lean').score).toBeCloseTo(((360 / 350) * 100 + 100) / 2, 6);
    });

    it('scores the organisation from its objectives, in equal shares', () => {
        const organisation = rollUp('organisation', 'acme');
        expect(organisation.parts.map(part => [part.kind, part.id, part.weight])).toEqual([['objective', 'happy_customers', 50], ['objective', 'lean', 50]]);
        expect(organisation.score).toBeCloseTo((100 + ((360 / 350) * 100 + 100) / 2) / 2, 6);
    });

    it('says what was missing, and renormalises', () => {
        const result = evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV }));
        const lean = rollUp('objective', 'lean', result.rollups);
        expect(lean.score).toBeCloseTo((360 / 350) * 100, 6);
        expect(lean.notes).toEqual([
            'finance.money left out: no KPI of the KRA has an achievement',
            'weights renormalised over the parts that have a score'
        ]);
        expect(rollUp('department', 'finance', result.rollups)).toMatchObject({ score: null, reason: 'no part has a score' });
    });

    it('takes a KRA with no score of its own from the KRAs aligned to it', async () => {
        // Experience's own KPI needs CSAT data; the lead's coaching KRA uses the same KPI, so drop CSAT
        // and give coaching a KPI of its own instead.
        const own = await compileFixture(CASCADE.replace('    measured by ops.experience.csat\n', `    kpi calls "Calls handled" {
      formula calls_handled
      unit count
      higher is better
      target at least 100 by 2026-12-31
    }
`));
        const result = evaluateModel(own, dataSet({ 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }));
        const happy = rollUp('objective', 'happy_customers', result.rollups);
        // Calls handled in total: 200 against at least 100: 200%, capped at 150.
        expect(happy.parts[0]).toMatchObject({ id: 'ops.experience', score: 150, included: true });
        expect(happy.notes).toEqual(['ops.experience: from the 1 KRA aligned to it (no KPI of the KRA has an achievement)']);
    });
});

describe('roll-up notes', () => {
    it('has no notes when every part is scored', async () => {
        const model = await compileFixture();
        const result = evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }));
        expect(result.rollups.filter(entry => entry.period === '2026-07').flatMap(entry => entry.notes)).toEqual([]);
    });
});
