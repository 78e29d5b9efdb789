import { MODEL_SCHEMA } from '@kra-lang/compiler';
import { EVAL_SCHEMA } from '@kra-lang/compiler/evaluate';
import type { Output } from './shared.js';

/** Prints a published JSON Schema: of `kra build` output (`model`) or of `kra eval --format json` (`eval`). */
export function runSchema(which: 'model' | 'eval', output: Output): number {
    output.out(`${JSON.stringify(which === 'eval' ? EVAL_SCHEMA : MODEL_SCHEMA, null, 2)}\n`);
    return 0;
}
