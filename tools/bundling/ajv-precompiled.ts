/**
 * Stands in for `ajv` and `ajv/dist/2020.js` in the bundles (see plugins.mjs). Ajv compiles a
 * schema by generating JavaScript and running it through `new Function`; the bundles must not
 * evaluate code from strings, so plugins.mjs compiles the schemas the code uses at build time
 * and this hands out those validators. Asking for any other schema is a build mistake.
 */
import { createHash } from 'node:crypto';
// A virtual module that plugins.mjs generates: schema key → standalone validator.
import validators from 'kra-ajv-validators';

export interface ErrorObject {
    keyword: string;
    instancePath: string;
    schemaPath: string;
    params: Record<string, unknown>;
    message?: string;
}

export interface ValidateFunction {
    (data: unknown): boolean;
    errors?: ErrorObject[] | null;
}

function schemaKey(schema: unknown): string {
    return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

export class Ajv {
    constructor(_options?: object) { }

    compile(schema: unknown): ValidateFunction {
        const validate = (validators as Map<string, ValidateFunction | { default: ValidateFunction }>).get(schemaKey(schema));
        if (!validate) {
            const id = typeof schema === 'object' && schema !== null && '$id' in schema ? ` ${String((schema as { $id: unknown }).$id)}` : '';
            throw new Error(`KRA Lang: no validator was compiled at build time for the JSON schema${id}; rebuild the bundle (npm run build).`);
        }
        return typeof validate === 'function' ? validate : validate.default;
    }
}

export { Ajv as Ajv2020 };
export default Ajv;
