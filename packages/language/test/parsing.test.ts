import type { TokenType } from 'chevrotain';
import { DefaultTokenBuilder } from 'langium';
import { describe, expect, it } from 'vitest';
import { KraLangGrammar } from '../src/generated/grammar.js';
import { KraTokenBuilder } from '../src/parser/kra-lexer.js';
import { ast } from '../src/index.js';
import { all, named, parse, parseValid, quantity, readResource } from './ast-helpers.js';

describe('parsing: files and imports', () => {
    it('parses imports before declarations, in order', async () => {
        const { file } = await parse(`
import "./metrics.kra"
import "../shared/units.kra"
objective delight
`);
        expect(file.imports.map(i => i.path)).toEqual(['./metrics.kra', '../shared/units.kra']);
        expect(file.declarations.map(d => d.$type)).toEqual(['Objective']);
    });

    it('keeps declarations of every kind in source order', async () => {
        const { file } = await parseValid(`
kpi k1 { }
kra r1 { }
role ro1 { }
department d1 { }
rating scale s1 { }
client c1
metric m1
unit u1 is count
perspective p1
objective o1
organisation org1 { }
`);
        expect(file.declarations.map(d => `${d.$type}:${d.name}`)).toEqual([
            'Kpi:k1', 'Kra:r1', 'Role:ro1', 'Department:d1', 'RatingScale:s1', 'Client:c1',
            'Metric:m1', 'Unit:u1', 'Perspective:p1', 'Objective:o1', 'Organisation:org1'
        ]);
    });

    it('accepts ids with underscores and digits', async () => {
        const { file } = await parseValid('metric _calls_2026_q3\nmetric A9_b');
        expect(file.declarations.map(d => d.name)).toEqual(['_calls_2026_q3', 'A9_b']);
    });

    it('does not accept a keyword as an id', async () => {
        const { document } = await parse('metric target');
        expect(document.parseResult.parserErrors.length).toBeGreaterThan(0);
    });
});

