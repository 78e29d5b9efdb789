import { describe, expect, it } from 'vitest';
import { URI } from 'langium';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import {
    compileTolerantly, compileWorkspace, diffModels, renderMarkdown, renderText, type KraModel, type SemanticDiff
} from '../src/index.js';

async function compile(files: Record<string, string>): Promise<KraModel> {
    const workspace = await buildWorkspace(files);
    const library = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
    return compileWorkspace({ documents: [...workspace.documents.values(), library], root: URI.parse('file:///ws') });
}

const BASE = `
objective delight "Delight customers" { description "Customers leave happy." by 2027-03-31 }
metric talk "Talk time" { unit seconds }
metric hold "Hold time" { unit seconds }
metric calls "Calls handled" { unit count }
metric resolved "Resolved first time" { unit count }
metric audited "Audit points" { unit count }
metric possible "Audit points possible" { unit count }
metric held "Coaching sessions held" { unit count }
client globex "Globex Retail"

department ops "Operations" {
  owner ops_manager
  kra service "Service performance" {
    description "Customers are served quickly and fixed first time."
    owner ops_manager
    perspective customer
    aligns to delight
    weight 60%
    kpi aht "Average handle time" {
      description "Seconds from answer to end of wrap-up."
      formula safe_ratio(talk + hold, calls)
      unit seconds
      lower is better
      baseline 400 s in 2026-Q1
      target at most 360 s by 2026-12-31
      target for globex at most 330 s by 2026-12-31
      thresholds green at most 360 s, amber at most 400 s, red above 400 s
      owner ops_manager
      weight 50%
    }
    kpi fcr "First contact resolution" {
      formula safe_ratio(resolved, calls)
      unit %
      higher is better
      target at least 80% by 2026-12-31
      weight 50%
    }
  }
  kra quality "Call quality" {
    description "Calls follow the client's process."
    weight 40%
    kpi qa "Quality score" {
      formula safe_ratio(audited, possible)
      unit %
      higher is better
      target at least 85% by 2026-12-31
      weight 100%
    }
  }
}

role ops_manager "Operations manager" in ops {
  description "Runs the floor."
  carries ops.service weighted 60%
  carries ops.quality weighted 40%
}

role team_leader "Team leader" in ops {
  reports to ops_manager
  description "Leads a team of agents."
  carries ops.service weighted 50%
  kra coaching "Coaching" {
    description "Agents get their coaching."
    weight 50%
    measured by ops.service.fcr weighted 40%
    kpi sessions "Coaching sessions" { formula held unit count higher is better weight 60% }
  }
}
`;

/** BASE with each [from, to] replaced once; fails when `from` is not there. */
function edit(...replacements: Array<[string, string]>): string {
    let text = BASE;
    for (const [from, to] of replacements) {
        expect(text, `the fixture contains ${from}`).toContain(from);
        text = text.replace(from, to);
    }
    return text;
}

async function diff(after: string, before = BASE): Promise<SemanticDiff> {
    return diffModels(await compile({ 'org.kra': before }), await compile({ 'org.kra': after }));
}

const messages = (result: SemanticDiff) => result.changes.map(change => change.message);

