import { describe } from '../../describe.js';
import { defineRule } from '../../rule.js';
import { capitalise, distinctKrasOfRole, nameList } from '../../support/counting.js';

export const tooManyKras = defineRule({
    id: 'metrics/too-many-kras',
    summary: 'A role carries more KRAs (its own and those it `carries`) than the organisation allows.',
    severity: 'warning',
    category: 'fast',
    local: true,
    options: {
        max: { type: 'integer', description: 'Most KRAs one role may carry.', default: 5, minimum: 1, limit: 'krasPerRole' }
    },
    checks: {
        Role(role, context) {
            const max = Number(context.options.max);
            const kras = distinctKrasOfRole(role);
            if (kras.length > max) {
                context.report({
                    node: role,
                    property: 'name',
                    message: `${capitalise(describe(role))} carries ${kras.length} KRAs (${nameList(kras.map(kra => kra.name))}); the limit is ${max}. `
                        + `Too many result areas divide the role's focus: merge related areas into one KRA and move the detail into its KPIs`
                        + `${role.carries.length > 0 ? ', or drop a `carries` line,' : ','} until the role carries at most ${max}.`,
                    data: { count: kras.length, max }
                });
            }
        }
    }
});
