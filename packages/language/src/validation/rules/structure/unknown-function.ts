import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';
import { aggregatesOverMembers, arityText, FORMULA_FUNCTIONS, METRIC_AGGREGATIONS } from '@kra-lang/semantics';

export const unknownFunction = defineRule({
    id: 'structure/unknown-function',
    summary: 'A formula calls a function that does not exist, with the wrong number of arguments, or with `where` on a function that does not aggregate over rows.',
    severity: 'error',
    category: 'fast',
    local: true,
    checks: {
        FunctionCall(node, context) {
            const fn = FORMULA_FUNCTIONS.get(node.function);
            if (!fn) {
                context.report({
                    node,
                    property: 'function',
                    message: `${describe(node)}: the formula calls '${node.function}', which is not a function. Use one of: ${[...FORMULA_FUNCTIONS.keys()].join(', ')}.`
                });
                return;
            }
            const count = node.args.length;
            if (count < fn.minArgs || count > fn.maxArgs) {
                context.report({
                    node,
                    property: 'function',
                    message: `${describe(node)}: ${fn.name} takes ${arityText(fn)} but is given ${count}. Write it as ${fn.signature}.`
                });
                return;
            }
            if (node.filter && !aggregatesOverMembers(fn, count)) {
                const over = [...FORMULA_FUNCTIONS.values()].filter(candidate => candidate.aggregate).map(candidate => candidate.name).join(', ');
                context.report({
                    node,
                    property: 'filter',
                    message: `${describe(node)}: ${fn.name}(${count > 1 ? '…, …' : '…'}) ${count > 1 && fn.aggregate ? 'with several arguments compares them' : 'takes one value'}, so it has no rows for \`where\` to pick. `
                        + `\`where\` filters the rows of an aggregation: ${over}, with one measure (e.g. \`sum(deal_value where deal_value >= 1000 USD)\`).`
                });
            }
        },
        Metric(node, context) {
            if (node.aggregation && !METRIC_AGGREGATIONS.has(node.aggregation)) {
                context.report({
                    node,
                    property: 'aggregation',
                    message: `${describe(node)}: '${node.aggregation}' is not an aggregation. Use one of: ${[...METRIC_AGGREGATIONS.keys()].join(', ')}.`
                });
            }
        }
    }
});