describe('parsing: organisation-wide declarations', () => {
    it('parses an organisation with every field', async () => {
        const { file } = await parseValid(`
organisation acme "Acme Contact Services" {
  version "2026.4"
  effective 2026-10-01
  fiscal year starts in april
  review quarterly
  currency USD
  rated on five_point
  description "Outsourced customer service."
}
rating scale five_point { level 1 "Low" from 0% }`);
        const org = named(file, ast.isOrganisation, 'acme');
        expect(org.title).toBe('Acme Contact Services');
        expect(org.version).toBe('2026.4');
        expect(org.effective).toBe('2026-10-01');
        expect(org.fiscalYearStart).toBe('april');
        expect(org.review).toBe('quarterly');
        expect(org.currency?.$refText).toBe('USD');
        expect(org.currency?.ref?.name).toBe('USD');
        expect(org.scale?.$refText).toBe('five_point');
        expect(org.scale?.ref).toBe(named(file, ast.isRatingScale, 'five_point'));
        expect(org.description).toBe('Outsourced customer service.');
    });

    it.each(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'])(
        'parses the fiscal year start month %s', async month => {
            const { file } = await parseValid(`organisation o { fiscal year starts in ${month} }`);
            expect(named(file, ast.isOrganisation, 'o').fiscalYearStart).toBe(month);
        });

    it.each(['daily', 'weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly'])('parses the review cadence %s', async cadence => {
        const { file } = await parseValid(`organisation o { review ${cadence} }`);
        expect(named(file, ast.isOrganisation, 'o').review).toBe(cadence);
    });

    it('parses an objective with every field, and one without a body', async () => {
        const { file } = await parseValid(`
objective delight "Delight customers" {
  description "Customers get their issue solved first time."
  owner "Chief Operating Officer"
  perspective customer
  by 2027-03-31
}
objective grow
objective keep "Keep people" { owner ops_manager }
role ops_manager { }`);
        const delight = named(file, ast.isObjective, 'delight');
        expect(delight.title).toBe('Delight customers');
        expect(delight.description).toBe('Customers get their issue solved first time.');
        expect(delight.owner?.person).toBe('Chief Operating Officer');
        expect(delight.owner?.role).toBeUndefined();
        expect(delight.perspective?.$refText).toBe('customer');
        expect(delight.perspective?.ref?.name).toBe('customer');
        expect(delight.deadline).toBe('2027-03-31');
        const grow = named(file, ast.isObjective, 'grow');
        expect(grow.title).toBeUndefined();
        expect(grow.description).toBeUndefined();
        const keep = named(file, ast.isObjective, 'keep');
        expect(keep.owner?.role?.ref).toBe(named(file, ast.isRole, 'ops_manager'));
        expect(keep.owner?.person).toBeUndefined();
    });

    it('parses perspectives with and without a title', async () => {
        const { file } = await parseValid('perspective esg "Environment, social and governance"\nperspective innovation');
        expect(named(file, ast.isPerspective, 'esg').title).toBe('Environment, social and governance');
        expect(named(file, ast.isPerspective, 'innovation').title).toBeUndefined();
    });

    it('parses units: base kinds, symbols and multiples', async () => {
        const { file } = await parseValid(`
unit calls "Calls" is count
unit minutes2 "Minutes, again" symbol mn = 60 seconds
unit credits is credit
unit XBT "Bitcoin" is currency
unit kilo_calls = 1000 calls
unit half_calls = 0.5 calls
unit bare`);
        const calls = named(file, ast.isUnit, 'calls');
        expect([calls.title, calls.kind, calls.symbol, calls.factor, calls.base]).toEqual(['Calls', 'count', undefined, undefined, undefined]);
        const minutes2 = named(file, ast.isUnit, 'minutes2');
        expect([minutes2.title, minutes2.symbol, minutes2.factor, minutes2.base?.$refText, minutes2.kind])
            .toEqual(['Minutes, again', 'mn', 60, 'seconds', undefined]);
        expect(minutes2.base?.ref?.name).toBe('seconds');
        expect(named(file, ast.isUnit, 'credits').kind).toBe('credit');
        expect(named(file, ast.isUnit, 'XBT').kind).toBe('currency');
        const kilo = named(file, ast.isUnit, 'kilo_calls');
        expect([kilo.factor, kilo.base?.ref]).toEqual([1000, calls]);
        expect(named(file, ast.isUnit, 'half_calls').factor).toBe(0.5);
        const bare = named(file, ast.isUnit, 'bare');
        expect([bare.title, bare.symbol, bare.kind, bare.factor]).toEqual([undefined, undefined, undefined, undefined]);
    });

    it('parses a metric with every field', async () => {
        const { file } = await parseValid(`
metric talk_time "Talk time" {
  description "Seconds agents spend talking to customers."
  source "Genesys Cloud" field "interactions.tTalk"
  unit seconds
  additive
  aggregate by sum
  owner wfm_analyst
}
metric headcount { source "HRIS" non-additive aggregate by avg owner "HR" }
metric bare
role wfm_analyst { }`);
        const talk = named(file, ast.isMetric, 'talk_time');
        expect(talk.title).toBe('Talk time');
        expect(talk.description).toBe('Seconds agents spend talking to customers.');
        expect(talk.source).toBe('Genesys Cloud');
        expect(talk.field).toBe('interactions.tTalk');
        expect(talk.unit?.ref?.name).toBe('seconds');
        expect(talk.additivity).toBe('additive');
        expect(talk.aggregation).toBe('sum');
        expect(talk.owner?.role?.ref).toBe(named(file, ast.isRole, 'wfm_analyst'));
        const headcount = named(file, ast.isMetric, 'headcount');
        expect([headcount.source, headcount.field, headcount.additivity, headcount.aggregation, headcount.owner?.person])
            .toEqual(['HRIS', undefined, 'non-additive', 'avg', 'HR']);
        expect(named(file, ast.isMetric, 'bare').unit).toBeUndefined();
        expect(talk.missingAsZero).toBe(false);
    });

    it('parses `missing as zero`, in a block or on one line with other fields', async () => {
        const { file } = await parseValid(`
metric escalations {
  unit count
  additive
  missing as zero
}
metric complaints { unit count missing as zero aggregate by sum }`);
        expect(named(file, ast.isMetric, 'escalations').missingAsZero).toBe(true);
        const complaints = named(file, ast.isMetric, 'complaints');
        expect([complaints.missingAsZero, complaints.aggregation]).toEqual([true, 'sum']);
    });

    it('keeps `missing` and `zero` usable as names', async () => {
        const { file } = await parseValid(`
metric missing { unit count missing as zero }
metric zero { unit count }
kpi gap "Gap" { formula missing - zero unit count }`);
        expect(named(file, ast.isMetric, 'missing').missingAsZero).toBe(true);
        expect(named(file, ast.isMetric, 'zero').missingAsZero).toBe(false);
        expect(named(file, ast.isKpi, 'gap').formula).toBeDefined();
    });

    it.each(['sum', 'avg', 'min', 'max', 'median', 'last'])('parses the aggregation %s', async aggregation => {
        const { file } = await parseValid(`metric m { aggregate by ${aggregation} }`);
        expect(named(file, ast.isMetric, 'm').aggregation).toBe(aggregation);
    });

    it('keeps a KRA\'s own weight apart from the weight of a measured by line before it', async () => {
        const { file } = await parseValid('kpi x { }\nkpi y { }\nkra r {\n  measured by x\n  weight 40%\n  measured by y weighted 60%\n}');
        const kra = named(file, ast.isKra, 'r');
        expect(quantity(kra.weight)).toEqual([40, '%']);
        expect(kra.measuredBy.map(m => [m.kpi.$refText, quantity(m.weight)])).toEqual([['x', undefined], ['y', [60, '%']]]);
    });

    it('parses clients with and without a body', async () => {
        const { file } = await parseValid(`
client globex "Globex Retail" { contract "MSA-2024-017, schedule B (SLA)" }
client initech { description "Telecom client." contract "MSA-2025-003" }
client umbrella`);
        const globex = named(file, ast.isClient, 'globex');
        expect([globex.title, globex.contract, globex.description]).toEqual(['Globex Retail', 'MSA-2024-017, schedule B (SLA)', undefined]);
        const initech = named(file, ast.isClient, 'initech');
        expect([initech.title, initech.description, initech.contract]).toEqual([undefined, 'Telecom client.', 'MSA-2025-003']);
        expect(named(file, ast.isClient, 'umbrella').contract).toBeUndefined();
    });

    it('parses a rating scale with its method and levels', async () => {
        const { file } = await parseValid(`
rating scale five_point "Five-point appraisal scale" {
  stepped
  level 5 "Outstanding" from 120%
  level 4 "Exceeds expectations" from 105%
  level 1 "Does not meet" from 0%
}
rating scale smooth { interpolated level 2 "High" from 1.5 ratio level 1 "Low" from -0.5 }`);
        const scale = named(file, ast.isRatingScale, 'five_point');
        expect(scale.title).toBe('Five-point appraisal scale');
        expect(scale.method).toBe('stepped');
        expect(scale.levels.map(l => [l.value, l.label, ...quantity(l.threshold)!])).toEqual([
            [5, 'Outstanding', 120, '%'],
            [4, 'Exceeds expectations', 105, '%'],
            [1, 'Does not meet', 0, '%']
        ]);
        expect(scale.levels[0].threshold.unit?.ref?.name).toBe('percent');
        const smooth = named(file, ast.isRatingScale, 'smooth');
        expect(smooth.method).toBe('interpolated');
        expect(smooth.levels.map(l => quantity(l.threshold))).toEqual([[1.5, 'ratio'], [-0.5, undefined]]);
    });
});

