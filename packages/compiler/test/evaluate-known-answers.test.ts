/**
 * Known-answer tests of the evaluator: every KPI formula of docs/domain (AHT, FCR, CSAT, NPS,
 * service level, abandonment, occupancy, schedule adherence, attrition, quality score, and
 * year-over-year growth) on small data whose expected values are worked out by hand in the
 * comments. Two teams, north (client globex) and south (client initech), make the ratio of
 * sums differ from the average of the teams' ratios.
 */
import { URI } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../language/test/test-utils.js';
import { compileWorkspace } from '../src/compile.js';
import type { KraModel } from '../src/model.js';
import { mergeData, parseDataFile, type DataSet } from '../src/evaluate/data.js';
import { evaluateModel, nonFiniteNumbers, type EvaluateOptions } from '../src/evaluate/evaluate.js';
import type { EvaluationResult, KpiResult } from '../src/evaluate/result.js';
import { validateEvaluation } from '../src/evaluate/schema.js';

const SOURCE = `organisation acme "Acme Contact" {
  fiscal year starts in april
  rated on five_point
}

rating scale five_point "Five-point scale" {
  stepped
  level 5 "Outstanding" from 120%
  level 4 "Exceeds" from 105%
  level 3 "Meets" from 95%
  level 2 "Partly meets" from 80%
  level 1 "Does not meet" from 0%
}

rating scale smooth "Interpolated scale" {
  interpolated
  level 5 "Outstanding" from 120%
  level 4 "Exceeds" from 105%
  level 3 "Meets" from 95%
  level 2 "Partly meets" from 80%
  level 1 "Does not meet" from 0%
}

client globex "Globex"
client initech "Initech"

metric calls_offered { unit count additive }
metric calls_answered_20s { unit count additive }
metric calls_abandoned { unit count additive }
metric calls_handled { unit count additive }
metric talk_time { unit seconds additive }
metric hold_time { unit seconds additive }
metric after_call_work { unit seconds additive }
metric available_time { unit seconds additive }
metric issues { unit count additive }
metric resolved_first { unit count additive }
metric csat_responses { unit count additive }
metric csat_satisfied { unit count additive }
metric nps_responses { unit count additive }
metric promoters { unit count additive }
metric detractors { unit count additive }
metric points_earned { unit count additive }
metric points_possible { unit count additive }
metric scheduled_time { unit hours additive }
metric adherent_time { unit minutes additive }
metric wait_time { unit minutes additive }
metric leavers { unit count additive }
metric headcount { unit count non-additive aggregate by avg }
metric agents { unit count non-additive aggregate by avg }
metric revenue { unit USD additive }

department ops "Operations" {
  kra service "Service" {
    kpi service_level "Service level" {
      formula safe_ratio(calls_answered_20s, calls_offered)
      unit %
      higher is better
      target at least 78% in 2026-Q2, 80% in 2026-Q3
      target for globex at least 90% by 2026-12-31
      thresholds green at least 80%, amber at least 75%, red below 75%
      weight 40%
    }
    kpi abandonment "Abandonment rate" {
      formula safe_ratio(calls_abandoned, calls_offered)
      unit %
      lower is better
      target at most 5% by 2026-12-31
      thresholds green at most 5%, amber at most 8%, red above 8%
      weight 30%
    }
    kpi aht "Average handle time" {
      formula safe_ratio(talk_time + hold_time + after_call_work, calls_handled)
      unit seconds
      lower is better
      target at most 360 s by 2026-12-31
      thresholds green at most 360 s, amber at most 400 s, red above 400 s
      weight 30%
    }
  }
  kra experience "Experience" {
    kpi csat "CSAT" {
      formula safe_ratio(csat_satisfied, csat_responses)
      unit %
      higher is better
      target at least 85% by 2026-12-31
      thresholds green at least 85%, amber at least 80%, red below 80%
      weight 50%
    }
    kpi nps "NPS" {
      formula (safe_ratio(promoters, nps_responses) - safe_ratio(detractors, nps_responses)) * 100
      unit score
      higher is better
      target at least 10 score by 2026-12-31
      thresholds green at least 10 score, amber at least 0 score, red below 0 score
      weight 50%
    }
  }
  kra people "People" {
    kpi attrition "Monthly attrition" {
      formula safe_ratio(leavers, headcount)
      unit %
      lower is better
      baseline 5% in 2026-Q1
      target -30% from baseline by 2026-12-31
      thresholds green at most 4%, amber at most 6%, red above 6%
      weight 60%
    }
    kpi quality "Quality score" {
      formula safe_ratio(points_earned, points_possible)
      unit %
      higher is better
      target at least 85% by 2026-12-31
      thresholds green at least 85%, amber at least 80%, red below 80%
      weight 40%
    }
  }
  kra efficiency "Efficiency" {
    kpi fcr "First contact resolution" {
      formula safe_ratio(resolved_first, issues)
      unit %
      higher is better
      target at least 75% by 2026-12-31
    }
    kpi occupancy "Occupancy" {
      formula safe_ratio(talk_time + hold_time + after_call_work, talk_time + hold_time + after_call_work + available_time)
      unit %
      within band is better
      target between 75% and 85% each month
      thresholds green between 75% and 85%, amber between 70% and 90%, red otherwise
    }
    kpi adherence "Schedule adherence" {
      formula safe_ratio(adherent_time, scheduled_time)
      unit %
      higher is better
      target at least 90% by 2026-12-31
    }
  }
  kra finance "Finance" {
    kpi revenue_growth "Revenue growth" {
      formula safe_ratio(revenue - revenue over same period last year, revenue over same period last year)
      unit %
      higher is better
      target at least 12% by 2026-12-31
    }
    kpi sales "Revenue" {
      formula revenue
      unit USD
      higher is better
      target +10% year over year by 2026-12-31
    }
  }
}

role lead "Team lead" in ops {
  carries ops.service weighted 50%
  carries ops.experience weighted 30%
  carries ops.people weighted 20%
}

role analyst "Analyst" in ops {
  rated on smooth
  carries ops.service weighted 50%
  carries ops.experience weighted 30%
  carries ops.people weighted 20%
}

kpi aht_minutes "AHT in minutes" {
  formula safe_ratio(talk_time + hold_time + after_call_work, calls_handled)
  unit min
  lower is better
  target at most 6 min by 2026-12-31
}
kpi excess_wait "Wait beyond 20 seconds" {
  formula safe_ratio(wait_time, calls_handled) - 20 s
  unit seconds
  lower is better
}
kpi abandonment_plain "Abandonment, plain division" {
  formula calls_abandoned / calls_offered
  unit %
}
kpi team_aht_mean "Mean of the teams' AHT" {
  formula avg(safe_ratio(talk_time + hold_time + after_call_work, calls_handled))
  unit seconds
}
kpi team_aht_max "Slowest team's AHT" {
  formula max(safe_ratio(talk_time + hold_time + after_call_work, calls_handled))
  unit seconds
}
kpi team_aht_median "Median team AHT" {
  formula median(safe_ratio(talk_time + hold_time + after_call_work, calls_handled))
  unit seconds
}
kpi team_aht_p90 "90th percentile of team AHT" {
  formula percentile(safe_ratio(talk_time + hold_time + after_call_work, calls_handled), 90%)
  unit seconds
}
kpi teams_reporting "Teams reporting" {
  formula count(calls_handled)
  unit count
}
kpi handled_or_floor "Calls handled, at least 250" {
  formula max(calls_handled, 250)
  unit count
}
kpi staff "Average agents" {
  formula agents
  unit count
}
kpi bad_sum "Seconds plus calls" {
  formula talk_time + calls_handled
  unit seconds
}
kpi bad_unit "Calls stated as a percent" {
  formula calls_handled
  unit %
}
kpi loop_a "Loop A" {
  formula loop_b + 1
  unit count
}
kpi loop_b "Loop B" {
  formula loop_a
  unit count
}
kpi calls_prev "Calls, previous period" { formula calls_offered over previous period unit count }
kpi calls_last_year "Calls, same period last year" { formula calls_offered over same period last year unit count }
kpi calls_ytd "Calls, year to date" { formula calls_offered over year to date unit count }
kpi calls_qtd "Calls, quarter to date" { formula calls_offered over quarter to date unit count }
kpi calls_3m "Calls, rolling 3 months" { formula calls_offered over rolling 3 months unit count }
kpi calls_90d "Calls, rolling 90 days" { formula calls_offered over rolling 90 days unit count }
kpi calls_6m "Calls, rolling 6 months" { formula calls_offered over rolling 6 months unit count }
kpi calls_growth "Calls growth on the previous period" {
  formula safe_ratio(calls_offered - calls_offered over previous period, calls_offered over previous period)
  unit %
}
`;

