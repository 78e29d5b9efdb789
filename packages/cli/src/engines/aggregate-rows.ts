/**
 * Rows of an aggregate query (from any engine) as the evaluator's data: one data row per
 * period and member, metric values as numbers, NULL left out (missing, not zero).
 */
import { parsePeriod, periodProblem, type DataFile, type DataProblem, type DataRow, type Dimension } from '@kra-lang/compiler/evaluate';
import { PERIOD_COLUMN, type AggregateQuery, type SourceGrain } from '@kra-lang/compiler/sql';

export function aggregatesAsData(rows: ReadonlyArray<Record<string, unknown>>, query: AggregateQuery, file: string, grain: SourceGrain): DataFile {
    const dataRows: DataRow[] = [];
    const problems: DataProblem[] = [];
    for (const row of rows) {
        const label = row[PERIOD_COLUMN];
        if (label === null || label === undefined) {
            continue;
        }
        const period = parsePeriod(String(label));
        if (!period) {
            // A date the source has but kra does not take (year 0000, or past 9999): an error, never a row left out unseen.
            problems.push({ severity: 'error', file, row: null, column: null, message: `rows dated in period '${String(label)}' cannot be used: ${periodProblem(String(label))}` });
            continue;
        }
        const members: Partial<Record<Dimension, string>> = {};
        for (const dimension of query.dimensions) {
            const member = row[dimension];
            if (member !== null && member !== undefined && String(member) !== '') {
                members[dimension] = String(member);
            }
        }
        const values = new Map<string, number>();
        const missing = new Set<string>();
        for (const metric of query.metrics) {
            const value = row[metric];
            // PostgreSQL's driver gives some numbers as text; DuckDB's gives numbers.
            if (value !== null && value !== undefined && Number.isFinite(Number(value))) {
                values.set(metric, Number(value));
            } else {
                // An average, minimum or maximum of no row: missing data, as an empty cell is.
                missing.add(metric);
            }
        }
        dataRows.push({ file, row: dataRows.length + 1, period, members, values, missing });
    }
    return { file, grain, rows: dataRows, problems };
}
