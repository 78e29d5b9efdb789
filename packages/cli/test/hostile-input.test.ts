/**
 * Issue 14, round two of hostile input, for the command line: ordinary conditions of the file
 * system and the command line (a full output, a folder in the way, an empty argument) are one
 * line on standard error and exit 2, never a stack trace or an "internal error", and nothing is
 * written half-way.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const { root: scratch } = scratchFolder('kra-hostile-');
const HELLO = path.join(REPO, 'examples/hello');
const isRoot = process.getuid?.() === 0;
const RUNUSER = '/usr/sbin/runuser';
/** Whether root can run kra as `nobody` from where this checkout lies (a clone under /root cannot). */
const canDropRoot = isRoot && existsSync(RUNUSER)
    && spawnSync(RUNUSER, ['-u', 'nobody', '--', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`]).status === 0;

/** Every file below a folder, relative to it, sorted. */
function listFiles(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(entry => !entry.isDirectory())
        .map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)))
        .sort();
}

function expectOneLineUsageError(result: { code: number | null; stdout: string; stderr: string }): void {
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/internal error|a bug in kra|\n\s+at /);
}

describe('a failed write to standard output', () => {
    it.runIf(existsSync('/dev/full'))('is one line and exit 2, for every command that prints', () => {
        for (const args of [['check', HELLO, '--format', 'json'], ['rules'], ['schema'], ['sql', HELLO]]) {
            // The shell's redirection: standard output is /dev/full (ENOSPC on every write).
            const result = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" "$@" > /dev/full`, 'sh', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
            expect(result.status, args.join(' ')).toBe(2);
            const lines = result.stderr.trim().split('\n').filter(line => !line.startsWith('note: '));
            expect(lines).toEqual(['kra: cannot write to standard output: ENOSPC (no space left on the device)']);
        }
    });
});

describe('a report written to a device', () => {
    it.runIf(existsSync('/dev/full'))('-o /dev/full is one line and exit 2, and the device stays a device (it is written to, never replaced)', async () => {
        const result = await runKra(['check', HELLO, '-o', '/dev/full']);
        expectOneLineUsageError(result);
        expect(result.stderr).toBe('kra check: cannot write the report to /dev/full: no space left on the device. Nothing was written.\n');
        expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
        expect(readdirSync('/dev').filter(name => name.startsWith('full.'))).toEqual([]);
    });
});

describe('empty arguments', () => {
    it.each([
        [['check', '']],
        [['check', HELLO, '']],
        [['check', HELLO, '--config', '']],
        [['check', HELLO, '--output-file', '']],
        [['fmt', '']],
        [['build', HELLO, '--out', '']],
        [['build', '', '--out', 'x']],
        [['eval', HELLO, '--data', '']],
        [['eval', '']],
        [['diff', 'HEAD', '--path', '']],
        [['init', '']],
        [['sql', HELLO, '--out', '']]
    ])('kra %j is a usage error that names the empty value, and writes nothing', async args => {
        const cwd = path.join(scratch, `empty-${args.join('-').replace(/[^a-z-]/g, '')}`);
        mkdirSync(cwd, { recursive: true });
        const result = await runKra(args, { cwd });
        expectOneLineUsageError(result);
        expect(result.stderr).toMatch(/is empty/);
        expect(readdirSync(cwd)).toEqual([]);
    });
});

