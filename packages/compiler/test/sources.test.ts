import { describe, expect, it } from 'vitest';
import { URI } from 'langium';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace, diffModels, measureText, validateModel, type KraModel } from '../src/index.js';

async function compile(files: Record<string, string>): Promise<KraModel> {
    const workspace = await buildWorkspace(files);
    const library = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
    const model = compileWorkspace({ documents: [...workspace.documents.values(), library], root: URI.parse('file:///ws') });
    expect(validateModel(model)).toEqual([]);
    return model;
}

const SOURCE = `
source calls "Call records" {
  description "One row per call."
  file "raw/calls-*.csv"
  period from started_at by day
  team from team_code
  client from "Client Code"
  column started_at is timestamp
  column team_code is text
  column "Client Code" is text
  column outcome is text
  column talk_seconds is number
}
source payroll { table "hr"."select" period from "month" }
`;

describe('sources and measured metrics in the compiled model', () => {
    it('compiles a source with its file relative to the workspace root, its period, dimensions and columns', async () => {
        const model = await compile({ 'data/sources.kra': SOURCE });
        expect(model.sources.map(source => source.id)).toEqual(['calls', 'payroll']);
        expect(model.sources[0]).toMatchObject({
            title: 'Call records',
            description: 'One row per call.',
            file: 'data/raw/calls-*.csv',
            table: null,
            period: { column: 'started_at', grain: 'day' },
            dimensions: [{ dimension: 'team', column: 'team_code' }, { dimension: 'client', column: 'Client Code' }],
            columns: expect.arrayContaining([{ name: 'Client Code', type: 'text' }, { name: 'talk_seconds', type: 'number' }]),
            source: { file: 'data/sources.kra', line: 2 }
        });
        expect(model.sources[1]).toMatchObject({ file: null, table: ['hr', 'select'], period: { column: 'month', grain: 'month' } });
    });

    it('compiles measures with their filter as a tree, and gives them back as canonical text', async () => {
        const model = await compile({
            'sources.kra': SOURCE + `
metric handled { unit count additive measured as count of calls where outcome = "handled" and not (talk_seconds < 5 or "Client Code" is null) }
metric talk { unit seconds measured as sum of talk_seconds in calls where outcome in ("handled", "transferred") and talk_seconds >= -1.5 }
metric clients { non-additive measured as count distinct "Client Code" in calls where started_at > 2026-01-01 or team_code is not null }
metric aggregated { unit count }
`
        });
        const metric = (id: string) => model.metrics.find(m => m.id === id)!;
        expect(metric('handled').measure).toEqual({
            aggregation: 'count', column: null, dataSource: 'calls',
            filter: {
                kind: 'and', operands: [
                    { kind: 'compare', column: 'outcome', operator: '=', value: { type: 'text', value: 'handled' } },
                    { kind: 'not', operand: { kind: 'or', operands: [
                        { kind: 'compare', column: 'talk_seconds', operator: '<', value: { type: 'number', value: 5 } },
                        { kind: 'is-null', column: 'Client Code', negated: false }
                    ] } }
                ]
            }
        });
        expect(measureText(metric('handled').measure!)).toBe('count of calls where outcome = "handled" and not (talk_seconds < 5 or "Client Code" is null)');
        expect(measureText(metric('talk').measure!)).toBe('sum of talk_seconds in calls where outcome in ("handled", "transferred") and talk_seconds >= -1.5');
        expect(measureText(metric('clients').measure!)).toBe('count distinct "Client Code" in calls where started_at > 2026-01-01 or team_code is not null');
        expect(metric('clients').measure!.aggregation).toBe('count-distinct');
        expect(metric('aggregated').measure).toBeNull();
        expect(model.sources.find(source => source.id === 'calls')!.usedBy).toEqual(['clients', 'handled', 'talk']);
    });

    it('reports a changed measure in the diff', async () => {
        const base = await compile({ 'm.kra': SOURCE + 'metric handled { unit count measured as count of calls where outcome = "handled" }' });
        const head = await compile({ 'm.kra': SOURCE + 'metric handled { unit count measured as count of calls where outcome in ("handled", "transferred") }' });
        const changes = diffModels(base, head).changes.filter(change => change.field === 'measure');
        expect(changes).toHaveLength(1);
        expect(changes[0]).toMatchObject({
            element: 'metric', id: 'handled',
            before: 'count of calls where outcome = "handled"',
            after: 'count of calls where outcome in ("handled", "transferred")'
        });
    });
});