describe('diffModels', () => {
    it('finds nothing between a model and itself, or after edits that change no meaning', async () => {
        expect((await diff(BASE)).changes).toEqual([]);
        const reformatted = BASE.replace('safe_ratio(talk + hold, calls)', 'safe_ratio( (talk+hold) ,calls )')
            .replace('description "Runs the floor."', 'description "Runs the whole floor."');
        expect(messages(await diff(reformatted))).toEqual([]);
    });

    it('reports added and removed KPIs with their KRA, weight and the new weight sum', async () => {
        const result = await diff(edit(
            ['    kpi fcr "First contact resolution" {', '    kpi csat "Customer satisfaction" { formula safe_ratio(resolved, calls) unit % weight 20% }\n    kpi fcr "First contact resolution" {'],
            ['kpi sessions "Coaching sessions" { formula held unit count higher is better weight 60% }', '']
        ));
        expect(messages(result)).toEqual([
            'Operations · new KPI Customer satisfaction in Service performance weighted 20% (KPI weights in Service performance now sum to 120%)',
            'Team leader · KPI Coaching sessions removed from Coaching (KPI weights in Coaching now sum to 40%)'
        ]);
        expect(result.summary).toEqual({ added: 1, removed: 1, renamed: 0, changed: 0, total: 2 });
        const added = result.changes[0];
        expect(added).toMatchObject({
            kind: 'added', element: 'kpi', id: 'ops.service.csat', previousId: null, field: null, key: null,
            before: null, after: { id: 'ops.service.csat', title: 'Customer satisfaction' },
            title: 'Customer satisfaction', context: { kind: 'department', id: 'ops', title: 'Operations' },
            roles: ['ops_manager', 'team_leader']
        });
        expect(result.changes[1]).toMatchObject({ kind: 'removed', element: 'kpi', id: 'team_leader.coaching.sessions', roles: ['team_leader'] });
    });

    it('reports a KPI whose id changed but whose title stayed as renamed, and follows it into the KRAs that use it', async () => {
        const result = await diff(edit(
            ['kpi fcr "First contact resolution"', 'kpi first_contact "First contact resolution"'],
            ['measured by ops.service.fcr weighted 40%', 'measured by ops.service.first_contact weighted 40%']
        ));
        expect(messages(result)).toEqual(['Operations · KPI First contact resolution renamed (id fcr → first_contact)']);
        expect(result.changes[0]).toMatchObject({ kind: 'renamed', element: 'kpi', id: 'ops.service.first_contact', previousId: 'ops.service.fcr' });
    });

    it('reports a KPI with a new id and title but the same formula as renamed to the new title', async () => {
        const result = await diff(edit(
            ['kpi aht "Average handle time"', 'kpi handle_time "Handle time"']
        ));
        expect(messages(result)).toEqual(['Operations · KPI Average handle time renamed to Handle time (id aht → handle_time)']);
    });

    it('reports a KPI that moved to another KRA, keeping its name, as moved; and its changes as well', async () => {
        const result = await diff(edit(
            ['      target at least 85% by 2026-12-31\n      weight 100%\n    }', '      target at least 85% by 2026-12-31\n      weight 50%\n    }\n    kpi fcr "First contact resolution" { formula safe_ratio(resolved, calls) unit % higher is better target at least 82% by 2026-12-31 weight 50% }'],
            ['    kpi fcr "First contact resolution" {\n      formula safe_ratio(resolved, calls)\n      unit %\n      higher is better\n      target at least 80% by 2026-12-31\n      weight 50%\n    }\n', ''],
            ['measured by ops.service.fcr weighted 40%', 'measured by ops.quality.fcr weighted 40%']
        ));
        expect(messages(result)).toEqual([
            'Operations · KPI First contact resolution moved from Service performance to Call quality',
            'Operations · Quality score weight in Call quality 100% → 50%',
            'Operations · First contact resolution target 80% → 82% by 2026-12-31'
        ]);
    });

    it('does not pair elements that share nothing but their place', async () => {
        const result = await diff(edit(['kpi fcr "First contact resolution" {\n      formula safe_ratio(resolved, calls)', 'kpi repeat_rate "Repeat contact rate" {\n      formula safe_ratio(calls - resolved, calls)'],
            ['measured by ops.service.fcr weighted 40%', 'measured by ops.service.repeat_rate weighted 40%']));
        expect(result.changes.map(change => `${change.kind} ${change.id}`)).toEqual([
            'added ops.service.repeat_rate', 'removed ops.service.fcr', 'changed team_leader.coaching', 'changed team_leader.coaching'
        ]);
        expect(messages(result).slice(2)).toEqual([
            'Team leader · Coaching now measured by Repeat contact rate weighted 40%',
            'Team leader · Coaching no longer measured by First contact resolution'
        ]);
    });

    it('reports KRAs added, removed and renamed, and a renamed role without its nested KRAs', async () => {
        const result = await diff(edit(
            ['kra quality "Call quality" {', 'kra call_quality "Call quality" {'],
            ['carries ops.quality weighted 40%', 'carries ops.call_quality weighted 40%'],
            ['role team_leader "Team leader" in ops {', 'role team_lead "Team leader" in ops {'],
            ['  kra coaching "Coaching" {', '  kra growth "People growth" {\n    description "Agents grow."\n    weight 10%\n    measured by ops.quality.qa weighted 100%\n  }\n  kra coaching "Coaching" {'],
            ['role ops_manager "Operations manager" in ops {', 'role ops_manager "Operations manager" in ops {\n  kra budget "Budget" { description "Spend stays in budget." weight 10% measured by ops.service.aht }'],
            ['measured by ops.quality.qa weighted 100%', 'measured by ops.call_quality.qa weighted 100%']
        ));
        expect(messages(result)).toEqual([
            'Operations manager · new KRA Budget weighted 10% (KRA weights now sum to 110%)',
            'Team leader · new KRA People growth weighted 10% (KRA weights now sum to 110%)',
            'Operations · KRA Call quality renamed (id quality → call_quality)',
            'Operations · role Team leader renamed (id team_leader → team_lead)'
        ]);
        const removed = await diff(edit(['  kra coaching "Coaching" {\n    description "Agents get their coaching."\n    weight 50%\n    measured by ops.service.fcr weighted 40%\n    kpi sessions "Coaching sessions" { formula held unit count higher is better weight 60% }\n  }\n', '']));
        expect(messages(removed)).toEqual([
            'Team leader · KRA Coaching removed (KRA weights now sum to 50%)',
            'Team leader · KPI Coaching sessions removed from Coaching'
        ]);
    });

    it('reports roles added and removed, and a role moved to another department', async () => {
        const result = await diff(edit(
            ['role team_leader "Team leader" in ops {\n  reports to ops_manager\n  description "Leads a team of agents."\n  carries ops.service weighted 50%\n  kra coaching "Coaching" {\n    description "Agents get their coaching."\n    weight 50%\n    measured by ops.service.fcr weighted 40%\n    kpi sessions "Coaching sessions" { formula held unit count higher is better weight 60% }\n  }\n}', 'role agent "Agent" in ops { carries ops.service weighted 100% }\ndepartment support "Support" { }\nrole supervisor "Supervisor" in support { description "Runs the floor." }'],
            ['role ops_manager "Operations manager" in ops {\n  description "Runs the floor."', 'role ops_manager "Operations manager" in ops {\n  description "Runs the operations floor."']
        ));
        expect(messages(result)).toEqual([
            'Organisation · new department Support',
            'Operations · new role Agent with 1 KRA',
            'Support · new role Supervisor',
            'Operations · role Team leader removed',
            'Team leader · KRA Coaching removed',
            'Team leader · KPI Coaching sessions removed from Coaching'
        ]);
        const moved = await diff(edit(
            ['role team_leader "Team leader" in ops {', 'department support "Support" { }\nrole team_leader "Team leader" in support {']
        ));
        expect(messages(moved)).toEqual([
            'Organisation · new department Support',
            'Team leader · Team leader moved from Operations to Support'
        ]);
    });

    it('words a metric\'s `missing as zero` added or removed: what an empty data cell means', async () => {
        const zero = edit(['metric held "Coaching sessions held" { unit count }', 'metric held "Coaching sessions held" { unit count missing as zero }']);
        const added = await diff(zero);
        expect(messages(added)).toEqual(['Organisation · Coaching sessions held empty data cells are missing data → count as zero']);
        expect(added.changes[0]).toMatchObject({ kind: 'changed', element: 'metric', id: 'held', field: 'missing-as', before: null, after: 'zero' });
        expect(messages(await diff(BASE, zero))).toEqual(['Organisation · Coaching sessions held empty data cells count as zero → are missing data']);
    });

    it('reports formula, unit, direction, baseline and owner changes', async () => {
        const result = await diff(edit(
            ['formula safe_ratio(talk + hold, calls)', 'formula safe_ratio(talk, calls)'],
            ['      unit seconds\n      lower is better', '      unit minutes\n      higher is better'],
            ['baseline 400 s in 2026-Q1', 'baseline 390 s as of 2026-06-30'],
            ['      owner ops_manager\n      weight 50%', '      owner team_leader\n      weight 50%']
        ));
        expect(messages(result)).toEqual([
            'Operations · Average handle time formula safe_ratio(talk + hold, calls) → safe_ratio(talk, calls)',
            'Operations · Average handle time unit seconds → minutes',
            'Operations · Average handle time direction lower is better → higher is better',
            'Operations · Average handle time baseline 400 s in 2026-Q1 → 390 s as of 2026-06-30',
            'Operations · Average handle time owner Operations manager → Team leader'
        ]);
        expect(result.changes[0]).toMatchObject({
            kind: 'changed', element: 'kpi', id: 'ops.service.aht', field: 'formula',
            before: 'safe_ratio(talk + hold, calls)', after: 'safe_ratio(talk, calls)', roles: ['ops_manager', 'team_leader']
        });
        expect(result.changes[4]).toMatchObject({ field: 'owner', before: { role: 'ops_manager' }, after: { role: 'team_leader' } });
    });

    it('does not report a formula as changed when only a metric it uses was renamed', async () => {
        const result = await diff(edit(['metric talk "Talk time"', 'metric talk_time "Talk time"'], ['safe_ratio(talk + hold, calls)', 'safe_ratio(talk_time + hold, calls)']));
        expect(messages(result)).toEqual(['Organisation · metric Talk time renamed (id talk → talk_time)']);
    });

    it('reports each target by client and kind, and each threshold by status', async () => {
        const result = await diff(edit(
            ['target at most 360 s by 2026-12-31\n', 'target at most 330 s by 2026-12-31\n'],
            ['target for globex at most 330 s by 2026-12-31', 'target for globex at most 300 s by 2027-03-31'],
            ['target at least 80% by 2026-12-31', 'target between 78% and 85% each month'],
            ['target at least 85% by 2026-12-31', 'target at least 85% by 2026-12-31\n      target for globex at least 90% by 2026-12-31'],
            ['thresholds green at most 360 s, amber at most 400 s, red above 400 s', 'thresholds green at most 330 s, amber at most 400 s, red otherwise']
        ));
        expect(messages(result)).toEqual([
            'Operations · Average handle time target 360 s → 330 s by 2026-12-31',
            'Operations · Average handle time target for Globex Retail 330 s by 2026-12-31 → 300 s by 2027-03-31',
            'Operations · Average handle time green threshold at most 360 s → at most 330 s',
            'Operations · Average handle time red threshold above 400 s → otherwise',
            'Operations · First contact resolution target at least 80% by 2026-12-31 → between 78% and 85% each month',
            'Operations · Quality score new target for Globex Retail: at least 90% by 2026-12-31'
        ]);
        expect(result.changes.map(change => change.key)).toEqual(['|at-most', 'globex|at-most', 'green', 'red', '|between', 'globex|at-least']);
        expect(result.changes[0]).toMatchObject({
            field: 'target',
            before: { client: null, goal: { kind: 'at-most', value: { value: 360, unit: 'seconds' } } },
            after: { client: null, goal: { kind: 'at-most', value: { value: 330, unit: 'seconds' } } }
        });
        const removed = await diff(edit(['      target for globex at most 330 s by 2026-12-31\n', '']));
        expect(messages(removed)).toEqual(['Operations · Average handle time target for Globex Retail removed (was at most 330 s by 2026-12-31)']);
        const staged = await diff(edit(['target at least 85% by 2026-12-31', 'target at least 85% in 2026-Q3, 88% in 2026-Q4']));
        expect(messages(staged)).toEqual(['Operations · Quality score target 85% by 2026-12-31 → 85% in 2026-Q3, 88% in 2026-Q4']);
    });

    it('reports KPI weights in KRAs and KRA weights in roles and departments with the new sums', async () => {
        const result = await diff(edit(
            ['      owner ops_manager\n      weight 50%', '      owner ops_manager\n      weight 55%'],
            ['carries ops.service weighted 50%', 'carries ops.service weighted 55%'],
            ['measured by ops.service.fcr weighted 40%', 'measured by ops.service.fcr weighted 40%\n    measured by ops.quality.qa weighted 10%'],
            ['    aligns to delight\n    weight 60%', '    aligns to delight\n    weight 65%']
        ));
        expect(messages(result)).toEqual([
            'Operations · Service performance weight 60% → 65% (KRA weights now sum to 105%)',
            'Operations · Average handle time weight in Service performance 50% → 55% (KPI weights in Service performance now sum to 105%)',
            'Team leader · Service performance weight 50% → 55% (KRA weights now sum to 105%)',
            'Team leader · Coaching now measured by Quality score weighted 10% (KPI weights in Coaching now sum to 110%)'
        ]);
        expect(result.changes.map(change => [change.element, change.id, change.field, change.key, change.before, change.after])).toEqual([
            ['department', 'ops', 'kra-weight', 'ops.service', 60, 65],
            ['kra', 'ops.service', 'kpi-weight', 'ops.service.aht', 50, 55],
            ['role', 'team_leader', 'kra-weight', 'ops.service', 50, 55],
            ['kra', 'team_leader.coaching', 'kpis', 'ops.quality.qa', null, { kpi: 'ops.quality.qa', weight: 10 }]
        ]);
        const dropped = await diff(edit(['  carries ops.quality weighted 40%\n', ''], ['    measured by ops.service.fcr weighted 40%\n', ''], ['carries ops.service weighted 50%', 'carries ops.service weighted 50%\n  carries ops.quality weighted 10%']));
        expect(messages(dropped)).toEqual([
            'Operations manager · no longer carries Call quality (KRA weights now sum to 60%)',
            'Team leader · now carries Call quality weighted 10% (KRA weights now sum to 110%)',
            'Team leader · Coaching no longer measured by First contact resolution (KPI weights in Coaching now sum to 60%)'
        ]);
    });

    it('reports KRA owner, perspective and alignment, title changes, and departments, metrics and objectives coming and going', async () => {
        const result = await diff(edit(
            ['    owner ops_manager\n    perspective customer\n    aligns to delight', '    owner team_leader\n    perspective internal_process\n    aligns to grow'],
            ['objective delight "Delight customers" { description "Customers leave happy." by 2027-03-31 }', 'objective delight "Delight customers" { description "Customers leave happy." by 2027-06-30 }\nobjective grow "Grow" { description "Revenue grows." }'],
            ['metric held "Coaching sessions held" { unit count }', 'metric held "Coaching sessions held" { unit count }\nmetric surveys "Surveys sent" { unit count }'],
            ['kra quality "Call quality" {', 'kra quality "Quality of calls" {'],
            ['department ops "Operations" {', 'department finance "Finance" { }\ndepartment ops "Operations" {']
        ), BASE.replace('client globex "Globex Retail"', 'client globex "Globex Retail"\nmetric legacy "Legacy count" { unit count }\ndepartment hr "Human resources" { }'));
        expect(messages(result)).toEqual([
            'Organisation · new objective Grow',
            'Organisation · new metric Surveys sent',
            'Organisation · new department Finance',
            'Organisation · metric Legacy count removed',
            'Organisation · department Human resources removed',
            'Organisation · Delight customers deadline 2027-03-31 → 2027-06-30',
            'Operations · Service performance perspective customer → internal_process',
            'Operations · Service performance aligns to Delight customers → Grow',
            'Operations · Service performance owner Operations manager → Team leader',
            'Operations · KRA Call quality retitled Quality of calls'
        ]);
    });

    it('reports the organisation\'s settings, rating scales, units, clients, variants and the fields that sit beside targets', async () => {
        const settings = `
organisation acme "Acme" { fiscal year starts in april currency GBP rated on five review quarterly }
rating scale five "Five-point" { stepped level 3 "Meets" from 95% level 1 "Misses" from 0% }
rating scale curve "Sales curve" { interpolated level 2 "On plan" from 100% level 1 "Threshold" from 70% }
unit shifts "Shifts" symbol shift = 8 h
client initech "Initech" { contract "MSA-1" }
metric talk "Talk time" { source "Genesys" field "tTalk" unit seconds additive aggregate by sum }
metric calls "Calls" { unit count }
kra service "Service" {
  kpi aht "Handle time" {
    formula safe_ratio(talk, calls) unit seconds lower is better measured daily benchmark 360 s from "Survey"
    target at most 380 s by 2026-12-31
    variant transfers "With transfers" { formula safe_ratio(talk, calls) unit seconds target for initech at most 400 s by 2026-12-31 }
  }
}
role agent "Agent" { carries service }
`;
        const result = await diff(settings.replace('fiscal year starts in april', 'fiscal year starts in may')
            .replace('level 3 "Meets" from 95%', 'level 3 "Meets" from 70%').replace('= 8 h', '= 7 h').replace('"MSA-1"', '"MSA-2"')
            .replace('source "Genesys" field "tTalk"', 'source "Five9" field "talk"').replace('measured daily benchmark 360 s', 'measured weekly benchmark 350 s')
            .replace('formula safe_ratio(talk, calls) unit seconds target for initech at most 400 s', 'formula safe_ratio(talk, calls) * 2 unit seconds target for initech at most 420 s')
            .replace('role agent "Agent" {', 'role agent "Agent" { rated on curve'), settings);
        expect(messages(result)).toEqual([
            // Units have no place in the model, so they come first.
            'Organisation · unit Shifts = 28800 s → 25200 s',
            'Organisation · Acme fiscal year starts in april → may',
            'Organisation · Five-point level 3 Meets from 95% → 70%',
            'Organisation · Initech contract "MSA-1" → "MSA-2"',
            'Organisation · Talk time comes from Genesys (tTalk) → Five9 (talk)',
            'Organisation · Handle time benchmark 360 s from "Survey" → 350 s from "Survey"',
            'Organisation · Handle time measured daily → weekly',
            'Organisation · Handle time variant With transfers formula safe_ratio(talk, calls) → safe_ratio(talk, calls) * 2',
            'Organisation · Handle time variant With transfers target for Initech 400 s → 420 s by 2026-12-31',
            'Agent · Agent rated on the organisation\'s scale → Sales curve'
        ]);
        expect(result.changes.find(change => change.field === 'level')).toMatchObject({
            element: 'rating-scale', id: 'five', key: '3', roles: [], before: { value: 3, label: 'Meets', from: { value: 95, unit: 'percent' } }
        });
        expect(result.changes.find(change => change.element === 'variant')).toMatchObject({ id: 'service.aht.transfers', roles: ['agent'] });
    });

    it('sorts added, removed, renamed, changed; and counts them', async () => {
        const result = await diff(edit(
            ['kpi aht "Average handle time"', 'kpi handle_time "Handle time"'],
            ['target at least 85% by 2026-12-31', 'target at least 86% by 2026-12-31'],
            ['metric held "Coaching sessions held" { unit count }', 'metric held "Coaching sessions held" { unit count }\nmetric surveys "Surveys sent" { unit count }']
        ));
        expect(result.changes.map(change => change.kind)).toEqual(['added', 'renamed', 'changed']);
        expect(result.summary).toEqual({ added: 1, removed: 0, renamed: 1, changed: 1, total: 3 });
    });
});

