/**
 * What an evaluation reads besides the model: metric data files and assignments exports, told
 * apart by their header, merged and checked against each other. `kra eval`, `kra report` and KRA
 * Studio read their files through these two functions, so they accept the same inputs.
 */
import type { KraModel } from '../model.js';
import { checkAssignments, isAssignmentsText, parseAssignments, type Assignment, type AssignmentFile } from './appraisal/assignments.js';
import { dataFormat, mergeData, parseDataFile, type DataFile, type DataProblem, type DataSet } from './data.js';

/** One file's text, parsed: metric data, or an assignments export (told from its header). */
export type ParsedInput = { readonly kind: 'data'; readonly file: DataFile } | { readonly kind: 'assignments'; readonly file: AssignmentFile };

export function parseInput(file: string, text: string, model: Pick<KraModel, 'metrics' | 'roles'>): ParsedInput {
    const format = dataFormat(file) ?? 'csv';
    return isAssignmentsText(text, format)
        ? { kind: 'assignments', file: parseAssignments(text, { file, format, roles: model.roles.map(role => role.id) }) }
        : { kind: 'data', file: parseDataFile(text, { file, metrics: model.metrics.map(metric => metric.id) }) };
}

export interface PreparedInputs {
    readonly data: DataSet;
    readonly assignments: Assignment[];
    /** Every problem of the data and the assignments, errors and warnings, in file order. */
    readonly problems: DataProblem[];
}

/** The data (with `extra` files, e.g. aggregated raw rows) merged, and the assignments checked against it. */
export function prepareInputs(inputs: readonly ParsedInput[], extra: readonly DataFile[] = []): PreparedInputs {
    const data = mergeData([...inputs.flatMap(input => (input.kind === 'data' ? [input.file] : [])), ...extra]);
    const exports = inputs.flatMap(input => (input.kind === 'assignments' ? [input.file] : []));
    const assignments = exports.flatMap(file => file.assignments);
    return {
        data,
        assignments,
        problems: [...data.problems, ...exports.flatMap(file => file.problems), ...(exports.length > 0 ? checkAssignments(assignments, data) : [])]
    };
}
