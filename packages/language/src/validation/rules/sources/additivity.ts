import { describe } from '../../describe.js';
import { defineRule } from '../../rule.js';
import { measureAggregation, MEASURE_AGGREGATIONS } from '../../../sources/vocabulary.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const WHY: Readonly<Record<string, string>> = {
    'count-distinct': 'the agents who worked in two teams, or in two months, are not the sum of each: one agent in both counts once',
    average: 'the average of two groups is not the sum of their averages, nor their mean unless they have as many rows',
    min: 'the smallest value of two groups is the smaller of the two, not their sum',
    max: 'the largest value of two groups is the larger of the two, not their sum',
    sum: 'a sum of rows adds up over teams and months by construction',
    count: 'a count of rows adds up over teams and months by construction'
};

export const additivity = defineRule({
    id: 'sources/additivity',
    summary: 'A metric\'s aggregation over its source contradicts its additivity or its `aggregate by`: a count distinct declared additive, a sum declared non-additive.',
    severity: 'error',
    category: 'fast',
    checks: {
        Metric(metric, context) {
            const measure = metric.measure;
            const aggregation = measure && measureAggregation(measure.aggregation, measure.distinct);
            if (!measure || !aggregation) {
                return;
            }
            const info = MEASURE_AGGREGATIONS[aggregation];
            const subject = `${capitalised(describe(metric))} is measured as \`${info.words}\``;
            if (metric.additivity === 'additive' && !info.additive) {
                context.report({
                    node: metric,
                    property: 'additivity',
                    message: `${subject} but declared \`additive\`: ${WHY[aggregation]}. Declare it \`non-additive\`${info.rollUp ? ` with \`aggregate by ${info.rollUp}\`` : ''}.`
                });
            } else if (metric.additivity === 'non-additive' && info.additive) {
                context.report({
                    node: metric,
                    property: 'additivity',
                    message: `${subject} but declared \`non-additive\`: ${WHY[aggregation]}. Declare it \`additive\`.`
                });
            }
            const rollUp = metric.aggregation;
            const contradicts = rollUp !== undefined && (
                (rollUp === 'sum' && !info.additive)
                || ((rollUp === 'min' || rollUp === 'max') && info.rollUp !== rollUp)
            );
            if (contradicts) {
                context.report({
                    node: metric,
                    property: 'aggregation',
                    message: `${subject} but says \`aggregate by ${rollUp}\`: ${WHY[aggregation]}. `
                        + (info.rollUp ? `Say \`aggregate by ${info.rollUp}\`.` : 'Remove `aggregate by sum`, or say how it rolls up over time (`aggregate by avg`).')
                });
            }
        }
    }
});
