/**
 * What the smart/* rules say, beyond where they fire (which the .kra cases next to this file
 * check): the suggested fix and the data code actions use.
 */
import { describe, expect, it } from 'vitest';
import { VAGUE_WORDS } from '../../../src/validation/rules/smart/specific.js';
import { buildWorkspace } from '../../test-utils.js';

async function messages(text: string, rule: string): Promise<Array<{ message: string; data: unknown }>> {
    const workspace = await buildWorkspace({ 'a.kra': text });
    return workspace.diagnostics().filter(d => d.code === rule)
        .map(d => ({ message: typeof d.message === 'string' ? d.message : d.message.value, data: d.data }));
}

describe('smart/measurable', () => {
    it('suggests the unit the formula gives', async () => {
        const found = await messages(`
            metric talk_time "Talk time" { unit seconds }
            metric calls "Calls" { unit count }
            kpi aht "Average handle time" { formula safe_ratio(talk_time, calls) }
        `, 'smart/measurable');
        expect(found).toHaveLength(1);
        expect(found[0].message).toContain('Add `unit seconds` (the formula gives seconds)');
        expect(found[0].data).toMatchObject({ suggestedUnit: 'seconds' });
    });

    it('suggests the compound unit the formula gives', async () => {
        const found = await messages(`
            metric revenue "Revenue" { unit USD }
            metric hours "Hours" { unit h }
            kpi rph "Revenue per hour" { formula safe_ratio(revenue, hours) }
        `, 'smart/measurable');
        expect(found).toHaveLength(1);
        expect(found[0].data).toMatchObject({ suggestedUnit: 'USD per hours' });
    });

    it('suggests no unit when the formula gives one no KPI can declare', async () => {
        const found = await messages(`
            metric talk "Talk time" { unit seconds }
            kpi squared "Talk time squared" { formula talk * talk }
        `, 'smart/measurable');
        expect(found).toHaveLength(1);
        expect(found[0].data).not.toHaveProperty('suggestedUnit');
    });
});

describe('smart/specific', () => {
    it('exports its vague words', () => {
        expect(VAGUE_WORDS).toContain('improve');
        expect(VAGUE_WORDS).toContain('optimize');
    });

    it('quotes the vague words it found', async () => {
        const found = await messages(`
            objective grow "Grow" { description "Drive better performance." }
        `, 'smart/specific');
        expect(found.map(f => f.message)).toEqual([expect.stringContaining('"drive", "better" and "performance"')]);
    });
});

describe('smart/achievable', () => {
    it('says how much change per period is asked for and what would be achievable', async () => {
        const found = await messages(`
            organisation acme "Acme" { effective 2026-10-01 review quarterly }
            metric talk_time "Talk time" { unit seconds }
            metric calls "Calls" { unit count }
            kpi aht "Average handle time" {
              formula safe_ratio(talk_time, calls)
              unit seconds
              lower is better
              baseline 400 s as of 2026-09-30
              target at most 100 s by 2026-12-31
            }
        `, 'smart/achievable');
        expect(found).toHaveLength(1);
        expect(found[0].message).toContain('75% fall from the baseline 400 s');
        expect(found[0].message).toContain('in one review period (reviewed quarterly, 2026-09-30 to 2026-12-31)');
        expect(found[0].message).toContain('aim for about 200 s by 2026-12-31, or stage it: `target at most 200 s by 2026-12-31, 100 s by 2027-03-30`');
        expect(found[0].data).toMatchObject({ changePerPeriod: 75, maxChangePerPeriod: 50 });
    });
});