describe('kra init where a workspace cannot go', () => {
    it('on a file, below a file, or where a config is a folder: exit 2, one line, nothing written', async () => {
        const dir = path.join(scratch, 'init');
        mkdirSync(path.join(dir, 'taken', 'kra.config.yaml'), { recursive: true });
        writeFileSync(path.join(dir, 'file'), 'x');
        for (const target of ['file', 'file/sub', 'taken']) {
            const result = await runKra(['init', target], { cwd: dir });
            expectOneLineUsageError(result);
            expect(result.stderr.trim().split('\n')).toHaveLength(1);
        }
        expect(listFiles(dir)).toEqual(['file']);
    });

    it('in a folder it may not write to: exit 2, one line', async () => {
        let target: string;
        if (isRoot) {
            // Root may write anywhere but where the kernel refuses: /sys (EACCES) and /proc (ENOENT,
            // where Node's recursive mkdir looped for ever).
            target = existsSync('/sys/kernel') ? '/sys/kra-init-test' : '/proc/kra-init-test';
        } else {
            target = path.join(scratch, 'read-only');
            mkdirSync(target);
            chmodSync(target, 0o555);
        }
        const result = await runKra(['init', target]);
        expectOneLineUsageError(result);
        expect(result.stderr).toMatch(/^kra init: cannot create the workspace in .*: (permission denied|no such file or folder|the file system is read-only); nothing was written/);
    });
});

describe('kra build --split checks every destination before it writes', () => {
    it.each([
        ['a folder where a file goes', (out: string) => mkdirSync(path.join(out, 'roles/agent.json'), { recursive: true }), /roles\/agent\.json is in the way: it is a folder/],
        ['a file where a folder goes', (out: string) => writeFileSync(path.join(out, 'roles'), 'x'), /roles is in the way: it is a file/],
        ['a file where a folder goes, last in order', (out: string) => writeFileSync(path.join(out, 'departments'), 'x'), /departments is in the way/]
    ])('%s: exit 2, a clear message, and no file written', async (_name, prepare, message) => {
        const out = path.join(scratch, `split-${_name.replace(/\W+/g, '-')}`);
        mkdirSync(out, { recursive: true });
        prepare(out);
        const before = listFiles(out);
        const result = await runKra(['build', HELLO, '--out', out, '--split']);
        expectOneLineUsageError(result);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toMatch(/Nothing was written/);
        expect(listFiles(out)).toEqual(before);
    });
});

describe('kra.config.yaml is read like a .kra file: a plain file, not through a link, size-capped', () => {
    const SECRET = 'outside_secret_key_4711';
    function workspace(name: string, config: (file: string) => void): string {
        const dir = path.join(scratch, name);
        mkdirSync(dir, { recursive: true });
        cpSync(HELLO, dir, { recursive: true });
        rmSync(path.join(dir, 'kra.config.yaml'), { force: true });
        config(path.join(dir, 'kra.config.yaml'));
        return dir;
    }
    const outside = path.join(scratch, 'outside.yaml');
    writeFileSync(outside, `${SECRET}: [1, 2]\nextends: nonsense\n`);

    it.each([
        ['a link to a file outside the workspace', (file: string) => symlinkSync(outside, file), /is a symbolic link, and kra does not follow symbolic links/],
        ['a link to /dev/zero', (file: string) => symlinkSync('/dev/zero', file), /is a symbolic link/],
        ['a FIFO', (file: string) => execFileSync('mkfifo', [file]), /not a regular file/],
        ['a folder', (file: string) => mkdirSync(file), /is a folder/],
        ['a file over the size cap', (file: string) => writeFileSync(file, `# ${'x'.repeat(2 * 1024 * 1024)}\n`), /at most 1 MB/]
    ])('%s: kra check and kra diff exit 2 at once, quoting nothing of the target', async (_name, make, message) => {
        const dir = workspace(`config-${_name.replace(/\W+/g, '-')}`, make);
        for (const args of [['check', dir], ['diff', dir, dir]]) {
            const started = Date.now();
            const result = await runKra(args);
            expect(Date.now() - started, args.join(' ')).toBeLessThan(20_000);
            expectOneLineUsageError(result);
            expect(result.stderr).toMatch(message);
            expect(result.stderr + result.stdout).not.toContain(SECRET);
        }
    });

    it.each([['/dev/zero'], ['/dev/stdin'], ['/dev/null']])('--config %s is refused, and nothing waits for input', async special => {
        const result = await runKra(['check', HELLO, '--config', special]);
        expectOneLineUsageError(result);
        expect(result.stderr).toMatch(/not a regular file|is a symbolic link/);
    });
});

