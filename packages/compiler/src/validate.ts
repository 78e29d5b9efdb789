import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import schema from '../schemas/kra-model.schema.json' with { type: 'json' };

/** The published JSON Schema of the compiled model (draft 2020-12). */
export const MODEL_SCHEMA: object = schema;

export interface SchemaProblem {
    /** JSON Pointer into the output. */
    readonly path: string;
    readonly message: string;
}

// Only our own schema is ever compiled: strict mode on, `$data` off.
const ajv = new Ajv2020({ allErrors: true, strict: true, $data: false });
const validate = ajv.compile(schema);

/** Checks a model against the published schema. Problems here are bugs in the compiler. */
export function validateModel(model: unknown): SchemaProblem[] {
    if (validate(model)) {
        return [];
    }
    return (validate.errors ?? []).map((error: ErrorObject) => ({
        path: error.instancePath || '/',
        message: `${error.message ?? 'is invalid'}${error.params ? ` (${JSON.stringify(error.params)})` : ''}`
    }));
}