/*
 * 2026-06: only what the staged target and a negative NPS need.
 * 2026-07: the main month. north: 96 calls handled in 38,400 s (AHT 400 s); south: 190 calls in
 *          57,000 s (AHT 300 s).
 * 2026-08: north had no calls at all (every denominator 0); south worked normally.
 * 2026-09: nobody had calls.
 */
const CALLS = `period,team,client,calls_offered,calls_answered_20s,calls_abandoned,calls_handled,talk_time,hold_time,after_call_work,available_time,issues,resolved_first,csat_responses,csat_satisfied,nps_responses,promoters,detractors,points_earned,points_possible,scheduled_time,adherent_time,wait_time
2026-06,north,globex,100,70,,,,,,,,,,,100,10,40,,,,,
2026-06,south,initech,100,80,,,,,,,,,,,100,20,30,,,,,
2026-07,north,globex,100,85,4,96,30000,2400,6000,6400,80,60,50,40,100,20,35,450,500,160,8640,160
2026-07,south,initech,200,150,10,190,45000,3000,9000,19000,180,150,100,90,120,60,24,800,1000,320,18240,475
2026-08,north,globex,0,0,0,0,0,0,0,0,,,,,,,,,,,,
2026-08,south,initech,200,160,8,192,48000,3000,6600,14400,,,,,,,,,,,,
2026-09,north,globex,0,0,0,0,0,0,0,0,,,,,,,,,,,,
2026-09,south,initech,0,0,0,0,0,0,0,0,,,,,,,,,,,,
`;

