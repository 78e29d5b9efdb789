/**
 * The `measured as` clause of a metric in canonical form, from the model alone (browser-safe):
 * the diff compares it, the SQL comments and the docs quote it.
 */
import type { FilterNode, FilterValue, MetricMeasure } from './model.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column as written in a .kra file: bare when it is a name, else quoted. */
function columnText(column: string): string {
    return NAME.test(column) ? column : JSON.stringify(column);
}

function valueText(value: FilterValue): string {
    return value.type === 'text' ? JSON.stringify(value.value) : String(value.value);
}

/** A filter in canonical form, parenthesised only where `and` binds tighter than `or` needs it. */
export function filterText(filter: FilterNode, parent: 'and' | 'or' | 'not' | null = null): string {
    switch (filter.kind) {
        case 'and':
        case 'or': {
            const text = filter.operands.map(operand => filterText(operand, filter.kind as 'and' | 'or')).join(` ${filter.kind} `);
            return (parent === 'not' || (parent === 'and' && filter.kind === 'or')) ? `(${text})` : text;
        }
        case 'not': return `not ${filterText(filter.operand, 'not')}`;
        case 'compare': return `${columnText(filter.column)} ${filter.operator} ${valueText(filter.value)}`;
        case 'in': return `${columnText(filter.column)} in (${filter.values.map(valueText).join(', ')})`;
        case 'is-null': return `${columnText(filter.column)} is ${filter.negated ? 'not ' : ''}null`;
    }
}

/** `count of calls where outcome = "abandoned"`: the `measured as` clause in canonical form. */
export function measureText(measure: MetricMeasure): string {
    const words = measure.aggregation === 'count-distinct' ? 'count distinct' : measure.aggregation;
    const of = measure.aggregation === 'count-distinct' ? '' : 'of ';
    const what = measure.column === null ? `of ${measure.dataSource}` : `${of}${columnText(measure.column)} in ${measure.dataSource}`;
    return `${words} ${what}${measure.filter ? ` where ${filterText(measure.filter)}` : ''}`;
}
