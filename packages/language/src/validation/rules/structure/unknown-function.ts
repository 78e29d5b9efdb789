import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';
import { AGGREGATIONS, FORMULA_FUNCTIONS } from '../../../formulas/functions.js';

export const unknownFunction = defineRule({
    id: 'structure/unknown-function',
    summary: 'A formula calls a function that does not exist, or with the wrong number of arguments.',
    severity: 'error',
    category: 'fast',
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
                const expected = fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
                context.report({
                    node,
                    property: 'function',
                    message: `${describe(node)}: ${fn.name} takes ${expected} argument${expected === '1' ? '' : 's'} but is given ${count}. Write it as ${fn.signature}.`
                });
            }
        },
        Metric(node, context) {
            if (node.aggregation && !AGGREGATIONS.has(node.aggregation)) {
                context.report({
                    node,
                    property: 'aggregation',
                    message: `${describe(node)}: '${node.aggregation}' is not an aggregation. Use one of: ${[...AGGREGATIONS.keys()].join(', ')}.`
                });
            }
        }
    }
});
