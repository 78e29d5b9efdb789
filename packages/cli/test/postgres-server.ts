/**
 * A throwaway PostgreSQL server for tests: Debian's binaries (apt-get install postgresql),
 * initdb in a temporary folder as the `postgres` user, listening on a Unix socket only, with
 * password authentication. Nothing already running is used or touched.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TestPostgres {
    /** PG* variables that reach the server as its superuser. */
    readonly env: Record<string, string>;
    stop(): void;
}

export const TEST_PASSWORD = 'kra-test-secret-3141';

function binaries(): string {
    const root = '/usr/lib/postgresql';
    const versions = existsSync(root) ? readdirSync(root).filter(name => existsSync(path.join(root, name, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
    if (versions.length === 0) {
        throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does this)');
    }
    return path.join(root, versions[0], 'bin');
}

export function startPostgres(): TestPostgres {
    const bin = binaries();
    const dir = mkdtempSync(path.join(tmpdir(), 'kra-pg-'));
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    const passwordFile = path.join(dir, 'password');
    writeFileSync(passwordFile, `${TEST_PASSWORD}\n`);
    chownSync(passwordFile, uid, gid);
    const data = path.join(dir, 'data');
    const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { stdio: 'pipe', cwd: dir });
    asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--no-locale', '-E', 'UTF8']);
    asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-k ${dir} -c listen_addresses='' -p 5432`, 'start']);
    return {
        env: { PGHOST: dir, PGPORT: '5432', PGUSER: 'postgres', PGPASSWORD: TEST_PASSWORD, PGDATABASE: 'postgres' },
        stop() {
            try {
                asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        }
    };
}
