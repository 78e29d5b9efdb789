import { describe } from '../../describe.js';
import { defineRule } from '../../rule.js';
import { comparable, filterValueType, measureAggregation, MEASURE_AGGREGATIONS } from '../../../sources/vocabulary.js';
import { filterTests, knownColumns } from './columns.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const ORDERED = new Set(['number', 'date', 'timestamp']);

export const typeMismatch = defineRule({
    id: 'sources/type-mismatch',
    summary: 'A declared column is used in a way its type does not allow: summing text, comparing a number column with a text, dating rows by a number.',
    severity: 'error',
    category: 'fast',
    checks: {
        Source(source, context) {
            const type = source.period === undefined ? undefined : source.columns.find(column => column.column === source.period)?.type;
            if (type && type !== 'date' && type !== 'timestamp') {
                context.report({
                    node: source,
                    property: 'period',
                    message: `${capitalised(describe(source))}: the period column '${source.period}' is declared as ${type}; rows are dated by a date or timestamp column. `
                        + `Declare it \`column ${source.period} is date\` (or timestamp), or date the rows by another column.`
                });
            }
        },
        SourceMeasure(measure, context) {
            const source = measure.source?.ref;
            const known = source && knownColumns(source, context.services);
            if (!known) {
                return;
            }
            const aggregation = measureAggregation(measure.aggregation, measure.distinct);
            const columnType = measure.column === undefined ? undefined : known.types.get(measure.column);
            if (aggregation && columnType) {
                const info = MEASURE_AGGREGATIONS[aggregation];
                if (info.types.length > 0 && !info.types.includes(columnType)) {
                    context.report({
                        node: measure,
                        property: 'column',
                        message: `${capitalised(describe(measure))}: \`${info.words}\` needs a ${info.types.join(' or ')} column, but '${measure.column}' is ${columnType}. `
                            + (columnType === 'text' ? `Count its rows (\`count of ${source.name} where …\`) or its different values (\`count distinct ${measure.column} in ${source.name}\`), or use a numeric column.` : 'Use a column of the right type, or another aggregation.')
                    });
                }
            }
            for (const test of filterTests(measure.filter)) {
                const type = test.column === undefined ? undefined : known.types.get(test.column);
                if (!type) {
                    continue;
                }
                const values = test.value ? [test.value] : test.values;
                for (const value of values) {
                    const valueType = filterValueType(value);
                    if (!comparable(type, valueType)) {
                        context.report({
                            node: test,
                            property: test.value ? 'value' : 'values',
                            message: `${capitalised(describe(measure))}: the filter compares the ${type} column '${test.column}' with a ${valueType}. `
                                + (type === 'text' ? `Write the value in quotes ("${value.number ?? value.boolean ?? value.date ?? ''}"), or compare another column.` : `Write a ${type} value, or compare another column.`)
                        });
                        break;
                    }
                }
                if ((test.operator === '<' || test.operator === '>' || test.operator === '<=' || test.operator === '>=') && !ORDERED.has(type)) {
                    context.report({
                        node: test,
                        property: 'operator',
                        message: `${capitalised(describe(measure))}: \`${test.operator}\` orders values, but '${test.column}' is ${type}. Use \`=\`, \`!=\` or \`in (…)\` on a ${type} column.`
                    });
                }
            }
        }
    }
});
