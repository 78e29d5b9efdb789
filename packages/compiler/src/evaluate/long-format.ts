/**
 * Long-format metric data: one value per row, `period, [dimensions…], metric, value`, as most BI
 * and HR exports give it. The header tells the form: a file is long when it has both a `metric`
 * and a `value` column and no column named after a declared metric (a workspace may declare a
 * metric called `value`; then its files are wide). Each long row becomes the same cells a wide
 * row would give (a period, its members, one metric's value), so both forms share one reader,
 * one set of checks and the same error positions.
 */
import { closest, DIMENSIONS, quoted, type Dimension } from './data.js';

export const LONG_METRIC = 'metric';
export const LONG_VALUE = 'value';

/** Whether a header (CSV) or a row object's keys (JSON) are those of long-format data. */
export function isLongHeader(names: readonly string[], metrics: ReadonlySet<string>): boolean {
    return names.includes(LONG_METRIC) && names.includes(LONG_VALUE) && !names.some(name => metrics.has(name));
}

/** A column of a long-format file; `other` is any column that has no place in it. */
export type LongColumn = { kind: 'period' } | { kind: 'dimension'; dimension: Dimension } | { kind: 'metric' } | { kind: 'value' } | { kind: 'other' };

export function longColumn(name: string): LongColumn {
    if (name === 'period') {
        return { kind: 'period' };
    }
    if ((DIMENSIONS as readonly string[]).includes(name)) {
        return { kind: 'dimension', dimension: name as Dimension };
    }
    return name === LONG_METRIC ? { kind: 'metric' } : name === LONG_VALUE ? { kind: 'value' } : { kind: 'other' };
}

/** The message for a column a long-format file cannot have. */
export function unknownLongColumn(where: string): string {
    return `${where} has no place in long-format data: its columns are 'period', the dimensions ${DIMENSIONS.join(', ')}, `
        + `'${LONG_METRIC}' (a metric id) and '${LONG_VALUE}'; for one column per metric, drop '${LONG_METRIC}' and '${LONG_VALUE}' (wide form)`;
}

/** A cell as the file gives it: its column's name, its 1-based column (null in JSON) and its content. */
export interface LongCell {
    readonly name: string;
    readonly column: number | null;
    readonly cell: unknown;
}

/** A cell as the wide reader takes it: the value cell becomes the named metric's cell. */
export type WideCell = {
    role: { kind: 'period' } | { kind: 'dimension'; dimension: Dimension } | { kind: 'metric'; metric: string } | { kind: 'ignored' };
    column: number | null;
    name: string;
    cell: unknown;
};

/**
 * One long row's cells as a wide row's, or undefined after reporting why not (the metric cell
 * is missing, empty or names no declared metric).
 */
export function wideCells(cells: readonly LongCell[], metrics: ReadonlySet<string>, row: number, format: 'csv' | 'json',
    report: (row: number, column: number | null, message: string | (() => string)) => void): WideCell[] | undefined {
    const where = format === 'csv' ? `column '${LONG_METRIC}'` : `key "${LONG_METRIC}"`;
    const metricCell = cells.find(cell => cell.name === LONG_METRIC);
    const metric = metricCell && typeof metricCell.cell === 'string' ? metricCell.cell.trim() : '';
    if (!metricCell || metric === '') {
        report(row, metricCell?.column ?? null, metricCell && metricCell.cell !== null && metricCell.cell !== undefined && typeof metricCell.cell !== 'string'
            ? `${where}: a metric id must be text`
            : `${where} is empty: every long-format row names the metric its value is for`);
        return undefined;
    }
    if (!metrics.has(metric)) {
        report(row, metricCell.column, () => {
            const suggestion = closest(metric, [...metrics]);
            return `${where}: the workspace declares no metric '${quoted(metric)}'${suggestion ? `. Did you mean '${suggestion}'?` : ''}`;
        });
        return undefined;
    }
    return cells.flatMap((cell): WideCell[] => {
        const column = longColumn(cell.name);
        switch (column.kind) {
            case 'period':
            case 'dimension':
                return [{ role: column, column: cell.column, name: cell.name, cell: cell.cell }];
            case 'value':
                return [{ role: { kind: 'metric', metric }, column: cell.column, name: cell.name, cell: cell.cell }];
            case 'metric':
                return [];
            case 'other':
                return [{ role: { kind: 'ignored' }, column: cell.column, name: cell.name, cell: cell.cell }];
        }
    });
}