/** Headcount is non-additive (aggregate by avg): a quarter averages its months. */
const PEOPLE = `period,leavers,headcount
2026-07,9,300
2026-08,6,310
2026-09,12,320
`;

const FINANCE = `period,revenue
2025-07,100000
2026-06,105000
2026-07,108000
`;

/** Agents on the floor by team: non-additive over time, but teams add up. */
const STAFF = `period,team,agents
2026-07,north,100
2026-07,south,200
2026-08,north,110
2026-08,south,190
2026-09,north,120
2026-09,south,210
`;

/** Monthly calls in total for the windows; the fiscal year starts in April; 2026-02 is missing. */
const VOLUMES = `period,calls_offered
2025-07,90
2026-03,50
2026-04,100
2026-05,110
2026-06,120
2026-07,130
`;

let model: KraModel;

beforeAll(async () => {
    const workspace = await buildWorkspace({ 'ws.kra': SOURCE });
    const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    model = compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
    // Only the deliberate mistakes (units, a cycle) may be errors.
    const errors = workspace.diagnostics().filter(diagnostic => diagnostic.severity === 1).map(diagnostic => String(diagnostic.code));
    expect(errors.sort()).toEqual(['formula/cycle', 'units/mismatch', 'units/mismatch']);
});

function dataOf(files: Record<string, string>): DataSet {
    const data = mergeData(Object.entries(files).map(([file, text]) => parseDataFile(text, { file, metrics: model.metrics.map(metric => metric.id) })));
    expect(data.problems).toEqual([]);
    return data;
}

function evaluate(files: Record<string, string>, options: EvaluateOptions = {}): EvaluationResult {
    const result = evaluateModel(model, dataOf(files), options);
    // Whatever the data, the result validates and holds no NaN or Infinity.
    expect(validateEvaluation(result)).toEqual([]);
    expect(nonFiniteNumbers(result)).toEqual([]);
    return result;
}

function kpi(result: EvaluationResult, id: string, period: string, scope: { team?: string; client?: string } = {}): KpiResult {
    const [dimension, member] = Object.entries(scope)[0] ?? [null, null];
    const found = result.kpis.find(entry => entry.kpi === id && entry.variant === null && entry.period === period
        && entry.dimension === dimension && entry.member === member);
    if (!found) {
        throw new Error(`no result for ${id} in ${period} ${JSON.stringify(scope)}`);
    }
    return found;
}

