/**
 * A small organisation for the appraisal tests, with answers worked out by hand:
 * - CSAT is measured per agent (its metrics have agent rows), AHT per team (team rows only),
 *   margin for the organisation (rows in total).
 * - 2026-07: ann (north) 45/50 satisfied = 90%, bob (north) 35/50 = 70%, cat (south) 80/100 =
 *   80%; team north 80/100 = 80%. AHT north 30,000 s / 100 calls = 300 s, south 40,000 s / 100
 *   = 400 s. Margin (1,000 − 800) / 1,000 = 20%.
 */
import { URI } from 'langium';
import { BUILTIN_LIBRARY_URI } from '@kra-lang/language';
import { buildWorkspace } from '../../../language/test/test-utils.js';
import { compileWorkspace } from '../../src/compile.js';
import type { KraModel } from '../../src/model.js';
import { mergeData, parseDataFile, type DataSet } from '../../src/evaluate/data.js';
import { parseAssignments } from '../../src/evaluate/appraisal/assignments.js';

export const SOURCE = `organisation acme "Acme Contact" {
  rated on five_point
}

objective happy_customers "Happy customers" {
  perspective customer
}

objective lean "A lean operation" {
  perspective financial
}

rating scale five_point "Five-point scale" {
  stepped
  level 5 "Outstanding" from 120%
  level 4 "Exceeds" from 105%
  level 3 "Meets" from 95%
  level 2 "Partly meets" from 80%
  level 1 "Does not meet" from 0%
}

metric csat_responses { unit count additive }
metric csat_satisfied { unit count additive }
metric talk_time { unit seconds additive }
metric calls_handled { unit count additive }
metric revenue { unit USD additive }
metric cost { unit USD additive }

department ops "Operations" {
  kra experience "Experience" {
    aligns to happy_customers
    weight 60%
    kpi csat "CSAT" {
      formula safe_ratio(csat_satisfied, csat_responses)
      unit %
      higher is better
      target at least 80% by 2026-12-31
      thresholds green at least 80%, amber at least 75%, red below 75%
    }
  }
  kra efficiency "Efficiency" {
    aligns to lean
    weight 40%
    kpi aht "Average handle time" {
      formula safe_ratio(talk_time, calls_handled)
      unit seconds
      lower is better
      target at most 360 s by 2026-12-31
      thresholds green at most 360 s, amber at most 400 s, red above 400 s
    }
  }
}

department finance "Finance" {
  kra money "Margin" {
    aligns to lean
    kpi margin "Margin" {
      formula safe_ratio(revenue - cost, revenue)
      unit %
      higher is better
      target at least 20% by 2026-12-31
      thresholds green at least 20%, amber at least 15%, red below 15%
    }
  }
}

role agent "Agent" in ops {
  carries ops.experience weighted 50%
  carries ops.efficiency weighted 50%
}

role lead "Team lead" in ops {
  carries ops.experience weighted 50%
  carries finance.money weighted 50%
}
`;

export const AGENTS_CSV = `period,agent,team,csat_responses,csat_satisfied
2026-06,ann,north,40,30
2026-06,bob,north,40,36
2026-06,cat,south,80,60
2026-07,ann,north,50,45
2026-07,bob,north,50,35
2026-07,cat,south,100,80
`;

export const TEAMS_CSV = `period,team,talk_time,calls_handled
2026-06,north,36000,100
2026-06,south,36000,100
2026-07,north,30000,100
2026-07,south,40000,100
`;

export const FINANCE_CSV = `period,revenue,cost
2026-06,1000,850
2026-07,1000,800
`;

export const METRIC_IDS = ['csat_responses', 'csat_satisfied', 'talk_time', 'calls_handled', 'revenue', 'cost'];

export async function compileFixture(source = SOURCE): Promise<KraModel> {
    const workspace = await buildWorkspace({ 'acme.kra': source });
    const errors = workspace.diagnostics().filter(diagnostic => diagnostic.severity === 1);
    if (errors.length > 0) {
        throw new Error(`fixture has errors: ${errors.map(error => error.message).join('; ')}`);
    }
    const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI));
    return compileWorkspace({ documents: [...workspace.documents.values(), builtin!], root: URI.parse('file:///ws') });
}

export function dataSet(files: Record<string, string>): DataSet {
    return mergeData(Object.entries(files).map(([file, text]) => parseDataFile(text, { file, metrics: METRIC_IDS })));
}

/**
 * ann and bob are agents in north, cat an agent in south; dave leads north. cat moved from
 * north to south on 2026-07-16, so 2026-07 has two assignments for her.
 */
export const ASSIGNMENTS_CSV = `person,role,team,from,to
ann,agent,north,2025-01-01,
bob,agent,north,2026-03-01,
cat,agent,north,2026-01-01,2026-07-15
cat,agent,south,2026-07-16,
dave,lead,north,2024-05-01,
`;

export function assignments(text = ASSIGNMENTS_CSV, file = 'people/assignments.csv') {
    return parseAssignments(text, { file, roles: ['agent', 'lead'] });
}
