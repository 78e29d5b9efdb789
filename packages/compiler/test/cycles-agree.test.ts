/**
 * `kra check` and `kra eval` agree on loops of KPIs, including loops through an earlier period
 * (`revenue - momentum over previous period` as momentum's own formula): each period would read the one
 * before, back to the first period of data, so no period ever has a value. The check reports
 * formula/cycle on exactly the KPIs the evaluator gives no value for a loop.
 */
import { URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import { mergeData, parseDataFile } from '../src/evaluate/data.js';
import { evaluateModel } from '../src/evaluate/evaluate.js';

const KPIS: Record<string, string> = {
    momentum: 'revenue - momentum over previous period',
    ping: 'pong over same period last year + revenue',
    pong: 'ping * 2',
    revenue_kpi: 'revenue',
    growth: 'revenue_kpi - revenue_kpi over previous period',
    doubled: 'doubled + doubled over previous period'
};

const SOURCE = `metric revenue { unit USD additive }
${Object.entries(KPIS).map(([id, formula]) => `kpi ${id} "${id}" { formula ${formula} unit USD }`).join('\n')}
`;

describe('loops of KPIs, in kra check and kra eval', () => {
    it('are the same KPIs, loops through earlier periods included', async () => {
        const workspace = await buildWorkspace({ 'ws.kra': SOURCE });
        const reported = new Set(workspace.diagnostics().filter(diagnostic => diagnostic.code === 'formula/cycle')
            .map(diagnostic => Object.keys(KPIS).find(id => String(diagnostic.message).startsWith(`KPI '${id}'`))));
        const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
        const model = compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
        const data = mergeData([parseDataFile('period,revenue\n2026-01,100\n2026-02,120\n2026-03,150\n', { file: 'revenue.csv', metrics: ['revenue'] })]);
        const result = evaluateModel(model, data, { periods: ['2026-03'] });
        const looped = new Set(result.kpis.filter(entry => entry.reason?.startsWith('cycle:')).map(entry => entry.kpi));
        // The check reports each loop once, on its first KPI by name; the evaluator names every KPI on it.
        expect([...reported].sort()).toEqual(['doubled', 'momentum', 'ping']);
        expect([...looped].sort()).toEqual(['doubled', 'momentum', 'ping', 'pong']);
        expect(result.kpis.find(entry => entry.kpi === 'growth')!.value).toBe(30);
    });

    it('say why a loop through an earlier period never has a value, and what to read instead', async () => {
        const workspace = await buildWorkspace({ 'ws.kra': SOURCE });
        const messages = workspace.diagnostics().filter(diagnostic => diagnostic.code === 'formula/cycle').map(diagnostic => String(diagnostic.message));
        expect(messages).toContain("KPI 'momentum': the formula reads the KPI's own earlier periods (momentum → momentum): each period reads the one before, "
            + 'back to the first period of data, which has none before it, so no period ever has a value. '
            + "Read the earlier period of what the KPI is computed from instead (`revenue over previous period`, not the KPI's own).");
        expect(messages.find(message => message.startsWith("KPI 'ping'"))).toMatch(/reads its own earlier periods through other KPIs \(ping → pong → ping\)/);
        expect(messages.find(message => message.startsWith("KPI 'doubled'"))).toMatch(/refers to the KPI itself \(doubled → doubled\), so it can never be computed/);
    });
});