describe('parsing: departments, roles, KRAs', () => {
    it('parses a department with part of, owner, description and nested KRAs', async () => {
        const { file } = await parseValid(`
department delivery { }
department operations "Operations" {
  part of delivery
  owner operations_manager
  description "Runs the floor."
  kra service "Service" { }
  kra quality { }
}
department hr { owner "HR Director" }
role operations_manager { }`);
        const operations = named(file, ast.isDepartment, 'operations');
        expect(operations.title).toBe('Operations');
        expect(operations.parent?.$refText).toBe('delivery');
        expect(operations.parent?.ref).toBe(named(file, ast.isDepartment, 'delivery'));
        expect(operations.owner?.role?.ref).toBe(named(file, ast.isRole, 'operations_manager'));
        expect(operations.description).toBe('Runs the floor.');
        expect(operations.kras.map(k => [k.name, k.title])).toEqual([['service', 'Service'], ['quality', undefined]]);
        expect(operations.kras[0].$container).toBe(operations);
        expect(named(file, ast.isDepartment, 'hr').owner?.person).toBe('HR Director');
    });

    it('parses a role with in, reports to, description, rated on, carries and its own KRAs', async () => {
        const { file } = await parseValid(`
department operations { kra service { } kra quality { } }
rating scale five_point { level 1 "Low" from 0% }
role operations_manager { }
role team_leader "Team leader" in operations {
  reports to operations_manager
  description "Leads a team of 12-15 agents."
  rated on five_point
  carries operations.service weighted 50%
  carries operations.quality
  kra people_development "People development" { weight 50% }
}`);
        const role = named(file, ast.isRole, 'team_leader');
        expect(role.title).toBe('Team leader');
        expect(role.department?.ref).toBe(named(file, ast.isDepartment, 'operations'));
        expect(role.reportsTo?.ref).toBe(named(file, ast.isRole, 'operations_manager'));
        expect(role.description).toBe('Leads a team of 12-15 agents.');
        expect(role.scale?.ref).toBe(named(file, ast.isRatingScale, 'five_point'));
        expect(role.carries.map(c => [c.kra.$refText, quantity(c.weight)])).toEqual([
            ['operations.service', [50, '%']],
            ['operations.quality', undefined]
        ]);
        expect(role.carries[0].kra.ref).toBe(named(file, ast.isKra, 'service'));
        expect(role.kras.map(k => [k.name, k.title, quantity(k.weight)])).toEqual([['people_development', 'People development', [50, '%']]]);
        expect(role.kras[0].$container).toBe(role);
    });

    it('parses a KRA with every field and measured by lines', async () => {
        const { file } = await parseValid(`
objective delight
department finance { kra margin { kpi ebitda_margin { } kpi cash { } } }
role operations_manager { }
department operations {
  kra service "Service performance" {
    description "Customers reach an agent quickly."
    owner operations_manager
    perspective customer
    aligns to delight
    weight 40%
    review quarterly
    last reviewed 2026-09-15
    kpi aht { }
    measured by finance.margin.ebitda_margin weighted 10%
    measured by finance.margin.cash
    kpi fcr { }
  }
}
kra sub { aligns to operations.service }`);
        const service = named(file, ast.isKra, 'service');
        expect(service.title).toBe('Service performance');
        expect(service.description).toBe('Customers reach an agent quickly.');
        expect(service.owner?.role?.ref).toBe(named(file, ast.isRole, 'operations_manager'));
        expect(service.perspective?.ref?.name).toBe('customer');
        expect(service.alignsTo?.ref).toBe(named(file, ast.isObjective, 'delight'));
        expect(quantity(service.weight)).toEqual([40, '%']);
        expect(service.review).toBe('quarterly');
        expect(service.lastReviewed).toBe('2026-09-15');
        expect(service.kpis.map(k => k.name)).toEqual(['aht', 'fcr']);
        expect(service.measuredBy.map(m => [m.kpi.$refText, quantity(m.weight)])).toEqual([
            ['finance.margin.ebitda_margin', [10, '%']],
            ['finance.margin.cash', undefined]
        ]);
        expect(service.measuredBy[0].kpi.ref).toBe(named(file, ast.isKpi, 'ebitda_margin'));
        expect(named(file, ast.isKra, 'sub').alignsTo?.ref).toBe(service);
    });

    it('parses a top-level KRA and a top-level KPI', async () => {
        const { file } = await parseValid('kra growth { kpi nps { } }\nkpi standalone "Standalone" { unit count }');
        expect(file.declarations.map(d => d.$type)).toEqual(['Kra', 'Kpi']);
        expect(named(file, ast.isKra, 'growth').kpis.map(k => k.name)).toEqual(['nps']);
        expect(named(file, ast.isKpi, 'standalone').unit?.ref?.name).toBe('count');
    });
});