describe('kra fmt keeps what makes a file the same file', () => {
    const MESSY = 'metric   calls "Calls" { unit count   additive }\n';
    const TIDY = 'metric calls "Calls" {\n  unit count\n  additive\n}\n';

    it.runIf(isRoot)('run as root, a file keeps its owner, group and mode', async () => {
        const dir = path.join(scratch, 'fmt-owner');
        mkdirSync(dir, { recursive: true });
        const file = path.join(dir, 'a.kra');
        writeFileSync(file, MESSY);
        chownSync(file, 4321, 4322);
        chmodSync(file, 0o640);
        const result = await runKra(['fmt', dir]);
        expect(result.code).toBe(0);
        expect(readFileSync(file, 'utf8')).toBe(TIDY);
        const stat = statSync(file);
        expect([stat.uid, stat.gid, stat.mode & 0o7777]).toEqual([4321, 4322, 0o640]);
        expect(readdirSync(dir)).toEqual(['a.kra']);
    });

    it('a file with another hard link is written in place: the links still share the new text', async () => {
        const dir = path.join(scratch, 'fmt-links');
        mkdirSync(path.join(dir, 'ws'), { recursive: true });
        const file = path.join(dir, 'ws', 'a.kra');
        const other = path.join(dir, 'elsewhere.kra');
        writeFileSync(file, MESSY);
        linkSync(file, other);
        const inode = statSync(file).ino;
        const result = await runKra(['fmt', path.join(dir, 'ws')]);
        expect(result.code).toBe(0);
        expect(statSync(file).ino).toBe(inode);
        expect(statSync(file).nlink).toBe(2);
        expect(readFileSync(other, 'utf8')).toBe(TIDY);
    });
});

