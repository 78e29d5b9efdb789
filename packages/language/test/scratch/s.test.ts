import { it } from 'vitest';
import { buildWorkspace, summarise } from '../test-utils.js';
it('scratch', async () => {
    const ws = await buildWorkspace({ 'a.kra': `
organisation acme "Acme" {
  version "2026.4"
  effective 2026-10-01
  fiscal year starts in april
  review quarterly
  currency USD
  rated on five_point
}
rating scale five_point "Five" {
  stepped
  level 5 "Outstanding" from 120%
  level 1 "Does not meet" from 0%
}
metric talk_time "Talk" { unit seconds additive aggregate by sum }
metric calls_handled "Calls" { unit count }
kpi x { formula a + b over previous period unit s target at least 20s by 2026-02-30 }
`});
    console.log(summarise(ws.diagnostics()));
});
