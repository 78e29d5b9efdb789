import { describe } from '../../describe.js';
import { defineRule } from '../../rule.js';
import { capitalise, distinctKpisOfKra, nameList } from '../../support/counting.js';

export const tooManyKpis = defineRule({
    id: 'metrics/too-many-kpis',
    summary: 'A KRA has more KPIs (its own and those `measured by`) than the organisation allows.',
    severity: 'warning',
    category: 'fast',
    local: true,
    options: {
        max: { type: 'integer', description: 'Most KPIs one KRA may have.', default: 5, minimum: 1, limit: 'kpisPerKra' }
    },
    checks: {
        Kra(kra, context) {
            const max = Number(context.options.max);
            const kpis = distinctKpisOfKra(kra);
            if (kpis.length > max) {
                context.report({
                    node: kra,
                    property: 'name',
                    message: `${capitalise(describe(kra))} has ${kpis.length} KPIs (${nameList(kpis.map(kpi => kpi.name))}); the limit is ${max}. `
                        + `Too many indicators blur what good looks like: keep the few that best show whether this area is going well, `
                        + `turn alternative definitions of one indicator into \`variant\`s of a single KPI, and remove the rest${kra.measuredBy.length > 0 ? ' (or their `measured by` lines)' : ''}, `
                        + `until the KRA has at most ${max}.`,
                    data: { count: kpis.length, max }
                });
            }
        }
    }
});