describe('contact-centre KPI formulas, 2026-07', () => {
    let result: EvaluationResult;
    beforeAll(() => {
        result = evaluate({ 'calls.csv': CALLS, 'people.csv': PEOPLE, 'finance.csv': FINANCE, 'staff.csv': STAFF });
    });

    it('AHT is the ratio of the sums over teams, not the average of the teams\' AHT', () => {
        // north (30000 + 2400 + 6000) / 96 = 38400 / 96 = 400 s; south (45000 + 3000 + 9000) / 190 = 300 s.
        expect(kpi(result, 'ops.service.aht', '2026-07', { team: 'north' }).value).toBeCloseTo(400, 9);
        expect(kpi(result, 'ops.service.aht', '2026-07', { team: 'south' }).value).toBeCloseTo(300, 9);
        // Total (38400 + 57000) / (96 + 190) = 95400 / 286 = 333.566… s; the mean of the teams' AHT would be 350 s.
        const total = kpi(result, 'ops.service.aht', '2026-07');
        expect(total.value).toBeCloseTo(95400 / 286, 6);
        expect(total.value).not.toBeCloseTo(350, 0);
        expect(total.unit).toBe('seconds');
        // Lower is better: target / actual × 100 = 360 / 333.566… × 100 = 107.92…; green (at most 360 s).
        expect(total.achievement).toBeCloseTo(360 / (95400 / 286) * 100, 6);
        expect(total.status).toBe('green');
        // north: 360 / 400 × 100 = 90, amber (at most 400 s); south: 360 / 300 × 100 = 120, green.
        expect(kpi(result, 'ops.service.aht', '2026-07', { team: 'north' })).toMatchObject({ achievement: 90, status: 'amber' });
        expect(kpi(result, 'ops.service.aht', '2026-07', { team: 'south' })).toMatchObject({ achievement: 120, status: 'green' });
        // An explicit avg() over teams is the average of ratios, when that is what the formula asks for.
        expect(kpi(result, 'team_aht_mean', '2026-07').value).toBeCloseTo(350, 9);
        expect(kpi(result, 'team_aht_max', '2026-07').value).toBeCloseTo(400, 9);
        expect(kpi(result, 'teams_reporting', '2026-07').value).toBe(2);
        // Median of 300 and 400 is 350; the 90th percentile interpolates: 300 + 0.9 × (400 - 300) = 390.
        expect(kpi(result, 'team_aht_median', '2026-07').value).toBeCloseTo(350, 9);
        expect(kpi(result, 'team_aht_p90', '2026-07').value).toBeCloseTo(390, 9);
        // In 2026-08 north has no AHT (0 s over 0 calls): it is skipped, as SQL skips nulls, so the mean is south's 300 s;
        // count(calls_handled) still counts both teams: both have a value (0 and 192).
        expect(kpi(result, 'team_aht_mean', '2026-08').value).toBeCloseTo(300, 9);
        expect(kpi(result, 'teams_reporting', '2026-08').value).toBe(2);
    });

    it('the same AHT stated in minutes converts, and its achievement is unchanged', () => {
        // 333.566… s / 60 = 5.5594… min; 6 min / 5.5594… min × 100 = 107.92…, as in seconds.
        const minutes = kpi(result, 'aht_minutes', '2026-07');
        expect(minutes.unit).toBe('minutes');
        expect(minutes.value).toBeCloseTo(95400 / 286 / 60, 6);
        expect(minutes.achievement).toBeCloseTo(360 / (95400 / 286) * 100, 6);
    });

    it('FCR: resolved on first contact over issues, ratio of sums', () => {
        // north 60 / 80 = 75%; south 150 / 180 = 83.33%; total 210 / 260 = 80.769% (mean of ratios: 79.17%).
        const total = kpi(result, 'ops.efficiency.fcr', '2026-07');
        expect(total.value).toBeCloseTo(210 / 260 * 100, 6);
        expect(total.unit).toBe('percent');
        // 80.769 / 75 × 100 = 107.69; no thresholds, so no status, with the reason.
        expect(total.achievement).toBeCloseTo(210 / 260 * 100 / 75 * 100, 6);
        expect(total).toMatchObject({ status: null, statusReason: 'no thresholds' });
    });

    it('CSAT: satisfied responses over responses', () => {
        // (40 + 90) / (50 + 100) = 86.667%; 86.667 / 85 × 100 = 101.96; green (at least 85%).
        const total = kpi(result, 'ops.experience.csat', '2026-07');
        expect(total.value).toBeCloseTo(130 / 150 * 100, 6);
        expect(total.achievement).toBeCloseTo(130 / 150 * 100 / 85 * 100, 6);
        expect(total.status).toBe('green');
    });

    it('NPS: % promoters less % detractors, negative for a team, achievement floored at 0', () => {
        // north (20/100 - 35/100) × 100 = -15: red, and 100 × (1 + (-15 - 10) / 10) = -150, floored to 0.
        expect(kpi(result, 'ops.experience.nps', '2026-07', { team: 'north' })).toMatchObject({ value: -15, achievement: 0, status: 'red' });
        // south (60/120 - 24/120) × 100 = 30: 100 × (1 + 20 / 10) = 300, capped at 150.
        expect(kpi(result, 'ops.experience.nps', '2026-07', { team: 'south' })).toMatchObject({ value: 30, achievement: 150, status: 'green' });
        // Total (80/220 - 59/220) × 100 = 9.545; 100 × (1 + (9.545 - 10) / 10) = 95.45 (= 9.545 / 10 × 100); amber.
        const total = kpi(result, 'ops.experience.nps', '2026-07');
        expect(total.value).toBeCloseTo((80 - 59) / 220 * 100, 6);
        expect(total.unit).toBe('score');
        expect(total.achievement).toBeCloseTo((80 - 59) / 220 * 100 / 10 * 100, 6);
        expect(total.status).toBe('amber');
    });

    it('NPS in total can be negative: 2026-06', () => {
        // (10 + 20) / 200 - (40 + 30) / 200 = -0.2, × 100 = -20: red.
        expect(kpi(result, 'ops.experience.nps', '2026-06')).toMatchObject({ value: -20, achievement: 0, status: 'red' });
    });

    it('service level: a staged target by period, and a client\'s own target for its member', () => {
        // Total (85 + 150) / (100 + 200) = 78.333%; 2026-07 is in the stage `80% in 2026-Q3`: 78.333 / 80 × 100 = 97.92; amber.
        const total = kpi(result, 'ops.service.service_level', '2026-07');
        expect(total.value).toBeCloseTo(235 / 300 * 100, 6);
        expect(total.target).toMatchObject({ text: 'at least 80%', timing: 'in 2026-Q3', level: 80, client: null });
        expect(total.achievement).toBeCloseTo(235 / 300 * 100 / 80 * 100, 6);
        expect(total.status).toBe('amber');
        // Client globex (north's rows): 85%, against globex's own 90%: 85 / 90 × 100 = 94.44; green.
        const globex = kpi(result, 'ops.service.service_level', '2026-07', { client: 'globex' });
        expect(globex.target).toMatchObject({ client: 'globex', level: 90 });
        expect(globex.achievement).toBeCloseTo(85 / 90 * 100, 6);
        expect(globex.status).toBe('green');
        // Client initech has no target of its own: the general 80%; 150 / 200 = 75%, 75 / 80 × 100 = 93.75.
        expect(kpi(result, 'ops.service.service_level', '2026-07', { client: 'initech' })).toMatchObject({ value: 75, achievement: 93.75, status: 'amber' });
        // Team north is not a client: the general target: 85 / 80 × 100 = 106.25.
        expect(kpi(result, 'ops.service.service_level', '2026-07', { team: 'north' })).toMatchObject({ value: 85, achievement: 106.25 });
        // 2026-06 falls in the first stage, `at least 78% in 2026-Q2`: (70 + 80) / 200 = 75%; 75 / 78 × 100 = 96.15.
        const june = kpi(result, 'ops.service.service_level', '2026-06');
        expect(june.target).toMatchObject({ level: 78, timing: 'in 2026-Q2' });
        expect(june.achievement).toBeCloseTo(75 / 78 * 100, 6);
    });

    it('abandonment rate: lower is better', () => {
        // (4 + 10) / (100 + 200) = 4.667%; target at most 5%: 5 / 4.667 × 100 = 107.14; green.
        const total = kpi(result, 'ops.service.abandonment', '2026-07');
        expect(total.value).toBeCloseTo(14 / 300 * 100, 6);
        expect(total.achievement).toBeCloseTo(5 / (14 / 300 * 100) * 100, 6);
        expect(total.status).toBe('green');
    });

    it('occupancy: a band KPI', () => {
        // Total handle 95400 s over handle + available 95400 + 25400 = 78.97%: inside 75-85%, achievement 100, green.
        const total = kpi(result, 'ops.efficiency.occupancy', '2026-07');
        expect(total.value).toBeCloseTo(95400 / 120800 * 100, 6);
        expect(total).toMatchObject({ achievement: 100, status: 'green' });
        expect(total.target).toMatchObject({ kind: 'between', low: 75, high: 85, timing: 'each month' });
        // north 38400 / 44800 = 85.714%: 0.714 points above the band of width 10: 100 - 0.714 / 10 × 100 = 92.86; amber (70-90%).
        const north = kpi(result, 'ops.efficiency.occupancy', '2026-07', { team: 'north' });
        expect(north.value).toBeCloseTo(38400 / 44800 * 100, 6);
        expect(north.achievement).toBeCloseTo(100 - (38400 / 44800 * 100 - 85) / 10 * 100, 6);
        expect(north.status).toBe('amber');
        // south 57000 / 76000 = 75% exactly: on the bound counts as inside.
        expect(kpi(result, 'ops.efficiency.occupancy', '2026-07', { team: 'south' })).toMatchObject({ value: 75, achievement: 100, status: 'green' });
    });

    it('schedule adherence: minutes of adherent time over hours scheduled convert through seconds', () => {
        // north 8640 min = 518400 s over 160 h = 576000 s: 90%; south 18240 min / 320 h = 95%;
        // total (518400 + 1094400) / (576000 + 1152000) = 93.333%; 93.333 / 90 × 100 = 103.70.
        expect(kpi(result, 'ops.efficiency.adherence', '2026-07', { team: 'north' }).value).toBeCloseTo(90, 9);
        expect(kpi(result, 'ops.efficiency.adherence', '2026-07', { team: 'south' }).value).toBeCloseTo(95, 9);
        const total = kpi(result, 'ops.efficiency.adherence', '2026-07');
        expect(total.value).toBeCloseTo(1612800 / 1728000 * 100, 6);
        expect(total.achievement).toBeCloseTo(1612800 / 1728000 * 100 / 90 * 100, 6);
    });

    it('a constant in seconds is subtracted from minutes data in one unit', () => {
        // north 160 min = 9600 s over 96 calls = 100 s, less 20 s = 80 s; south 475 min = 28500 s / 190 = 150 s - 20 = 130 s.
        expect(kpi(result, 'excess_wait', '2026-07', { team: 'north' }).value).toBeCloseTo(80, 9);
        expect(kpi(result, 'excess_wait', '2026-07', { team: 'south' }).value).toBeCloseTo(130, 9);
        // Total (9600 + 28500) / 286 - 20 = 113.22 s.
        expect(kpi(result, 'excess_wait', '2026-07').value).toBeCloseTo(38100 / 286 - 20, 6);
    });

    it('attrition: a change from baseline', () => {
        // 9 / 300 = 3%. Target -30% from baseline 5%: level 5 × 0.7 = 3.5%.
        // Achievement = actual change / target change = (3 - 5) / (3.5 - 5) × 100 = 133.33; green (at most 4%).
        const july = kpi(result, 'ops.people.attrition', '2026-07');
        expect(july.value).toBeCloseTo(3, 9);
        expect(july.target).toMatchObject({ kind: 'change', base: 5, text: '-30% from baseline' });
        expect(july.target?.level).toBeCloseTo(3.5, 9);
        expect(july.achievement).toBeCloseTo(200 / 1.5, 6);
        expect(july.status).toBe('green');
    });

    it('quality score: points earned over points possible', () => {
        // (450 + 800) / (500 + 1000) = 83.333% (mean of the teams' 90% and 80% would be 85%); 83.333 / 85 × 100 = 98.04; amber.
        const total = kpi(result, 'ops.people.quality', '2026-07');
        expect(total.value).toBeCloseTo(1250 / 1500 * 100, 6);
        expect(total.achievement).toBeCloseTo(1250 / 1500 * 100 / 85 * 100, 6);
        expect(total.status).toBe('amber');
    });

    it('year-over-year growth, and a change target year over year', () => {
        // (108000 - 100000) / 100000 = 8%; at least 12%: 8 / 12 × 100 = 66.67.
        const growth = kpi(result, 'ops.finance.revenue_growth', '2026-07');
        expect(growth.value).toBeCloseTo(8, 9);
        expect(growth.achievement).toBeCloseTo(8 / 12 * 100, 6);
        // Revenue +10% year over year: base 100000, level 110000; (108000 - 100000) / (110000 - 100000) × 100 = 80.
        const sales = kpi(result, 'ops.finance.sales', '2026-07');
        expect(sales.target).toMatchObject({ kind: 'change', base: 100000, level: 110000, text: '+10% year over year' });
        expect(sales.achievement).toBeCloseTo(80, 9);
        // 2026-06 has no 2025-06 to compare with.
        expect(kpi(result, 'ops.finance.revenue_growth', '2026-06')).toMatchObject({ value: null, reason: 'missing data: revenue in 2025-06' });
        expect(kpi(result, 'ops.finance.sales', '2026-06')).toMatchObject({
            value: 105000, achievement: null, achievementReason: 'no base for the year over year target: missing data: revenue in 2025-06'
        });
    });

    it('KRA and role scores weight the achievements; the rating comes from the scale', () => {
        // service: 0.4 × 97.917 (service level) + 0.3 × 107.143 (abandonment) + 0.3 × 107.925 (AHT) = 103.687
        const service = 0.4 * (235 / 300 * 100 / 80 * 100) + 0.3 * (5 / (14 / 300 * 100) * 100) + 0.3 * (360 / (95400 / 286) * 100);
        // experience: 0.5 × 101.961 (CSAT) + 0.5 × 95.455 (NPS) = 98.708
        const experience = 0.5 * (130 / 150 * 100 / 85 * 100) + 0.5 * ((80 - 59) / 220 * 100 / 10 * 100);
        // people: 0.6 × 133.333 (attrition) + 0.4 × 98.039 (quality) = 119.216
        const people = 0.6 * (200 / 1.5) + 0.4 * (1250 / 1500 * 100 / 85 * 100);
        const kras = Object.fromEntries(result.kras.filter(score => score.period === '2026-07').map(score => [score.kra, score.score]));
        expect(kras['ops.service']).toBeCloseTo(service, 6);
        expect(kras['ops.experience']).toBeCloseTo(experience, 6);
        expect(kras['ops.people']).toBeCloseTo(people, 6);
        // lead: 0.5 × 103.687 + 0.3 × 98.708 + 0.2 × 119.216 = 105.299: stepped scale, level 4 from 105%.
        const role = 0.5 * service + 0.3 * experience + 0.2 * people;
        expect(role).toBeCloseTo(105.298878, 5);
        const lead = result.roles.find(score => score.role === 'lead' && score.period === '2026-07')!;
        expect(lead.score).toBeCloseTo(role, 6);
        expect(lead.rating).toEqual({ scale: 'five_point', value: 4, label: 'Exceeds' });
        // analyst: the same score on the interpolated scale: 4 + (105.299 - 105) / (120 - 105) = 4.02.
        const analyst = result.roles.find(score => score.role === 'analyst' && score.period === '2026-07')!;
        expect(analyst.rating).toEqual({ scale: 'smooth', value: 4.02, label: 'Exceeds' });
    });
});

