import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@kra-lang/language';
import type { KraModel } from '../../src/model.js';
import { evaluateModel } from '../../src/evaluate/evaluate.js';
import { validateEvaluation } from '../../src/evaluate/schema.js';
import { AGENTS_CSV, assignments, compileFixture, dataSet, FINANCE_CSV, TEAMS_CSV } from './fixture.js';

const CONFIG = `calibration:
  minPeople: 3
  bands:
    - levels: [4, 5]
      atMost: 20
    - levels: [1, 2]
      atLeast: 10
`;

describe('calibration (fixture.ts, 2026-07: ann 4, bob 3, cat 3, dave 3)', () => {
    let model: KraModel;
    beforeAll(async () => {
        model = await compileFixture();
    });

    function evaluate(config: string | undefined) {
        const parsed = config === undefined ? undefined : parseConfig(config);
        if (parsed && !parsed.ok) {
            throw new Error(JSON.stringify(parsed.problems));
        }
        const result = evaluateModel(model, dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV }),
            { assignments: assignments().assignments, calibration: parsed?.config.calibration, periods: ['2026-07'] });
        expect(validateEvaluation(result)).toEqual([]);
        return result;
    }

    it('gives the distribution of ratings per role and department, each person once (cat with her latest assignment)', () => {
        const result = evaluate(undefined);
        expect(result.calibration.map(group => [group.kind, group.id, group.people, group.checked])).toEqual([
            ['department', 'ops', 4, false], ['role', 'agent', 3, false], ['role', 'lead', 1, false]
        ]);
        expect(result.calibration[1].distribution).toEqual([
            { level: 4, label: 'Exceeds', count: 1, share: 33.33 },
            { level: 3, label: 'Meets', count: 2, share: 66.67 }
        ]);
        expect(result.warnings).toEqual([]);
    });

    it('warns when a group breaches the guideline, and skips groups smaller than minPeople', () => {
        const result = evaluate(CONFIG);
        const agent = result.calibration.find(group => group.id === 'agent')!;
        expect(agent.checked).toBe(true);
        expect(agent.breaches).toEqual([
            { levels: [4, 5], limit: 'at-most', guideline: 20, share: 33.33, count: 1 },
            { levels: [1, 2], limit: 'at-least', guideline: 10, share: 0, count: 0 }
        ]);
        expect(result.calibration.find(group => group.id === 'lead')).toMatchObject({ checked: false, breaches: [] });
        expect(result.warnings).toEqual([
            'calibration 2026-07, department ops: 25% of 4 rated people (1) are rated 4 or 5; the guideline is at most 20%',
            'calibration 2026-07, department ops: 0% of 4 rated people (0) are rated 1 or 2; the guideline is at least 10%',
            'calibration 2026-07, role agent: 33.33% of 3 rated people (1) are rated 4 or 5; the guideline is at most 20%',
            'calibration 2026-07, role agent: 0% of 3 rated people (0) are rated 1 or 2; the guideline is at least 10%'
        ]);
    });

    it('is met when the shares are within the guideline', () => {
        const result = evaluate('calibration:\n  minPeople: 3\n  bands:\n    - levels: [4, 5]\n      atMost: 40\n');
        expect(result.calibration.filter(group => group.checked).map(group => group.breaches)).toEqual([[], []]);
        expect(result.warnings).toEqual([]);
    });

    it('rejects a malformed guideline in kra.config.yaml with its position', () => {
        const parsed = parseConfig('calibration:\n  bands:\n    - levels: [5]\n      atMots: 20\n');
        expect(parsed.ok).toBe(false);
        expect(parsed.ok ? [] : parsed.problems.map(problem => `${problem.line}:${problem.column} ${problem.message}`)).toEqual([
            "4:7 Unknown key 'atMots' in 'calibration.bands.0'. Valid keys: levels, atMost, atLeast."
        ]);
    });
});
