/**
 * The words of raw-data sources, in one place: the aggregations a metric can be measured with,
 * the dimensions a source column can map to, and the column types. The validator, completion,
 * hover, the compiler and the SQL generator all read these tables.
 */

/** The dimensions `kra eval` knows, finest first (the evaluator's DIMENSIONS, in the same order). */
export const SOURCE_DIMENSIONS = ['agent', 'team', 'client', 'channel', 'site', 'region'] as const;
export type SourceDimensionName = typeof SOURCE_DIMENSIONS[number];

export type ColumnTypeName = 'number' | 'text' | 'date' | 'timestamp' | 'boolean';

/** How a metric is measured from the rows of a source. */
export type MeasureAggregation = 'sum' | 'count' | 'count-distinct' | 'min' | 'max' | 'average';

export interface AggregationInfo {
    /** The words as written after `measured as`. */
    readonly words: string;
    /** Whether the values of two groups of rows add up to the value of both (sum, count). */
    readonly additive: boolean;
    /** The `aggregate by` a metric measured this way must have, when it has one. */
    readonly rollUp: 'sum' | 'min' | 'max' | null;
    /** Whether it reads a column (count reads none; count distinct needs one). */
    readonly column: 'none' | 'optional' | 'required';
    /** The column types it accepts. */
    readonly types: readonly ColumnTypeName[];
    readonly summary: string;
}

export const MEASURE_AGGREGATIONS: Readonly<Record<MeasureAggregation, AggregationInfo>> = {
    sum: { words: 'sum', additive: true, rollUp: 'sum', column: 'required', types: ['number'], summary: 'the total of a numeric column over the rows' },
    count: { words: 'count', additive: true, rollUp: 'sum', column: 'none', types: [], summary: 'the number of rows' },
    'count-distinct': {
        words: 'count distinct', additive: false, rollUp: null, column: 'required', types: ['number', 'text', 'date', 'timestamp', 'boolean'],
        summary: 'the number of different values of a column (agents who worked, customers who called)'
    },
    min: { words: 'min', additive: false, rollUp: 'min', column: 'required', types: ['number', 'date', 'timestamp'], summary: 'the smallest value of a column' },
    max: { words: 'max', additive: false, rollUp: 'max', column: 'required', types: ['number', 'date', 'timestamp'], summary: 'the largest value of a column' },
    average: { words: 'average', additive: false, rollUp: null, column: 'required', types: ['number'], summary: 'the mean of a numeric column over the rows' }
};

/** The aggregation a `measured as` clause names, or undefined for an unknown word. */
export function measureAggregation(name: string | undefined, distinct: boolean): MeasureAggregation | undefined {
    if (name === 'count') {
        return distinct ? 'count-distinct' : 'count';
    }
    if (distinct || name === undefined) {
        return undefined;
    }
    return (['sum', 'min', 'max', 'average'] as const).find(aggregation => aggregation === name);
}

export function isSourceDimension(name: string | undefined): name is SourceDimensionName {
    return (SOURCE_DIMENSIONS as readonly string[]).includes(name ?? '');
}

/** The type of a filter value as written: a text, a number, a true/false or a date. */
export function filterValueType(value: { text?: string; number?: number; boolean?: string; date?: string }): ColumnTypeName {
    return value.text !== undefined ? 'text' : value.boolean !== undefined ? 'boolean' : value.date !== undefined ? 'date' : 'number';
}

/** Whether a value of type `value` can be compared with a column of type `column`. */
export function comparable(column: ColumnTypeName, value: ColumnTypeName): boolean {
    return column === value || (column === 'timestamp' && value === 'date');
}
