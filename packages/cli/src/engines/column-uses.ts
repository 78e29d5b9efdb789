/**
 * What each column of a source is used for, and which value types that use accepts: the
 * check of raw files against their source declaration, before anything is aggregated.
 */
import { measureText, type ColumnType, type DataSource, type FilterNode, type Metric } from '@kra-lang/compiler';

export interface ColumnUse {
    readonly column: string;
    /** The types that fit, as the source language names them. */
    readonly types: readonly ColumnType[];
    /** What needs it, for messages: "metric 'talk' (metrics.kra:40, measured as sum of talk_seconds in calls) reads it". */
    readonly why: string;
}

const ANY: readonly ColumnType[] = ['number', 'text', 'date', 'timestamp', 'boolean'];

function filterColumns(filter: FilterNode | null, into: Array<{ column: string; types: readonly ColumnType[] }>): void {
    if (!filter) {
        return;
    }
    switch (filter.kind) {
        case 'and':
        case 'or':
            filter.operands.forEach(operand => filterColumns(operand, into));
            return;
        case 'not':
            filterColumns(filter.operand, into);
            return;
        case 'is-null':
            into.push({ column: filter.column, types: ANY });
            return;
        case 'compare':
        case 'in': {
            const values = filter.kind === 'compare' ? [filter.value] : filter.values;
            const type = values[0].type;
            into.push({ column: filter.column, types: type === 'date' ? ['date', 'timestamp'] : [type] });
        }
    }
}

export function columnUses(source: DataSource, metrics: readonly Metric[]): ColumnUse[] {
    const where = `source '${source.id}' (${source.source.file}:${source.source.line})`;
    const uses: ColumnUse[] = [];
    const declared = new Map(source.columns.map(column => [column.name, column.type]));
    const restrict = (column: string, types: readonly ColumnType[]) => {
        const type = declared.get(column);
        return type ? [type] : types;
    };
    if (source.period) {
        uses.push({ column: source.period.column, types: restrict(source.period.column, ['date', 'timestamp']), why: `${where} dates its rows by it` });
    }
    for (const mapping of source.dimensions) {
        uses.push({ column: mapping.column, types: restrict(mapping.column, ANY), why: `${where} takes the ${mapping.dimension} from it` });
    }
    for (const metric of metrics) {
        const measure = metric.measure;
        if (!measure || measure.dataSource !== source.id) {
            continue;
        }
        const why = `metric '${metric.id}' (${metric.source.file}:${metric.source.line}, measured as ${measureText(measure)}) reads it`;
        if (measure.column !== null) {
            const types: readonly ColumnType[] = measure.aggregation === 'sum' || measure.aggregation === 'average' ? ['number']
                : measure.aggregation === 'min' || measure.aggregation === 'max' ? ['number', 'date', 'timestamp'] : ANY;
            uses.push({ column: measure.column, types: restrict(measure.column, types), why });
        }
        const filtered: Array<{ column: string; types: readonly ColumnType[] }> = [];
        filterColumns(measure.filter, filtered);
        filtered.forEach(use => uses.push({ column: use.column, types: restrict(use.column, use.types), why }));
    }
    // Columns the source declares but nothing uses are checked too: the declaration promises them.
    for (const [column, type] of declared) {
        if (!uses.some(use => use.column === column)) {
            uses.push({ column, types: [type], why: `${where} declares it` });
        }
    }
    return uses;
}

/** Whether an engine's column type (DuckDB's or PostgreSQL's name) holds values of one of `types`. */
export function typeFits(engineType: string, types: readonly ColumnType[]): boolean {
    const type = engineType.toUpperCase();
    const kind: ColumnType | undefined =
        /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC|INT2|INT4|INT8|FLOAT4|FLOAT8)/.test(type) || type.startsWith('DOUBLE PRECISION') ? 'number'
            : /^(VARCHAR|TEXT|CHAR|CHARACTER|STRING|BPCHAR|UUID|ENUM)/.test(type) ? 'text'
                : /^TIMESTAMP/.test(type) ? 'timestamp'
                    : type === 'DATE' ? 'date'
                        : /^BOOL/.test(type) ? 'boolean'
                            : undefined;
    if (kind === undefined) {
        return false;
    }
    return types.includes(kind) || (kind === 'date' && types.includes('timestamp')) || (kind === 'timestamp' && types.includes('date'));
}
