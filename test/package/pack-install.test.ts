/**
 * The packages as people install them: packed with `npm pack`, installed with plain npm into
 * an empty folder outside the workspace (no workspace links, no devDependencies, no project
 * Node), then run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['semantics', 'language', 'compiler', 'scorecard', 'cli', 'language-server'];

let scratch: string;
let tarballs: Record<string, string>;
let installed: string;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
    const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    if (result.error) {
        throw result.error;
    }
    return result;
}

function npm(args: string[], cwd: string) {
    const result = run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
    expect(result.status, `npm ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
}

/** An empty folder with a package.json, outside the repository. */
function emptyProject(name: string): string {
    const dir = path.join(scratch, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    return dir;
}

/** The files a tarball holds, as `npm pack --dry-run` lists them. */
function packedFiles(name: string): string[] {
    const [report] = JSON.parse(npm(['pack', '--dry-run', '--json'], path.join(REPO, 'packages', name))) as { files: { path: string }[] }[];
    return report.files.map(file => file.path);
}

/** A Node.js older than 22 on the PATH (the system one on these machines), if there is one. */
function olderNode(): string | undefined {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        if (dir.includes('node_modules')) {
            continue;
        }
        const candidate = path.join(dir, 'node');
        const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
        if (version.status === 0 && Number(/^v(\d+)/.exec(version.stdout)?.[1]) < 22) {
            return candidate;
        }
    }
    return undefined;
}

beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'kra-pack-'));
    const packed = path.join(scratch, 'tarballs');
    mkdirSync(packed);
    for (const name of PACKAGES) {
        npm(['pack', '--pack-destination', packed], path.join(REPO, 'packages', name));
    }
    tarballs = Object.fromEntries(readdirSync(packed).map(file => [/^kra-lang-(.+)-\d+\.\d+\.\d+\.tgz$/.exec(file)![1], path.join(packed, file)]));
    installed = emptyProject('installed');
    npm(['install', ...PACKAGES.map(name => tarballs[name])], installed);
    cpSync(path.join(REPO, 'examples', 'hello'), path.join(installed, 'hello'), { recursive: true });
}, 240_000);

// The installed packages hold tens of thousands of files (ECharts alone, for the scorecard).
afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe('npm pack', () => {
    it.each(PACKAGES)('%s ships its licence and README, its built code, and no build leftovers', name => {
        const files = packedFiles(name);
        expect(files).toContain('LICENSE');
        expect(files).toContain('README.md');
        expect(files).toContain('package.json');
        expect(files.filter(file => file.endsWith('.tsbuildinfo'))).toEqual([]);
        expect(files.filter(file => file.startsWith('test/'))).toEqual([]);
    });

    it('the CLI ships its bundle, not the modules the bundle was made from', () => {
        const files = packedFiles('cli');
        expect(files).toContain('out/bundle/main.mjs');
        expect(files.filter(file => file.startsWith('out/') && !file.startsWith('out/bundle/'))).toEqual([]);
    });
});

describe('installed from the tarballs with plain npm', () => {
    it('kra checks a copy of examples/hello', () => {
        const result = run(process.execPath, [path.join(installed, 'node_modules', '.bin', 'kra'), 'check', 'hello'], installed, { ...process.env, NO_COLOR: '1' });
        expect(result.stderr).toBe('');
        expect(result.stdout).toContain('No problems in 1 file.');
        expect(result.status).toBe(0);
    });

    it('kra alone, with no other package, works: the bundle\'s one runtime dependency is DuckDB, whose native library cannot be bundled', () => {
        const alone = emptyProject('cli-alone');
        npm(['install', tarballs.cli], alone);
        expect(readdirSync(path.join(alone, 'node_modules')).filter(entry => !entry.startsWith('.'))).toEqual(['@duckdb', '@kra-lang', 'detect-libc']);
        cpSync(path.join(REPO, 'examples', 'hello'), path.join(alone, 'hello'), { recursive: true });
        writeFileSync(path.join(alone, 'hello', 'hello.kra'), 'metric calls "Calls" {\n  unit cont\n}\n');
        const result = run(process.execPath, [path.join(alone, 'node_modules', '.bin', 'kra'), 'check', 'hello'], alone, { ...process.env, NO_COLOR: '1' });
        expect(result.stdout).toContain("unknown unit 'cont'");
        expect(result.status).toBe(1);
    }, 120_000);

    it('kra-language-server --stdio answers initialize with its name and version', async () => {
        const server = spawn(process.execPath, [path.join(installed, 'node_modules', '.bin', 'kra-language-server'), '--stdio'], { cwd: installed });
        const request = JSON.stringify({
            jsonrpc: '2.0', id: 1, method: 'initialize',
            params: { processId: null, rootUri: null, capabilities: {}, workspaceFolders: null }
        });
        const response = await new Promise<{ id: number; result: { serverInfo?: { name: string; version: string }; capabilities: object } }>((resolve, reject) => {
            let buffer = Buffer.alloc(0);
            server.on('error', reject);
            server.on('exit', code => reject(new Error(`the server exited with ${code}`)));
            server.stdout.on('data', (chunk: Buffer) => {
                buffer = Buffer.concat([buffer, chunk]);
                const header = /^Content-Length: (\d+)\r\n\r\n/.exec(buffer.toString('latin1'));
                if (header && buffer.length >= header[0].length + Number(header[1])) {
                    resolve(JSON.parse(buffer.subarray(header[0].length, header[0].length + Number(header[1])).toString('utf8')));
                }
            });
            server.stdin.write(`Content-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
        }).finally(() => server.kill());
        expect(response.id).toBe(1);
        expect(response.result.serverInfo).toEqual({ name: 'kra-language-server', version: '0.1.0' });
        expect(response.result.capabilities).toHaveProperty('completionProvider');
    });

    const oldNode = olderNode();
    it.skipIf(!oldNode)('on a Node older than 22, kra and kra-language-server say which version they need, in one line, and exit 2', () => {
        for (const bin of ['kra', 'kra-language-server']) {
            const result = run(oldNode!, [path.join(installed, 'node_modules', '.bin', bin), ...(bin === 'kra' ? ['check', 'hello'] : ['--stdio'])], installed);
            expect(result.status).toBe(2);
            expect(result.stdout).toBe('');
            expect(result.stderr).toMatch(new RegExp(`^${bin} needs Node\\.js 22 or later; this is v\\d+\\.\\d+\\.\\d+\\. Install Node\\.js 22 or later \\(https://nodejs\\.org, or: nvm install 22\\); in a clone of the KRA Lang repository, npm ci brings it\\.\\n$`));
        }
    });
});
