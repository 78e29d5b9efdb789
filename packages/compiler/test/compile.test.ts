import { describe, expect, it } from 'vitest';
import { URI } from 'langium';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace, sliceModel, validateModel, type KraModel } from '../src/index.js';

async function compile(files: Record<string, string>): Promise<KraModel> {
    const workspace = await buildWorkspace(files);
    const library = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
    const model = compileWorkspace({ documents: [...workspace.documents.values(), library], root: URI.parse('file:///ws') });
    expect(validateModel(model)).toEqual([]);
    return model;
}

const METRICS = `
metric talk "Talk time" { unit seconds additive aggregate by sum }
metric hold "Hold time" { unit seconds }
metric calls "Calls handled" { unit count }
metric resolved "Resolved first time" { unit count }
metric unused_metric "Never used" { unit count }
`;

describe('compileWorkspace', () => {
    it('gives formulas as canonical text, a typed tree and the structured unit they give', async () => {
        const model = await compile({
            'metrics.kra': METRICS,
            'kpis.kra': `import "./metrics.kra"
kpi aht "AHT" { formula safe_ratio(talk+hold,calls) unit s }
kpi fcr "FCR" { formula resolved / calls unit % }
kpi p1 "P1" { formula (talk + hold) / calls }
kpi p2 "P2" { formula talk - (hold - talk) }
kpi p3 "P3" { formula talk - hold - talk }
kpi p4 "P4" { formula -(talk over previous period) + 20 s }
kpi p5 "P5" { formula if calls > 0 then resolved / calls else 0 }
`
        });
        const kpi = (id: string) => model.kpis.find(k => k.id === id)!;
        const seconds = { text: 'seconds', terms: [{ unit: 'seconds', power: 1 }] };
        expect(kpi('aht').formula).toMatchObject({ text: 'safe_ratio(talk + hold, calls)', inferredUnit: seconds, unitProblem: null });
        expect(kpi('aht').unit).toEqual(seconds);
        expect(kpi('fcr').formula!.inferredUnit).toEqual({ text: 'ratio', terms: [{ unit: 'count', power: 1 }, { unit: 'count', power: -1 }] });
        expect(kpi('fcr').unit).toEqual({ text: 'percent', terms: [{ unit: 'percent', power: 1 }] });
        expect(kpi('p1').formula!.text).toBe('(talk + hold) / calls');
        expect(kpi('p2').formula!.text).toBe('talk - (hold - talk)');
        expect(kpi('p3').formula!.text).toBe('talk - hold - talk');
        expect(kpi('p4').formula!.text).toBe('-(talk over previous period) + 20 seconds');
        expect(kpi('p5').formula!.text).toBe('if calls > 0 then resolved / calls else 0');
        expect(kpi('p1').formula!.tree).toMatchObject({
            kind: 'binary', operator: '/', inferredUnit: seconds,
            left: { kind: 'binary', operator: '+', left: { kind: 'metric', id: 'talk' } },
            right: { kind: 'metric', id: 'calls', inferredUnit: { text: 'count', terms: [{ unit: 'count', power: 1 }] } }
        });
        expect(kpi('aht').dependencies).toEqual({ metrics: ['calls', 'hold', 'talk'], kpis: [] });
        expect(model.metrics.find(m => m.id === 'talk')!.usedBy).toContain('aht');
        expect(model.metrics.find(m => m.id === 'unused_metric')!.usedBy).toEqual([]);
        expect(kpi('aht').source).toEqual({ file: 'kpis.kra', line: 2 });
    });

    it("gives each KRA's and KPI's effective weight in the role score", async () => {
        const model = await compile({
            'org.kra': `${METRICS}
department ops "Operations" {
  kra service "Service" {
    kpi aht "AHT" { formula safe_ratio(talk, calls) unit s weight 40% }
    kpi fcr "FCR" { formula safe_ratio(resolved, calls) unit % weight 0.6 ratio }
  }
  kra people "People" {
    kpi hold_kpi "Hold" { formula hold unit s }
  }
}
role lead "Team leader" in ops {
  carries ops.service weighted 75%
  carries ops.people weighted 25%
}
role agent "Agent" in ops {
  carries ops.people
  carries ops.service
}
`
        });
        const lead = model.roles.find(role => role.id === 'lead')!;
        expect(lead.department).toBe('ops');
        expect(lead.kras).toEqual([
            { kra: 'ops.service', via: 'carried', weight: 75, effectiveWeight: 75, kpis: [
                { kpi: 'ops.service.aht', weight: 40, effectiveWeight: 30 },
                { kpi: 'ops.service.fcr', weight: 60, effectiveWeight: 45 }
            ] },
            { kra: 'ops.people', via: 'carried', weight: 25, effectiveWeight: 25, kpis: [
                { kpi: 'ops.people.hold_kpi', weight: null, effectiveWeight: 25 }
            ] }
        ]);
        // No weights given: equal shares.
        const agent = model.roles.find(role => role.id === 'agent')!;
        expect(agent.kras.map(use => use.effectiveWeight)).toEqual([50, 50]);
        expect(model.departments[0].kras).toEqual(['ops.people', 'ops.service']);
        expect(model.kras.find(kra => kra.id === 'ops.service')!.declaredIn).toEqual({ department: 'ops' });

        const slice = sliceModel(model, { role: 'lead' });
        expect(validateModel(slice)).toEqual([]);
        expect(slice.kpis.map(kpi => kpi.id)).toEqual(['ops.people.hold_kpi', 'ops.service.aht', 'ops.service.fcr']);
        expect(slice.metrics.map(metric => metric.id)).toEqual(['calls', 'hold', 'resolved', 'talk']);
    });

    it('keeps targets, thresholds, baselines and owners in a stable shape', async () => {
        const model = await compile({
            'a.kra': `metric calls { unit count }
client globex "Globex" { contract "MSA-1" }
role lead "Lead" { }
kpi k "K" {
  formula calls
  unit count
  higher is better
  baseline 100 in 2026-Q2
  target at least 120 by 2026-12-31
  target for globex between 110 count and 130 count in 2026-H2
  target +15% year over year by 2027-03-31
  target at least 105 in 2026-Q3, 110 in 2026-Q4
  thresholds green at least 120, amber at least 100, red otherwise
  owner lead
}
`
        });
        const kpi = model.kpis[0];
        expect(kpi.baseline).toEqual({ value: { value: 100, unit: null }, period: '2026-Q2', asOf: null });
        expect(kpi.targets).toEqual([
            { client: null, goal: { kind: 'at-least', value: { value: 120, unit: null } }, timing: { deadline: '2026-12-31', period: null, each: null }, stages: [] },
            { client: 'globex', goal: { kind: 'between', low: { value: 110, unit: 'count' }, high: { value: 130, unit: 'count' } }, timing: { deadline: null, period: '2026-H2', each: null }, stages: [] },
            { client: null, goal: { kind: 'change', change: { value: 15, unit: 'percent' }, basis: 'year-over-year' }, timing: { deadline: '2027-03-31', period: null, each: null }, stages: [] },
            { client: null, goal: { kind: 'at-least', value: { value: 105, unit: null } }, timing: { deadline: null, period: '2026-Q3', each: null }, stages: [{ value: { value: 110, unit: null }, timing: { deadline: null, period: '2026-Q4', each: null } }] }
        ]);
        expect(kpi.thresholds.map(t => [t.status, t.condition.kind])).toEqual([['green', 'at-least'], ['amber', 'at-least'], ['red', 'otherwise']]);
        expect(kpi.owner).toEqual({ role: 'lead' });
        expect(kpi.direction).toBe('higher-is-better');
    });
});