describe('parsing: KPIs', () => {
    it('parses a KPI with every field', async () => {
        const { file } = await parseValid(`
metric talk_time
metric calls_handled
role team_leader { }
kpi aht "Average handle time" {
  description "Mean seconds per handled call."
  formula safe_ratio(talk_time, calls_handled)
  unit seconds
  lower is better
  baseline 385 s in 2026-Q2
  benchmark 360 s from "Contact Babel UK 2025"
  target at most 360 s by 2026-12-31
  thresholds green at most 360 s, amber at most 400 s, red above 400 s
  measured daily
  source "Genesys Cloud"
  owner team_leader
  weight 30%
  perspective internal_process
  tags "efficiency", "client-sla", "voice"
  review monthly
  last reviewed 2026-09-15
  variant with_transfers "AHT including transfers" {
    description "Counts the whole conversation."
    formula talk_time
    unit s
    target at most 420 s by 2026-12-31
    thresholds green at most 420 s, red above 420 s
  }
  variant bare { }
}`);
        const kpi = named(file, ast.isKpi, 'aht');
        expect(kpi.title).toBe('Average handle time');
        expect(kpi.description).toBe('Mean seconds per handled call.');
        expect(ast.isFunctionCall(kpi.formula)).toBe(true);
        expect(kpi.unit?.ref?.name).toBe('seconds');
        expect(kpi.direction).toBe('lower');
        expect(quantity(kpi.baseline?.value)).toEqual([385, 's']);
        expect(kpi.baseline?.period).toBe('2026-Q2');
        expect(quantity(kpi.benchmark)).toEqual([360, 's']);
        expect(kpi.benchmarkSource).toBe('Contact Babel UK 2025');
        expect(kpi.targets).toHaveLength(1);
        expect(kpi.thresholds.map(t => t.status)).toEqual(['green', 'amber', 'red']);
        expect(kpi.frequency).toBe('daily');
        expect(kpi.source).toBe('Genesys Cloud');
        expect(kpi.owner?.role?.ref).toBe(named(file, ast.isRole, 'team_leader'));
        expect(quantity(kpi.weight)).toEqual([30, '%']);
        expect(kpi.perspective?.ref?.name).toBe('internal_process');
        expect(kpi.tags).toEqual(['efficiency', 'client-sla', 'voice']);
        expect(kpi.review).toBe('monthly');
        expect(kpi.lastReviewed).toBe('2026-09-15');
        expect(kpi.variants.map(v => [v.name, v.title])).toEqual([['with_transfers', 'AHT including transfers'], ['bare', undefined]]);
        const variant = kpi.variants[0];
        expect(variant.description).toBe('Counts the whole conversation.');
        expect(ast.isMeasureRef(variant.formula) && variant.formula.measure.ref?.name).toBe('talk_time');
        expect(variant.unit?.ref?.name).toBe('seconds');
        expect(variant.targets).toHaveLength(1);
        expect(variant.thresholds.map(t => t.status)).toEqual(['green', 'red']);
        expect(variant.$container).toBe(kpi);
    });

    it.each([
        ['higher is better', 'higher'],
        ['lower is better', 'lower'],
        ['within band is better', 'within']
    ])('parses the direction "%s"', async (text, direction) => {
        const { file } = await parseValid(`kpi k { ${text} }`);
        expect(named(file, ast.isKpi, 'k').direction).toBe(direction);
    });

    it('parses the baseline forms', async () => {
        const { file } = await parseValid(`
kpi plain { baseline 80% }
kpi in_period { baseline 385 s in 2026-Q2 }
kpi in_year { baseline 4% in FY2026 }
kpi as_of { baseline 70 % as of 2026-06-30 }
kpi negative { baseline -12.5 }`);
        const baseline = (name: string) => named(file, ast.isKpi, name).baseline!;
        expect([quantity(baseline('plain').value), baseline('plain').period, baseline('plain').asOf]).toEqual([[80, '%'], undefined, undefined]);
        expect([quantity(baseline('in_period').value), baseline('in_period').period]).toEqual([[385, 's'], '2026-Q2']);
        expect(baseline('in_year').period).toBe('FY2026');
        expect([quantity(baseline('as_of').value), baseline('as_of').asOf, baseline('as_of').period]).toEqual([[70, '%'], '2026-06-30', undefined]);
        expect(quantity(baseline('negative').value)).toEqual([-12.5, undefined]);
    });

    it('parses a benchmark with and without a source', async () => {
        const { file } = await parseValid('kpi a { benchmark 360 s from "Contact Babel" }\nkpi b { benchmark 0.8 }');
        expect([quantity(named(file, ast.isKpi, 'a').benchmark), named(file, ast.isKpi, 'a').benchmarkSource]).toEqual([[360, 's'], 'Contact Babel']);
        expect([quantity(named(file, ast.isKpi, 'b').benchmark), named(file, ast.isKpi, 'b').benchmarkSource]).toEqual([[0.8, undefined], undefined]);
    });

    it('parses one tag and several tags', async () => {
        const { file } = await parseValid('kpi a { tags "one" }\nkpi b { tags "x", "y z" }');
        expect(named(file, ast.isKpi, 'a').tags).toEqual(['one']);
        expect(named(file, ast.isKpi, 'b').tags).toEqual(['x', 'y z']);
    });
});

