import { MODEL_SCHEMA } from '@kra-lang/compiler';
import { EVAL_SCHEMA } from '@kra-lang/compiler/evaluate';
import { buildConfigSchema } from '@kra-lang/language';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export const SCHEMAS = ['model', 'eval', 'config'] as const;

/**
 * Prints a published JSON Schema: of `kra build` output (`model`), of `kra eval --format json`
 * (`eval`) or of `kra.config.yaml` (`config`).
 */
export function runSchema(which: typeof SCHEMAS[number], output: Output): number {
    const schema = which === 'eval' ? EVAL_SCHEMA : which === 'config' ? buildConfigSchema() : MODEL_SCHEMA;
    output.out(`${JSON.stringify(schema, null, 2)}\n`);
    return ExitCode.clean;
}
