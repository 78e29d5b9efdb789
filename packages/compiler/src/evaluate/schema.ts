import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import schema from '../../schemas/kra-eval.schema.json' with { type: 'json' };
import { nonFiniteNumbers } from './evaluate.js';

/** The published JSON Schema of `kra eval --format json` (draft 2020-12). */
export const EVAL_SCHEMA: object = schema;

export interface EvaluationProblem {
    /** JSON Pointer into the result. */
    readonly path: string;
    readonly message: string;
}

// Only our own schema is ever compiled: strict mode on, `$data` off.
const ajv = new Ajv2020({ allErrors: true, strict: true, $data: false });
const validate = ajv.compile(schema);

/**
 * Checks a result against the published schema, and that every number is finite (JSON would
 * silently turn NaN into null). Problems here are bugs in the evaluator.
 */
export function validateEvaluation(result: unknown): EvaluationProblem[] {
    const problems: EvaluationProblem[] = nonFiniteNumbers(result).map(path => ({ path, message: 'is not a finite number' }));
    if (!validate(result)) {
        problems.push(...(validate.errors ?? []).map((error: ErrorObject) => ({
            path: error.instancePath || '/',
            message: `${error.message ?? 'is invalid'}${error.params ? ` (${JSON.stringify(error.params)})` : ''}`
        })));
    }
    return problems;
}
