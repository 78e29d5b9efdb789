import { describe } from '../../describe.js';
import { defineRule } from '../../rule.js';
import { capitalise, distinctKpisOfKra, distinctKrasOfRole } from '../../support/counting.js';

export const tooManyPerRole = defineRule({
    id: 'metrics/too-many-per-role',
    summary: 'A role is measured on more KPIs, through all its KRAs, than the organisation allows.',
    severity: 'warning',
    category: 'fast',
    local: true,
    options: {
        max: { type: 'integer', description: 'Most distinct KPIs one role may carry through its KRAs.', default: 15, minimum: 1, limit: 'kpisPerRole' }
    },
    checks: {
        Role(role, context) {
            const max = Number(context.options.max);
            const kras = distinctKrasOfRole(role);
            // A KPI shared by two KRAs of the role is one thing to watch, so it counts once.
            const kpis = new Set(kras.flatMap(distinctKpisOfKra));
            if (kpis.size > max) {
                const perKra = kras.map(kra => `${kra.name} ${distinctKpisOfKra(kra).length}`).join(', ');
                context.report({
                    node: role,
                    property: 'name',
                    message: `${capitalise(describe(role))} is measured on ${kpis.size} distinct KPIs through its ${kras.length} KRAs (${perKra}); the limit is ${max}. `
                        + `Nobody can steer by that many numbers: trim each KRA to the two or three KPIs that tell most, or carry fewer KRAs, `
                        + `until the role has at most ${max}.`,
                    data: { count: kpis.size, max }
                });
            }
        }
    }
});
