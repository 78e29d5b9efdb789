/**
 * The language server reads the files the editor has not opened as `kra` does
 * (KraNodeFileSystem, docs/security.md): a byte order mark is dropped, so columns on the first
 * line are those an editor shows, and of a file far over the size limit only the start is read,
 * and reported.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_LIMITS } from '../../packages/language/src/index.js';
import { LspClient } from '../support/lsp-client.js';
import { scratchFolder } from '../support/scratch.js';

const scratch = scratchFolder('kra-language-server-');
let client: LspClient;
let dir: string;

beforeAll(async () => {
    dir = scratch.write('ws', {
        'bom.kra': '\uFEFFmetric calls "Calls" { unit count };\n',
        'other.kra': 'metric other "Other" { unit count }\n'
    });
    // Over three times the limit in bytes: more than the server reads.
    writeFileSync(path.join(dir, 'huge.kra'), `metric big "Big" { unit count }\n// ${'x'.repeat(3 * SOURCE_LIMITS.maxLength + 1000)}\n`);
    client = await LspClient.start({ workspace: dir });
}, 60_000);

afterAll(async () => {
    await client?.stop();
});

describe('the language server reads files from disk as kra does', () => {
    it('drops a byte order mark: the columns of the first line are those an editor shows', async () => {
        const diagnostics = await client.waitForDiagnostics(client.uri('bom.kra'), list => list.length > 0, 30_000);
        const invalid = diagnostics.find(diagnostic => diagnostic.code === 'syntax/invalid-character');
        // `metric calls "Calls" { unit count };`: the ';' is at index 35 of the line (36 with the mark).
        expect(invalid?.range.start).toEqual({ line: 0, character: 35 });
        const unused = diagnostics.find(diagnostic => diagnostic.code === 'metrics/unused');
        expect(unused?.range.start).toEqual({ line: 0, character: 7 });
    }, 60_000);

    it('reports a file far over the size limit, and stays up', async () => {
        const diagnostics = await client.waitForDiagnostics(client.uri('huge.kra'), list => list.length > 0, 30_000);
        expect(diagnostics.length).toBeLessThanOrEqual(2);
        expect(diagnostics.map(diagnostic => String(diagnostic.code))).toContain('syntax/unexpected-token');
        expect(client.alive).toBe(true);
    }, 60_000);
});