describe('renderMarkdown and renderText', () => {
    it('give a heading with counts and sections grouped by department and role', async () => {
        const result = await diff(edit(
            ['target at most 360 s by 2026-12-31\n', 'target at most 330 s by 2026-12-31\n'],
            ['carries ops.service weighted 50%', 'carries ops.service weighted 55%'],
            ['kpi fcr "First contact resolution"', 'kpi first_contact "First contact resolution"'],
            ['measured by ops.service.fcr weighted 40%', 'measured by ops.service.first_contact weighted 40%'],
            ['formula safe_ratio(audited, possible)', 'formula safe_ratio(audited, possible) * 1'],
            ['metric held "Coaching sessions held" { unit count }', 'metric held "Coaching sessions held" { unit count }\nmetric surveys "Surveys | sent" { unit count }']
        ));
        const markdown = renderMarkdown(result, { base: 'origin/main', head: 'working tree' }, { roleTitles: new Map([['team_leader', 'Team leader'], ['ops_manager', 'Operations manager']]) });
        expect(markdown).toContain('## KRA changes: 1 added, 1 renamed, 3 changed\n');
        expect(markdown).toContain('Comparing `origin/main` → `working tree`.');
        expect(markdown).toContain('### Added (1)\n\n**Organisation-wide**\n\n- new metric Surveys \\| sent\n');
        expect(markdown).toContain('### Renamed (1)\n\n**Operations (department)**\n\n- KPI First contact resolution renamed (id fcr → first_contact) — appraises Operations manager, Team leader\n');
        expect(markdown).toContain('#### Operations (department)\n\n| Element | Change | Roles appraised on it |\n|---|---|---|\n'
            + '| KPI Average handle time | target 360 s → 330 s by 2026-12-31 | Operations manager, Team leader |\n'
            + '| KPI Quality score | formula `safe_ratio(audited, possible)` → `safe_ratio(audited, possible) * 1` | Operations manager |\n');
        expect(markdown).toContain('#### Team leader (role)\n\n| Element | Change | Roles appraised on it |\n|---|---|---|\n'
            + '| Role Team leader | Service performance weight 50% → 55% (KRA weights now sum to 105%) | Team leader |\n');
        expect(markdown.indexOf('### Added')).toBeLessThan(markdown.indexOf('### Renamed'));
        expect(markdown.indexOf('### Renamed')).toBeLessThan(markdown.indexOf('### Changed'));

        const text = renderText(result, { base: 'origin/main', head: 'working tree' });
        expect(text).toBe([
            'KRA changes origin/main → working tree: 1 added, 1 renamed, 3 changed',
            '',
            'Added (1)',
            '  + Organisation · new metric Surveys | sent',
            '',
            'Renamed (1)',
            '  ~ Operations · KPI First contact resolution renamed (id fcr → first_contact)',
            '',
            'Changed (3)',
            '  * Operations · Average handle time target 360 s → 330 s by 2026-12-31',
            '  * Operations · Quality score formula safe_ratio(audited, possible) → safe_ratio(audited, possible) * 1',
            '  * Team leader · Service performance weight 50% → 55% (KRA weights now sum to 105%)',
            ''
        ].join('\n'));
    });

    it('say so when nothing changed', async () => {
        const result = await diff(BASE);
        expect(renderMarkdown(result, { base: 'a', head: 'b' })).toContain('No changes to KRAs, KPIs, roles, departments, metrics or objectives.');
        expect(renderText(result, { base: 'a', head: 'b' })).toBe('KRA changes a → b: no changes\n');
    });
});