describe('parsing: targets', () => {
    async function target(text: string, extra = ''): Promise<ast.Target> {
        const { file } = await parseValid(`${extra}\nkpi k { ${text} }`);
        const kpi = named(file, ast.isKpi, 'k');
        expect(kpi.targets).toHaveLength(1);
        return kpi.targets[0];
    }

    it.each([
        ['at least 85% by 2026-12-31', 'least', 85, '%'],
        ['at most 360 s by 2026-12-31', 'most', 360, 's'],
        ['above 40% by 2026-12-31', 'above', 40, '%'],
        ['below 5% by 2026-12-31', 'below', 5, '%'],
        ['exactly 0 count by 2026-12-31', 'exactly', 0, 'count'],
        ['at least 3.5 by 2026-12-31', 'least', 3.5, undefined]
    ])('parses the absolute target "%s"', async (text, comparator, value, unit) => {
        const t = await target(`target ${text}`);
        expect(ast.isComparison(t.goal)).toBe(true);
        const goal = t.goal as ast.Comparison;
        expect([goal.comparator, ...quantity(goal.value)!]).toEqual([comparator, value, unit]);
        expect(t.timing?.deadline).toBe('2026-12-31');
        expect(t.client).toBeUndefined();
        expect(t.stages).toEqual([]);
    });

    it('parses a band target', async () => {
        const t = await target('target between 75% and 85% each month');
        expect(ast.isBand(t.goal)).toBe(true);
        const band = t.goal as ast.Band;
        expect([quantity(band.low), quantity(band.high)]).toEqual([[75, '%'], [85, '%']]);
        expect(t.timing?.grain).toBe('month');
    });

    it.each([
        ['+15% year over year by 2027-03-31', 15, '%', 'year'],
        ['-50% from baseline by 2026-12-31', -50, '%', 'baseline'],
        ['-5% over previous period each quarter', -5, '%', 'period'],
        ['-10 s over previous period in 2026-07', -10, 's', 'period'],
        ['+5 USD year over year each year', 5, 'USD', 'year'],
        ['3 from baseline in 2026', 3, undefined, 'baseline']
    ])('parses the change target "%s"', async (text, change, unit, basis) => {
        const t = await target(`target ${text}`);
        expect(ast.isChange(t.goal)).toBe(true);
        const goal = t.goal as ast.Change;
        expect([goal.change, goal.unit?.$refText, goal.basis]).toEqual([change, unit, basis]);
        expect(t.timing).toBeDefined();
    });

    it('parses a staged target; later stages have a value and a timing', async () => {
        const t = await target('target at least 80% in 2026-Q1, 82% in 2026-Q2, 85 % by 2026-09-30');
        expect((t.goal as ast.Comparison).comparator).toBe('least');
        expect(quantity((t.goal as ast.Comparison).value)).toEqual([80, '%']);
        expect(t.timing?.period).toBe('2026-Q1');
        expect(t.stages.map(s => [quantity(s.value), s.timing.period, s.timing.deadline])).toEqual([
            [[82, '%'], '2026-Q2', undefined],
            [[85, '%'], undefined, '2026-09-30']
        ]);
    });

    it('parses a target for a client', async () => {
        const t = await target('target for globex at most 330 s by 2026-12-31', 'client globex');
        expect(t.client?.$refText).toBe('globex');
        expect(t.client?.ref?.name).toBe('globex');
        expect(ast.isClient(t.client?.ref)).toBe(true);
        expect((t.goal as ast.Comparison).comparator).toBe('most');
    });

    it('parses a target without timing', async () => {
        const t = await target('target at least 1');
        expect(t.timing).toBeUndefined();
    });

    it('parses several targets of one KPI in order', async () => {
        const { file } = await parseValid('client globex\nkpi k { target at least 1 by 2026-12-31 target for globex at least 2 by 2026-12-31 target between 1 and 2 }');
        expect(named(file, ast.isKpi, 'k').targets.map(t => t.goal.$type)).toEqual(['Comparison', 'Comparison', 'Band']);
        expect(named(file, ast.isKpi, 'k').targets.map(t => t.client?.$refText)).toEqual([undefined, 'globex', undefined]);
    });

    it.each([
        ['by 2026-12-31', { deadline: '2026-12-31' }],
        ['in 2026', { period: '2026' }],
        ['in 2026-Q3', { period: '2026-Q3' }],
        ['in 2026-H1', { period: '2026-H1' }],
        ['in 2026-H2', { period: '2026-H2' }],
        ['in 2026-07', { period: '2026-07' }],
        ['in 2026-12', { period: '2026-12' }],
        ['in FY2026', { period: 'FY2026' }],
        ['each day', { grain: 'day' }],
        ['each week', { grain: 'week' }],
        ['each month', { grain: 'month' }],
        ['each quarter', { grain: 'quarter' }],
        ['each year', { grain: 'year' }]
    ])('parses the timing "%s"', async (text, expected) => {
        const t = await target(`target at least 1 ${text}`);
        const timing = t.timing!;
        expect({ deadline: timing.deadline, period: timing.period, grain: timing.grain })
            .toEqual({ deadline: undefined, period: undefined, grain: undefined, ...expected });
    });

    it('parses a period as a string, not a number', async () => {
        const t = await target('target at least 1 in 2026');
        expect(typeof t.timing?.period).toBe('string');
    });
});