describe('missing data, zero denominators, unit mismatches and cycles give null with a reason', () => {
    let result: EvaluationResult;
    beforeAll(() => {
        result = evaluate({ 'calls.csv': CALLS, 'people.csv': PEOPLE, 'finance.csv': FINANCE, 'staff.csv': STAFF });
    });

    it('a team with no calls has no AHT, but the total still counts the other team', () => {
        // 2026-08: north 0 s / 0 calls; south (48000 + 3000 + 6600) / 192 = 300 s; total 57600 / 192 = 300 s.
        expect(kpi(result, 'ops.service.aht', '2026-08', { team: 'north' })).toMatchObject({
            value: null, reason: 'zero denominator', achievement: null, achievementReason: 'zero denominator', status: null, statusReason: 'zero denominator'
        });
        expect(kpi(result, 'ops.service.aht', '2026-08').value).toBeCloseTo(300, 9);
    });

    it('a period with no calls at all: safe_ratio gives "zero denominator", `/` gives "division by zero"', () => {
        expect(kpi(result, 'ops.service.aht', '2026-09')).toMatchObject({ value: null, reason: 'zero denominator' });
        expect(kpi(result, 'ops.service.service_level', '2026-09')).toMatchObject({ value: null, reason: 'zero denominator' });
        expect(kpi(result, 'abandonment_plain', '2026-09')).toMatchObject({ value: null, reason: 'division by zero' });
        // Where the denominator is not 0, `/` and safe_ratio agree: 14 / 300.
        expect(kpi(result, 'abandonment_plain', '2026-07').value).toBeCloseTo(14 / 300 * 100, 6);
    });

    it('missing metrics name the metric and the period', () => {
        // 2026-06 has calls offered but leaves talk time empty for both teams.
        expect(kpi(result, 'ops.service.aht', '2026-06')).toMatchObject({
            value: null, reason: 'missing data: talk_time in 2026-06 for team north, client globex (an empty cell at calls.csv:2 and 1 more row)'
        });
        // Each team's row is reported, with its own empty cell.
        expect(result.kpis.filter(entry => entry.kpi === 'ops.service.aht' && entry.period === '2026-06').map(entry => [entry.member, entry.reason])).toEqual([
            [null, 'missing data: talk_time in 2026-06 for team north, client globex (an empty cell at calls.csv:2 and 1 more row)'],
            ['north', 'missing data: talk_time in 2026-06 for team north, client globex (an empty cell at calls.csv:2)'],
            ['south', 'missing data: talk_time in 2026-06 for team south, client initech (an empty cell at calls.csv:3)'],
            ['globex', 'missing data: talk_time in 2026-06 for team north, client globex (an empty cell at calls.csv:2)'],
            ['initech', 'missing data: talk_time in 2026-06 for team south, client initech (an empty cell at calls.csv:3)']
        ]);
    });

    it('unit mismatches and cycles', () => {
        // The same problems `kra check` reports as units/mismatch, carried by the model.
        expect(kpi(result, 'bad_sum', '2026-07')).toMatchObject({ value: null, reason: 'unit problem: the formula adds seconds and count, which do not mix' });
        expect(kpi(result, 'bad_unit', '2026-07').reason).toBe("unit problem: the formula gives count, which cannot be stated in percent, the KPI's unit");
        expect(kpi(result, 'loop_a', '2026-07')).toMatchObject({ value: null, reason: 'cycle: loop_a → loop_b → loop_a' });
    });

    it('leaves a KPI without an achievement out of its KRA and renormalises the weights', () => {
        const withoutPeople = evaluate({ 'calls.csv': CALLS, 'finance.csv': FINANCE });
        const people = withoutPeople.kras.find(score => score.kra === 'ops.people' && score.period === '2026-07')!;
        // Attrition has no data: quality alone, 98.039, carries the KRA.
        expect(people.score).toBeCloseTo(1250 / 1500 * 100 / 85 * 100, 6);
        expect(people.kpis.map(entry => entry.included)).toEqual([false, true]);
        expect(people.notes).toEqual([
            'ops.people.attrition left out: missing data: leavers in 2026-07',
            'weights renormalised over the KPIs that have an achievement'
        ]);
    });

    it('numbers too large for a double become null, never Infinity', () => {
        const huge = evaluate({ 'finance.csv': 'period,revenue\n2025-07,1e-308\n2026-07,1e308\n' });
        // (1e308 - 1e-308) / 1e-308 overflows.
        expect(kpi(huge, 'ops.finance.revenue_growth', '2026-07')).toMatchObject({ value: null, reason: 'the result is out of range' });
        expect(JSON.stringify(huge)).not.toMatch(/NaN|Infinity/);
    });
});