describe('compileTolerantly', () => {
    it('compiles what parsed in a file with a syntax error, leaving out the clause the error cut short', async () => {
        const broken = BASE.replace('target at most 360 s by 2026-12-31', 'target at most by 2026-12-31');
        const workspace = await buildWorkspace({ 'org.kra': broken, 'extra.kra': 'metric extra "Extra" { unit count }' });
        const library = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
        const documents = [...workspace.documents.values(), library];
        // The compiler leaves out what the syntax error cut short (it used to throw here).
        expect(() => compileWorkspace({ documents, root: URI.parse('file:///ws') })).not.toThrow();
        const { model, broken: files } = compileTolerantly({ documents, root: URI.parse('file:///ws') });
        expect(files).toEqual([{ file: 'org.kra', line: expect.any(Number), message: expect.any(String), errors: expect.any(Number), outcome: 'partial' }]);
        expect(files[0].line).toBe(broken.split('\n').findIndex(line => line.includes('target at most by')) + 1);
        const result = diffModels(await compile({ 'org.kra': BASE, 'extra.kra': 'metric extra "Extra" { unit count }' }), model);
        expect(messages(result)).toEqual(['Operations · Average handle time target removed (was at most 360 s by 2026-12-31)']);
    });

    it('reports no broken files for a workspace that parses', async () => {
        const workspace = await buildWorkspace({ 'org.kra': BASE });
        const library = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
        const { model, broken } = compileTolerantly({ documents: [...workspace.documents.values(), library], root: URI.parse('file:///ws') });
        expect(broken).toEqual([]);
        expect(model.kpis.map(kpi => kpi.id)).toEqual(['ops.quality.qa', 'ops.service.aht', 'ops.service.fcr', 'team_leader.coaching.sessions']);
    });
});
