import { MODEL_SCHEMA } from '@kra-lang/compiler';
import type { Output } from './shared.js';

export function runSchema(output: Output): number {
    output.out(`${JSON.stringify(MODEL_SCHEMA, null, 2)}\n`);
    return 0;
}