describe('aggregation over time and over members', () => {
    it('a quarter rolls up its months: sums for counts, the average for a non-additive headcount', () => {
        const result = evaluate({ 'calls.csv': CALLS, 'people.csv': PEOPLE, 'staff.csv': STAFF }, { periods: ['2026-Q3'] });
        expect(result.periods).toEqual([{ id: '2026-Q3', grain: 'quarter', start: '2026-07-01', end: '2026-09-30', inData: false, origin: 'asked', definitions: { from: 'files', commit: null, committed: null } }]);
        // Leavers 9 + 6 + 12 = 27 over the average headcount (300 + 310 + 320) / 3 = 310: 8.71%.
        expect(kpi(result, 'ops.people.attrition', '2026-Q3').value).toBeCloseTo(27 / 310 * 100, 6);
        // Agents add up over teams each month (300, 300, 330) and average over the months: 310.
        expect(kpi(result, 'staff', '2026-Q3').value).toBeCloseTo(310, 9);
        expect(kpi(result, 'staff', '2026-Q3', { team: 'north' }).value).toBeCloseTo(110, 9);
        // AHT over the quarter: (38400 + 57000 + 57600 + 0) s / (96 + 190 + 192 + 0) calls = 320 s.
        expect(kpi(result, 'ops.service.aht', '2026-Q3').value).toBeCloseTo(153000 / 478, 6);
    });

    it('min and max with several arguments compare elementwise', () => {
        const result = evaluate({ 'calls.csv': CALLS });
        // max(96 + 190, 250) = 286 in total; for north max(96, 250) = 250.
        expect(kpi(result, 'handled_or_floor', '2026-07').value).toBe(286);
        expect(kpi(result, 'handled_or_floor', '2026-07', { team: 'north' }).value).toBe(250);
    });
});