describe('every file of the workspace is checked or reported', () => {
    it('at an open-file limit far below the number of files, all are checked', () => {
        const dir = path.join(scratch, 'many-files');
        mkdirSync(dir, { recursive: true });
        for (let i = 0; i < 1500; i++) {
            writeFileSync(path.join(dir, `f${String(i).padStart(4, '0')}.kra`), `metric m${i} "M" {\n  unit count\n}\n`);
        }
        // Last in path order: with every file read at once, it was among those left out.
        writeFileSync(path.join(dir, 'zz.kra'), 'metric broken "X" {\n  unit not_a_unit\n}\n');
        const result = spawnSync('sh', ['-c', `ulimit -n 200 && exec "${process.execPath}" "${BIN}" check "$1" --quiet --format json`, 'sh', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(1);
        const report = JSON.parse(result.stdout) as { summary: { files: number; errors: number }; files: Array<{ path: string; findings: unknown[] }> };
        expect(report.summary).toMatchObject({ files: 1501, errors: 1 });
        expect(report.files.find(file => file.path.endsWith('zz.kra'))?.findings).toHaveLength(1);
    });

    it.runIf(!isRoot || canDropRoot)('a file in a folder that cannot be read is exit 2, naming the file and the reason', async () => {
        const dir = path.join(scratch, 'unreadable-file');
        mkdirSync(path.join(dir, 'sub'), { recursive: true });
        writeFileSync(path.join(dir, 'a.kra'), 'metric a "A" {\n  unit count\n}\n');
        writeFileSync(path.join(dir, 'sub', 'b.kra'), 'metric b "B" {\n  unit count\n}\n');
        chmodSync(path.join(dir, 'sub', 'b.kra'), 0o000);
        // Root reads every file: as root, kra runs as nobody.
        chmodSync(scratch, 0o755);
        const result = isRoot
            ? (run => ({ code: run.status, stdout: run.stdout, stderr: run.stderr }))(spawnSync(RUNUSER, ['-u', 'nobody', '--', process.execPath, BIN, 'check', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }))
            : await runKra(['check', dir]);
        expectOneLineUsageError(result);
        expect(result.stderr).toMatch(/sub\/b\.kra: permission denied \(EACCES\)/);
        expect(result.stderr).toMatch(/could not be read; nothing was checked/);
    });
});

describe('no control character reaches a human-readable output', () => {
    // What kra itself lays output out with: tab, line feed, and CR only in a CRLF line end.
    const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\r(?!\n)/;
    const HOSTILE = '\u001B]0;pwned\u0007\u001B[2J\u001B[35mmagenta\u001B[0m \u202Eevil\u0008\u009B';
    const dir = path.join(scratch, 'escapes');
    const base = path.join(dir, 'base');
    const head = path.join(dir, 'head');
    mkdirSync(dir, { recursive: true });
    cpSync(HELLO, base, { recursive: true });
    cpSync(HELLO, head, { recursive: true });
    const source = readFileSync(path.join(HELLO, 'hello.kra'), 'utf8');
    const hostileSource = source
        .replace('"Solving customers\' problems"', `"Solving ${HOSTILE}"`)
        .replace('"Help desk"', `"Help ${HOSTILE}"`)
        .replace('Calls the help desk answered', `Calls ${HOSTILE} answered`);
    writeFileSync(path.join(head, 'hello.kra'), hostileSource);
    // A file name with an escape sequence, holding a finding (an unused metric) and unformatted.
    writeFileSync(path.join(head, `x\u001B[2J\u202Ey.kra`), 'metric   spare "Spare" { unit count }\n');
    const data = path.join(dir, 'data.csv');
    writeFileSync(data, `period,team,calls,fixed_first_time\n2026-07,${HOSTILE.replace(/[,"\n\r]/g, '')},100,80\n2026-07,b,10,5\n`);

    it.each([
        [['check', head]],
        [['check', head, '--format', 'github']],
        [['fmt', '--check', head]],
        [['diff', base, head]],
        [['diff', base, head, '--format', 'markdown']],
        [['eval', head, '--data', data]],
        [['eval', head, '--data', data, '--format', 'csv']],
        [['eval', head, '--data', data, '--format', 'markdown']],
        [['eval', head, '--data', path.join(dir, `missing\u001B[2J.csv`)]]
    ])('kra %j shows each one as a visible code', async args => {
        const result = await runKra(args);
        expect(result.code, result.stderr).not.toBeNull();
        const all = result.stdout + result.stderr;
        expect(all).not.toMatch(UNSAFE);
        expect(all).toMatch(/\\u001B|\\u202E|\uFFFD/);
    });

    it.each([
        [['check', head]],
        [['diff', base, head]],
        [['eval', head, '--data', data]]
    ])('with colour on, kra %j lets only its own colour codes through', async args => {
        const result = await runKra(args, { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
        const all = result.stdout + result.stderr;
        // eslint-disable-next-line no-control-regex
        expect(all).toMatch(/\u001B\[\d+m/);
        expect(all).not.toContain('\u001B[35mmagenta');
        // eslint-disable-next-line no-control-regex
        expect(all.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(UNSAFE);
    });

    it('JSON output stays valid JSON and keeps the characters, escaped as JSON escapes them', async () => {
        const result = await runKra(['eval', head, '--data', data, '--format', 'json']);
        expect(result.stdout).not.toMatch(UNSAFE);
        expect(JSON.stringify(JSON.parse(result.stdout))).toContain('\u202Eevil');
    });

    it('kra fmt - writes the file\'s own text, unchanged by the sanitiser', async () => {
        const text = 'metric spare "Spare \u202E" {\n  unit count\n}\n';
        const result = await runKra(['fmt', '-', '--stdin-filename', path.join(head, 'stdin.kra')], { input: text });
        expect(result.code).toBe(0);
        expect(result.stdout).toBe(text);
    });
});