describe('parsing: thresholds', () => {
    it('parses comparison thresholds in order', async () => {
        const { file } = await parseValid('kpi k { thresholds green at least 85%, amber at least 75%, red below 75% }');
        const thresholds = named(file, ast.isKpi, 'k').thresholds;
        expect(thresholds.map(t => [t.status, t.condition.$type, (t.condition as ast.Comparison).comparator, quantity((t.condition as ast.Comparison).value)]))
            .toEqual([
                ['green', 'Comparison', 'least', [85, '%']],
                ['amber', 'Comparison', 'least', [75, '%']],
                ['red', 'Comparison', 'below', [75, '%']]
            ]);
    });

    it('parses band thresholds with otherwise', async () => {
        const { file } = await parseValid('kpi k { thresholds green between 75% and 85%, amber between 70% and 90%, red otherwise }');
        const thresholds = named(file, ast.isKpi, 'k').thresholds;
        expect(thresholds.map(t => t.condition.$type)).toEqual(['Band', 'Band', 'Otherwise']);
        const amber = thresholds[1].condition as ast.Band;
        expect([quantity(amber.low), quantity(amber.high)]).toEqual([[70, '%'], [90, '%']]);
        expect(ast.isOtherwise(thresholds[2].condition)).toBe(true);
    });

    it('parses every comparator in a threshold', async () => {
        const { file } = await parseValid('kpi k { thresholds green above 1, amber exactly 0, red at most -1 }');
        expect(named(file, ast.isKpi, 'k').thresholds.map(t => (t.condition as ast.Comparison).comparator)).toEqual(['above', 'exactly', 'most']);
    });
});

