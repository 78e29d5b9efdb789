import { describe } from '../../describe.js';
import { closest } from '../../closest.js';
import { defineRule } from '../../rule.js';
import { isSourceDimension, measureAggregation, MEASURE_AGGREGATIONS, SOURCE_DIMENSIONS } from '../../../sources/vocabulary.js';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const AGGREGATION_WORDS = Object.values(MEASURE_AGGREGATIONS).map(info => info.words);

export const unknownDimension = defineRule({
    id: 'sources/unknown-dimension',
    summary: 'A source maps a column to a dimension `kra eval` does not know, or maps one dimension twice.',
    severity: 'error',
    category: 'fast',
    checks: {
        Source(source, context) {
            const seen = new Set<string>();
            for (const mapping of source.dimensions) {
                const name = mapping.dimension;
                if (!isSourceDimension(name)) {
                    const suggestion = name ? closest(name, SOURCE_DIMENSIONS) : undefined;
                    context.report({
                        node: mapping,
                        property: 'dimension',
                        message: `${capitalised(describe(source))}: '${name}' is not a dimension; rows are broken down by ${SOURCE_DIMENSIONS.join(', ')}. `
                            + (suggestion ? `Did you mean '${suggestion}'? ` : '') + `Write \`<dimension> from <column>\`, or declare the column with \`column ${mapping.column ?? name} is …\` if it is only for filters.`
                    });
                } else if (seen.has(name)) {
                    context.report({
                        node: mapping,
                        property: 'dimension',
                        message: `${capitalised(describe(source))}: the ${name} dimension is mapped twice. Keep one \`${name} from …\`.`
                    });
                }
                seen.add(name ?? '');
            }
        }
    }
});

export const aggregationRule = defineRule({
    id: 'sources/aggregation',
    summary: 'A metric is measured with an aggregation that does not exist, or without the column it needs.',
    severity: 'error',
    category: 'fast',
    checks: {
        SourceMeasure(measure, context) {
            const aggregation = measureAggregation(measure.aggregation, measure.distinct);
            const subject = capitalised(describe(measure));
            if (!aggregation) {
                const written = `${measure.aggregation ?? ''}${measure.distinct ? ' distinct' : ''}`;
                const suggestion = measure.aggregation ? closest(measure.aggregation, ['sum', 'count', 'min', 'max', 'average']) : undefined;
                context.report({
                    node: measure,
                    property: 'aggregation',
                    message: `${subject}: \`measured as ${written}\` is not an aggregation; use ${AGGREGATION_WORDS.join(', ')}.`
                        + (suggestion && suggestion !== measure.aggregation ? ` Did you mean '${suggestion}'?` : '')
                });
                return;
            }
            const info = MEASURE_AGGREGATIONS[aggregation];
            const source = measure.source?.ref?.name ?? measure.source?.$refText ?? 'source';
            if (info.column === 'required' && measure.column === undefined) {
                context.report({
                    node: measure,
                    property: 'aggregation',
                    message: `${subject}: \`${info.words}\` needs a column: \`measured as ${info.words} of <column> in ${source}\`.`
                });
            } else if (info.column === 'none' && measure.column !== undefined) {
                context.report({
                    node: measure,
                    property: 'column',
                    message: `${subject}: \`count\` counts rows and reads no column. Write \`measured as count of ${source} where ${measure.column} is not null\` to count the rows that have a value, or \`count distinct ${measure.column} in ${source}\` for its different values.`
                });
            }
        }
    }
});

export const incompleteSource = defineRule({
    id: 'sources/incomplete',
    summary: 'A source says neither which file or table holds its rows, or not which column dates them.',
    severity: 'error',
    category: 'fast',
    checks: {
        Source(source, context) {
            const subject = capitalised(describe(source));
            if (source.file === undefined && source.table.length === 0) {
                context.report({ node: source, property: 'name', message: `${subject} says neither \`file "…"\` nor \`table "…"\`: say where its rows are.` });
            }
            if (source.period === undefined) {
                context.report({ node: source, property: 'name', message: `${subject} has no \`period from <column>\`: say which date or timestamp column dates its rows.` });
            }
        }
    }
});
