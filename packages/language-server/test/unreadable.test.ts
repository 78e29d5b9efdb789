/**
 * A workspace file the server cannot read (issue 14): the editor keeps working without it, but
 * shows a warning on the file and logs it, instead of only leaving it out. Run as root, the
 * server is started as `nobody` (root reads every file); where neither works, the test is skipped.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyWorkspace } from './helpers.js';
import { LspClient, SERVER_BIN } from '../../../test/support/lsp-client.js';

const isRoot = process.getuid?.() === 0;
const RUNUSER = '/usr/sbin/runuser';
/** Whether `nobody` can run the server from where this checkout lies (a clone under /root cannot). */
const canDropRoot = isRoot && existsSync(RUNUSER)
    && spawnSync(RUNUSER, ['-u', 'nobody', '--', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(SERVER_BIN)})`]).status === 0;

describe('a workspace file that cannot be read', () => {
    const workspace = copyWorkspace();
    let client: LspClient | undefined;
    afterAll(async () => {
        await client?.stop();
        rmSync(workspace, { recursive: true, force: true });
    });

    it.runIf(!isRoot || canDropRoot)('gets a warning that names the reason, and the other files are still checked', async () => {
        chmodSync(workspace, 0o755);
        for (const file of ['fixes.kra', 'metrics.kra', 'ops.kra', 'organisation.kra', 'roles.kra']) {
            chmodSync(path.join(workspace, file), 0o644);
        }
        const locked = path.join(workspace, 'locked.kra');
        writeFileSync(locked, 'metric locked "Locked" {\n  unit count\n}\n');
        chmodSync(locked, 0o000);
        client = await LspClient.start(canDropRoot
            ? { workspace, node: RUNUSER, nodeArgs: ['-u', 'nobody', '--', process.execPath] }
            : { workspace });
        const warning = await client.waitForDiagnostics(client.uri('locked.kra'), list => list.length > 0);
        expect(warning).toHaveLength(1);
        expect(warning[0].severity).toBe(2);
        expect(warning[0].message).toMatch(/could not read this file: permission denied \(EACCES\)\. It is left out of the workspace/);
        await client.waitForDiagnostics(client.uri('metrics.kra'));
    });
});