describe('parsing: numbers', () => {
    async function values(text: string): Promise<Array<[number, string | undefined] | undefined>> {
        const { file } = await parseValid(`rating scale r { ${text} }`);
        return named(file, ast.isRatingScale, 'r').levels.map(l => quantity(l.threshold));
    }

    it('parses a number glued to its unit and one separated from it the same way', async () => {
        expect(await values('level 1 "a" from 20s level 2 "b" from 20 s level 3 "c" from 85% level 4 "d" from 85 %'))
            .toEqual([[20, 's'], [20, 's'], [85, '%'], [85, '%']]);
    });

    it('parses decimals, signs and plain numbers', async () => {
        expect(await values('level 1 "a" from 1.5 h level 2 "b" from -5 level 3 "c" from +15 level 4 "d" from -0.25 ratio level 5 "e" from 100'))
            .toEqual([[1.5, 'h'], [-5, undefined], [15, undefined], [-0.25, 'ratio'], [100, undefined]]);
    });

    it('parses units named like window keywords', async () => {
        expect(await values('level 1 "a" from 30 days level 2 "b" from 2 weeks'))
            .toEqual([[30, 'days'], [2, 'weeks']]);
    });

    it('parses a rating level value as a number', async () => {
        const { file } = await parseValid('rating scale r { level 5 "Top" from 1 }');
        expect(named(file, ast.isRatingScale, 'r').levels[0].value).toBe(5);
    });
});

