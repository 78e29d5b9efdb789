/**
 * Evaluation of a compiled model on metric data. Browser-safe: no Node APIs; callers read
 * files and pass their text. Imported as `@kra-lang/compiler/evaluate`.
 */
export * from './result.js';
export { evaluateModel, nonFiniteNumbers, DEFAULT_ACHIEVEMENT_CAP, type EvaluateOptions } from './evaluate.js';
export {
    parseDataFile, mergeData, formatDataProblem, dataFormat, closest, countProblems, DIMENSIONS,
    type DataFile, type DataProblem, type DataRow, type DataSet, type Dimension, type ParseOptions
} from './data.js';
export { parsePeriod, periodProblem, comparePeriods, type PeriodGrain as Grain, type Period } from '@kra-lang/semantics';
export { validateEvaluation, EVAL_SCHEMA, type EvaluationProblem } from './schema.js';
export { parseInput, prepareInputs, type ParsedInput, type PreparedInputs } from './inputs.js';
export {
    parseAssignments, checkAssignments, isAssignmentsText, ASSIGNMENT_COLUMNS,
    type Assignment, type AssignmentFile, type AssignmentOptions
} from './appraisal/assignments.js';