describe('windows', () => {
    let result: EvaluationResult;
    beforeAll(() => {
        result = evaluate({ 'volumes.csv': VOLUMES }, { periods: ['2026-03', '2026-07', '2026-Q2'] });
    });

    it('previous period, same period last year, and growth on the previous period', () => {
        expect(kpi(result, 'calls_prev', '2026-07').value).toBe(120);
        expect(kpi(result, 'calls_last_year', '2026-07').value).toBe(90);
        // (130 - 120) / 120 = 8.333%.
        expect(kpi(result, 'calls_growth', '2026-07').value).toBeCloseTo(10 / 120 * 100, 6);
    });

    it('to-date windows: the year starts in the fiscal start month (April), quarters are calendar quarters', () => {
        // April to July: 100 + 110 + 120 + 130 = 460.
        expect(kpi(result, 'calls_ytd', '2026-07').value).toBe(460);
        // The third quarter so far is July: 130.
        expect(kpi(result, 'calls_qtd', '2026-07').value).toBe(130);
        // 2026-03 closes the fiscal year that began 2025-04, and 2025-04 is not in the data.
        expect(kpi(result, 'calls_ytd', '2026-03').reason).toBe('missing data: calls_offered in 2025-04');
    });

    it('rolling windows: months, and days fitted to monthly data', () => {
        // May + June + July = 110 + 120 + 130 = 360.
        expect(kpi(result, 'calls_3m', '2026-07').value).toBe(360);
        // 90 days on monthly data is round(90 / 30.44) = 3 months.
        expect(kpi(result, 'calls_90d', '2026-07').value).toBe(360);
        // Six months back reach 2026-02, which has no row.
        expect(kpi(result, 'calls_6m', '2026-07')).toMatchObject({ value: null, reason: 'missing data: calls_offered in 2026-02' });
    });

    it('windows on a quarter built from months', () => {
        // 2026-Q2 is April to June: 330 in total, year to date too; the quarter before needs January, which is missing.
        expect(kpi(result, 'calls_3m', '2026-Q2').value).toBe(330);
        expect(kpi(result, 'calls_ytd', '2026-Q2').value).toBe(330);
        expect(kpi(result, 'calls_prev', '2026-Q2').reason).toBe('missing data: calls_offered in 2026-01');
    });
});
