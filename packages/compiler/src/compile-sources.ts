/**
 * Compiles sources of raw data and the `measured as` clauses of metrics to the model's plain
 * form (model.ts: DataSource, MetricMeasure, FilterNode). Unfinished declarations (kept with
 * `--allow-errors`) compile to null parts rather than half-made ones.
 */
import { AstUtils, UriUtils, type URI } from 'langium';
import { ast, filterValueType, isSourceDimension, measureAggregation, qualifiedName } from '@kra-lang/language';
import type { ColumnType, DataSource, FilterNode, FilterValue, MetricMeasure, SourceLocation } from './model.js';

export function compileSource(
    source: ast.Source, root: URI, location: (node: ast.Source) => SourceLocation, usedBy: readonly string[]
): DataSource {
    let file: string | null = null;
    if (source.file !== undefined) {
        const document = AstUtils.getDocument(source);
        file = UriUtils.relative(root, UriUtils.resolvePath(UriUtils.dirname(document.uri), source.file));
    }
    return {
        id: qualifiedName(source),
        title: source.title ?? null,
        description: source.description ?? null,
        file,
        table: source.table.length > 0 ? [...source.table] : null,
        period: source.period !== undefined
            ? { column: source.period, grain: (source.grain ?? 'month') as 'day' | 'month' | 'quarter' | 'year' }
            : null,
        dimensions: source.dimensions
            .filter(mapping => isSourceDimension(mapping.dimension) && mapping.column !== undefined)
            .map(mapping => ({ dimension: mapping.dimension as DataSource['dimensions'][number]['dimension'], column: mapping.column })),
        columns: source.columns
            .filter(column => column.column !== undefined && column.type !== undefined)
            .map(column => ({ name: column.column, type: column.type as ColumnType })),
        usedBy: [...usedBy].sort(),
        source: location(source)
    };
}

export function compileMeasure(measure: ast.SourceMeasure | undefined): MetricMeasure | null {
    const aggregation = measure && measureAggregation(measure.aggregation, measure.distinct);
    const source = measure?.source?.ref;
    if (!measure || !aggregation || !source) {
        return null;
    }
    const filter = measure.filter ? compileFilter(measure.filter) : null;
    if (measure.filter && !filter) {
        return null;
    }
    return { aggregation, column: measure.column ?? null, dataSource: qualifiedName(source), filter };
}

function compileFilter(filter: ast.Filter): FilterNode | null {
    if (ast.isFilterOr(filter) || ast.isFilterAnd(filter)) {
        const operands = filter.operands.map(compileFilter);
        return operands.every(operand => operand !== null)
            ? { kind: ast.isFilterOr(filter) ? 'or' : 'and', operands: operands as FilterNode[] }
            : null;
    }
    if (ast.isFilterNot(filter)) {
        const operand = filter.operand && compileFilter(filter.operand);
        return operand ? { kind: 'not', operand } : null;
    }
    if (!ast.isFilterTest(filter) || filter.column === undefined) {
        return null;
    }
    if (filter.isNull) {
        return { kind: 'is-null', column: filter.column, negated: filter.negated };
    }
    if (filter.operator && filter.value) {
        return { kind: 'compare', column: filter.column, operator: filter.operator, value: filterValue(filter.value) };
    }
    if (filter.values.length > 0) {
        return { kind: 'in', column: filter.column, values: filter.values.map(filterValue) };
    }
    return null;
}

function filterValue(value: ast.FilterValue): FilterValue {
    switch (filterValueType(value)) {
        case 'text': return { type: 'text', value: value.text! };
        case 'boolean': return { type: 'boolean', value: value.boolean === 'true' };
        case 'date': return { type: 'date', value: value.date! };
        default: return { type: 'number', value: value.number ?? 0 };
    }
}
