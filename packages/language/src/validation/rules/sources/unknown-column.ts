import { closest } from '../../closest.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import type { AstNode } from 'langium';
import type { Source } from '../../../generated/ast.js';
import { filterTests, knownColumns } from './columns.js';

function check(source: Source, column: string | undefined, node: AstNode, property: string, what: string, context: RuleContext): void {
    const known = knownColumns(source, context.services);
    if (column === undefined || !known || known.types.has(column)) {
        return;
    }
    const names = [...known.types.keys()];
    const suggestion = closest(column, names);
    const where = known.origin === 'declared' ? `the columns source '${source.name}' declares` : `the header of ${source.file}`;
    context.report({
        node,
        property,
        message: `${capitalised(describe(node))}: ${what} '${column}' is not among ${where} (${names.join(', ')}). `
            + (suggestion ? `Did you mean '${suggestion}'? ` : '')
            + (known.origin === 'declared' ? `Declare it with \`column ${column} is …\` in the source, or use one of these.` : 'Use one of these, or fix the file name.')
    });
}

function capitalised(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

export const unknownColumn = defineRule({
    id: 'sources/unknown-column',
    summary: 'A source or a metric measured from it names a column the source does not have (as declared, or in its CSV file\'s header).',
    severity: 'error',
    // Reads the header of a source's CSV file.
    category: 'slow',
    checks: {
        Source(source, context) {
            check(source, source.period, source, 'period', 'the period column', context);
            for (const dimension of source.dimensions) {
                check(source, dimension.column, dimension, 'column', `the ${dimension.dimension ?? 'dimension'} column`, context);
            }
        },
        SourceMeasure(measure, context) {
            const source = measure.source?.ref;
            if (!source) {
                return;
            }
            check(source, measure.column, measure, 'column', 'the column', context);
            for (const test of filterTests(measure.filter)) {
                check(source, test.column, test, 'column', 'the filter column', context);
            }
        }
    }
});
