/**
 * One weight share: what the editor shows as a KPI's share of its role's score (inlay hint and
 * hover) is the `effectiveWeight` the compiler writes, for every KPI of every generated
 * workspace, with weights in percent, ratios, other units, missing or not adding up to 100.
 */
import fc from 'fast-check';
import { AstUtils, URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../packages/compiler/src/index.js';
import { ast, kpisOfKra, qualifiedName } from '../packages/language/src/index.js';
import { shareOfRole } from '../packages/language/src/lsp/weight-shares.js';
import { validWorkspace } from './fuzz/generate.js';
import { build, ROOT } from './fuzz/properties.js';

/** Each KPI (or `measured by` line) the editor gives a share: its share and the compiled effectiveWeight. */
async function sharesOf(files: Record<string, string>): Promise<Array<{ kpi: string; editor: number; compiled: number | undefined }>> {
    const workspace = await build(files);
    const model = compileWorkspace({ documents: workspace.all, root: URI.parse(ROOT) });
    const pairs: Array<{ kpi: string; editor: number; compiled: number | undefined }> = [];
    for (const document of workspace.documents) {
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            if (!ast.isKpi(node) && !ast.isMeasuredBy(node)) {
                continue;
            }
            const share = shareOfRole(node);
            const kra = node.$container;
            const owner = ast.isKra(kra) ? kra.$container : undefined;
            if (!share || !ast.isKra(kra) || !ast.isRole(owner)) {
                continue;
            }
            const index = kpisOfKra(kra).findIndex(use => use.source === node);
            const role = model.roles.find(candidate => candidate.id === qualifiedName(owner));
            const use = role?.kras.find(candidate => candidate.kra === qualifiedName(kra));
            pairs.push({ kpi: `${qualifiedName(kra)} #${index}`, editor: share.percent, compiled: use?.kpis[index]?.effectiveWeight });
        }
    }
    return pairs;
}

const WORKSPACE = `
role agent "Agent" {
  kra service "Service" {
    description "Customers get a quick and complete answer on their first contact."
    weight 30%
    kpi fcr "FCR" { formula calls unit count weight 50% }
    kpi aht "AHT" { formula calls unit count }
  }
  kra quality "Quality" {
    description "Calls follow the script and the audit finds nothing to correct."
    weight 0.3 ratio
    kpi qa "QA" { formula calls unit count }
  }
}
metric calls "Calls" { unit count }
`;

describe('weight shares: editor and compiler agree', () => {
    it('a role with two KRAs at 30% each gives each KRA half the score, in the editor and the JSON', async () => {
        const pairs = await sharesOf({ 'a.kra': WORKSPACE });
        expect(pairs).toEqual([
            { kpi: 'agent.service #0', editor: 50, compiled: 50 },
            { kpi: 'agent.service #1', editor: 0, compiled: 0 },
            { kpi: 'agent.quality #0', editor: 50, compiled: 50 }
        ]);
    });

    it('for every KPI of generated workspaces', async () => {
        let compared = 0;
        await fc.assert(fc.asyncProperty(validWorkspace, async workspace => {
            for (const pair of await sharesOf(workspace.files)) {
                compared++;
                expect(pair.compiled, pair.kpi).toBe(pair.editor);
            }
        }), { numRuns: 60, seed: 20261204 });
        // The generator makes roles with weighted KRAs and KPIs; a run that compared nothing proves nothing.
        expect(compared).toBeGreaterThan(20);
    }, 300_000);
});
