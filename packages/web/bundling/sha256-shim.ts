/**
 * `node:crypto`'s createHash('sha256') for the browser bundles: the CLI's Ajv stand-in
 * (tools/bundling/ajv-precompiled.ts) looks its build-time validators up by the SHA-256
 * of their schema, synchronously, which Web Crypto cannot do.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function createHash(algorithm: string) {
    if (algorithm !== 'sha256') {
        throw new Error(`createHash('${algorithm}'): only sha256 is available in the browser bundle`);
    }
    let text = '';
    return {
        update(more: string) {
            text += more;
            return this;
        },
        digest(encoding: string) {
            if (encoding !== 'hex') {
                throw new Error(`digest('${encoding}'): only hex is available in the browser bundle`);
            }
            return bytesToHex(sha256(utf8ToBytes(text)));
        }
    };
}