describe('parsing: doc comments and comments', () => {
    it('ignores line and block comments anywhere', async () => {
        const { file } = await parseValid(`
// leading
/* block
   comment */
kpi k /* inline */ "K" { // trailing
  unit count // after
}`);
        expect(named(file, ast.isKpi, 'k').title).toBe('K');
        expect(named(file, ast.isKpi, 'k').unit?.$refText).toBe('count');
    });

    it('keeps a doc comment for a declaration', async () => {
        const { file, workspace } = await parseValid('/** Mean handle time. */\nkpi aht { }');
        const comment = workspace.services.documentation.CommentProvider.getComment(named(file, ast.isKpi, 'aht'));
        expect(comment).toBe('/** Mean handle time. */');
    });
});

describe('parsing: a corpus with every construct', () => {
    it('parses the example contact-centre corpus into the expected declarations', async () => {
        const { file } = await parseValid(readResource('corpus/contact-centre.kra'));
        expect(all(file, ast.isKpi).length).toBeGreaterThanOrEqual(12);
        expect(all(file, ast.isWindowedExpression).length).toBeGreaterThanOrEqual(8);
        expect(new Set(all(file, ast.isTarget).map(t => t.goal.$type))).toEqual(new Set(['Comparison', 'Band', 'Change']));
    });
});

describe('parsing: tokens', () => {
    it('builds the tokens Langium builds: every keyword, in order, with the terminals it could start', () => {
        const grammar = KraLangGrammar();
        const describeTokens = (tokens: TokenType[]) => tokens.map(token => [token.name, (token.LONGER_ALT as TokenType[] | undefined)?.map(alt => alt.name)]);
        const ours = describeTokens(new KraTokenBuilder().buildTokens(grammar) as TokenType[]);
        expect(ours).toEqual(describeTokens(new DefaultTokenBuilder().buildTokens(grammar) as TokenType[]));
        // Keywords that are words could start an ID, and so have it as their longer alternative.
        expect(ours).toContainEqual(['kpi', ['ID']]);
        expect(ours).toContainEqual(['{', []]);
    });
});
