/**
 * Builds the extension the way a release does (`npm run package`: esbuild bundles, then
 * `vsce package --no-dependencies`), unpacks the .vsix and checks what is inside: the manifest,
 * the bundles, the grammar, the documents, no node_modules. Then runs the bundles from the
 * unpacked extension: the language server answers `initialize` over JSON-RPC (stdio and Node
 * IPC) and publishes diagnostics, the `kra` command builds and evaluates the example, and the
 * extension activates against a stand-in `vscode` module and talks to the bundled server.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection
} from 'vscode-jsonrpc/node';
import { buildConfigSchema } from '@kra-lang/language';
import { resolveSettingPath, runCli } from '../src/run-cli.js';
import { createVscodeStub, requireWithVscode } from './vscode-stub.js';
import { withPackageLock } from './package-lock.js';
import { readZip, type ZipEntry } from './zip.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const EXAMPLE = path.join(REPO, 'examples', 'contact-centre');
const MANIFEST = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, any>;
const VSIX_NAME = `kra-lang-${MANIFEST.version as string}.vsix`;

const scratch = mkdtempSync(path.join(tmpdir(), 'kra-vscode-'));
const unpacked = path.join(scratch, 'vsix');
let entries: ZipEntry[] = [];
let names: string[] = [];
let packageLog = '';

beforeAll(async () => {
    await withPackageLock(() => {
        rmSync(path.join(PACKAGE_DIR, VSIX_NAME), { force: true });
        const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
        const result = spawnSync(npm, ['run', 'package'], { cwd: PACKAGE_DIR, encoding: 'utf8', shell: process.platform === 'win32', env: { ...process.env, NO_COLOR: '1' } });
        packageLog = `${result.stdout}\n${result.stderr}`;
        if (result.status !== 0) {
            throw new Error(`npm run package failed (${result.status}):\n${packageLog}`);
        }
        copyFileSync(path.join(PACKAGE_DIR, VSIX_NAME), path.join(scratch, VSIX_NAME));
    });
    entries = readZip(readFileSync(path.join(scratch, VSIX_NAME)));
    names = entries.map(entry => entry.name);
    for (const entry of entries) {
        const file = path.join(unpacked, entry.name);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, entry.read());
    }
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function text(name: string): string {
    return readFileSync(path.join(unpacked, name), 'utf8');
}

describe('npm run package', () => {
    it(`writes ${VSIX_NAME} with vsce, offline and without dependencies`, () => {
        expect(MANIFEST.scripts.package).toMatch(/^node esbuild\.mjs --production && vsce package --no-dependencies\b/);
        expect(packageLog).toMatch(/Packaged: .*kra-lang-\d+\.\d+\.\d+\.vsix/);
        expect(MANIFEST.vsce).toEqual({ dependencies: false });
    });

    it('has the manifest fields of the extension', () => {
        const manifest = JSON.parse(text('extension/package.json'));
        expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/kra-lang/kra-lang.git', directory: 'packages/vscode' });
        expect(manifest.bugs).toEqual({ url: 'https://github.com/kra-lang/kra-lang/issues' });
        expect(manifest.homepage).toMatch(/^https:\/\/github\.com\/kra-lang\/kra-lang\//);
        expect(manifest.name).toBe('kra-lang');
        expect(manifest.publisher).toBe('kra-lang');
        expect(manifest.displayName).toBe('KRA Lang');
        expect(manifest.license).toBe('MIT');
        expect(manifest.categories).toEqual(expect.arrayContaining(['Programming Languages', 'Linters', 'Formatters']));
        expect(manifest.icon).toBe('images/icon.png');
        // VS Code 1.101 is the first whose Node.js (22) runs Langium 4.4.
        const [major, minor] = /^\^?(\d+)\.(\d+)\./.exec(manifest.engines.vscode)!.slice(1).map(Number);
        expect(major * 1000 + minor).toBeGreaterThanOrEqual(1101);
        expect(manifest.main).toBe('./out/extension.cjs');
        expect(names).toContain('extension/out/extension.cjs');
    });

    it('contributes the language, grammars, snippets, settings and commands', () => {
        const { contributes } = JSON.parse(text('extension/package.json'));
        expect(contributes.languages).toEqual([expect.objectContaining({ id: 'kra', extensions: ['.kra'], configuration: './language-configuration.json' })]);
        expect(contributes.grammars).toEqual(expect.arrayContaining([expect.objectContaining({ language: 'kra', scopeName: 'source.kra', path: './syntaxes/kra.tmLanguage.json' })]));
        expect(contributes.snippets).toEqual([{ language: 'kra', path: './snippets/kra.code-snippets' }]);
        const settings = contributes.configuration.properties;
        expect(Object.keys(settings)).toEqual(expect.arrayContaining(['kra.config.path', 'kra.data.path', 'kra.trace.server']));
        expect(settings['kra.trace.server'].enum).toEqual(['off', 'messages', 'verbose']);
        const commands = Object.fromEntries(contributes.commands.map((command: { command: string; category: string; title: string }) => [command.command, `${command.category}: ${command.title}`]));
        expect(commands).toMatchObject({ 'kra.build': 'KRA: Build workspace JSON', 'kra.showScorecard': 'KRA: Show scorecard' });
        // Files keep the formatter's two-space indentation, whatever the user's default tab size.
        expect(contributes.configurationDefaults['[kra]']).toEqual({ 'editor.tabSize': 2, 'editor.insertSpaces': true, 'editor.detectIndentation': false });
        // kra.config.yaml is validated by the YAML extension against the schema kra uses itself.
        expect(contributes.yamlValidation).toEqual([{ fileMatch: ['kra.config.yaml'], url: './schemas/kra-config.schema.json' }]);
        expect(JSON.parse(text('extension/schemas/kra-config.schema.json'))).toEqual(buildConfigSchema());
        // Every file the manifest points at is in the package.
        const paths = [
            ...contributes.grammars.map((grammar: { path: string }) => grammar.path),
            ...contributes.snippets.map((snippet: { path: string }) => snippet.path),
            ...contributes.yamlValidation.map((validation: { url: string }) => validation.url),
            contributes.languages[0].configuration
        ];
        for (const file of paths) {
            expect(names, file).toContain(`extension/${path.posix.normalize(file)}`);
        }
    });

    it('holds the bundled client, server and CLI, the grammar, icon, README, CHANGELOG and LICENSE', () => {
        expect(names).toEqual(expect.arrayContaining([
            'extension/out/extension.cjs', 'extension/out/server.cjs', 'extension/out/cli.cjs',
            'extension/syntaxes/kra.tmLanguage.json', 'extension/language-configuration.json', 'extension/snippets/kra.code-snippets',
            'extension/images/icon.png', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt',
            'extension.vsixmanifest'
        ]));
        const icon = entries.find(entry => entry.name === 'extension/images/icon.png')!.read();
        expect(icon.subarray(1, 4).toString()).toBe('PNG');
        expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
        expect(text('extension.vsixmanifest')).toMatch(/<Identity[^>]*Id="kra-lang"[^>]*Publisher="kra-lang"/);
    });

    it('holds nothing else: no node_modules, sources, tests or source maps', () => {
        const unexpected = names.filter(name => /(^|\/)(node_modules|src|test)\//.test(name) || /\.(ts|map|mjs|vsix)$/.test(name) || name.includes('esbuild'));
        expect(unexpected).toEqual([]);
        expect(names.length).toBeLessThan(21);
        const size = entries.reduce((total, entry) => total + entry.size, 0);
        expect(size).toBeLessThan(8 * 1024 * 1024);
    });

    it('has bundles that evaluate no strings as code and require only Node built-ins (and vscode)', () => {
        const builtins = new Set([...builtinModules, ...builtinModules.map(name => `node:${name}`)]);
        // The kra command's two optional native parts, required only when used: DuckDB for raw
        // data (absent here; kra says so, tested below) and pg's native driver (pg requires it
        // inside a try, only for \`pg.native\`, which kra never uses).
        const optional = new Set(['@duckdb/node-api', 'pg-native']);
        for (const bundle of ['extension', 'server', 'cli']) {
            const code = text(`extension/out/${bundle}.cjs`);
            expect(code, bundle).not.toMatch(/(^|[^\w$.])eval\s*\(/);
            expect(code, bundle).not.toMatch(/(^|[^\w$.])Function\s*\(/);
            expect(code, bundle).not.toContain('import.meta');
            const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(match => match[1]);
            const foreign = [...new Set(required)].filter(name => !builtins.has(name) && !(bundle === 'extension' && name === 'vscode') && !(bundle === 'cli' && optional.has(name)));
            expect(foreign, bundle).toEqual([]);
        }
    });
});

// -------------------------------------------------------------------------------------------------

function initializeParams(folder: string) {
    return {
        processId: process.pid,
        rootUri: pathToFileURL(folder).toString(),
        workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: path.basename(folder) }],
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: {} } },
        initializationOptions: { configPath: undefined }
    };
}

/** Answers the requests a server sends its client: configuration (defaults), registrations. */
function actAsClient(connection: MessageConnection): void {
    connection.onRequest((method: string, params: unknown) => {
        if (method === 'workspace/configuration') {
            return ((params as { items: unknown[] }).items ?? []).map(() => null);
        }
        return null;
    });
}

async function smokeTest(child: ChildProcess, connection: MessageConnection, folder: string): Promise<void> {
    actAsClient(connection);
    const diagnostics = new Promise<Array<{ message: string }>>(resolve => {
        connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Array<{ message: string }> }) => {
            if (params.uri.endsWith('broken.kra') && params.diagnostics.length > 0) {
                resolve(params.diagnostics);
            }
        });
    });
    connection.listen();
    try {
        const result = await connection.sendRequest('initialize', initializeParams(folder)) as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
        expect(result.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, documentFormattingProvider: true });
        expect(result.capabilities.completionProvider).toBeDefined();
        await connection.sendNotification('initialized', {});
        const uri = pathToFileURL(path.join(folder, 'broken.kra')).toString();
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kra', version: 1, text: 'kpi aht "Average handle time" {\n  unit secs\n' } });
        expect((await diagnostics).length).toBeGreaterThan(0);
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
    } finally {
        connection.dispose();
        child.kill();
    }
}

describe('the bundled language server', () => {
    let folder: string;
    beforeAll(() => {
        folder = path.join(scratch, 'workspace');
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, 'broken.kra'), 'kpi aht "Average handle time" {\n  unit secs\n');
    });

    it('starts from the .vsix with `node out/server.cjs --stdio` and answers initialize', async () => {
        const child = spawn(process.execPath, [path.join(unpacked, 'extension/out/server.cjs'), '--stdio'], { cwd: folder, stdio: ['pipe', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', chunk => { stderr += String(chunk); });
        const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
        await smokeTest(child, connection, folder).catch(error => {
            throw new Error(`${String(error)}\nserver stderr:\n${stderr}`);
        });
    }, 60_000);

    it('also runs over Node IPC, the transport the extension uses', async () => {
        const child = fork(path.join(unpacked, 'extension/out/server.cjs'), ['--node-ipc'], { cwd: folder, silent: true, execArgv: [] });
        const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
        await smokeTest(child, connection, folder);
    }, 60_000);
});

describe('the bundled kra command', () => {
    const cli = () => path.join(unpacked, 'extension/out/cli.cjs');

    it('prints its version', async () => {
        const result = await runCli(cli(), ['--version'], { cwd: scratch });
        expect(result.code).toBe(0);
        expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }, 60_000);

    it('builds the example workspace to JSON, as "KRA: Build workspace JSON" runs it', async () => {
        const out = path.join(scratch, 'build', 'out', 'kra');
        const result = await runCli(cli(), ['build', EXAMPLE, '--out', out], { cwd: EXAMPLE });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.commandLine).toMatch(/^kra build /);
        const model = JSON.parse(readFileSync(path.join(out, 'kra-model.json'), 'utf8'));
        expect(model.kpis.length).toBeGreaterThan(20);
    }, 60_000);

    it('evaluates the example as a Markdown scorecard, as "KRA: Show scorecard" runs it', async () => {
        const result = await runCli(cli(), ['eval', EXAMPLE, '--data', path.join(EXAMPLE, 'data'), '--format', 'markdown'], { cwd: EXAMPLE });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/^# .*scorecard/);
        expect(result.stdout).toContain('| KRA / KPI |');
    }, 60_000);

    it('says, in one line and with exit code 2, that raw data and KRA Studio need the kra command from npm', async () => {
        const raw = await runCli(cli(), ['eval', EXAMPLE, '--data', path.join(EXAMPLE, 'raw')], { cwd: EXAMPLE });
        expect(raw.code).toBe(2);
        expect(raw.stderr).toMatch(/^kra eval: raw data needs DuckDB, .*npm install -g @kra-lang\/cli/);
        expect(raw.stderr.trim().split('\n')).toHaveLength(1);
        const studio = await runCli(cli(), ['studio', EXAMPLE], { cwd: EXAMPLE });
        expect(studio.code).toBe(2);
        expect(studio.stderr).toMatch(/^kra studio: this kra has no KRA Studio app files/);
    }, 60_000);

    it('reports a workspace with errors with exit code 1 and the problems on stderr', async () => {
        const broken = path.join(scratch, 'broken-workspace');
        mkdirSync(broken, { recursive: true });
        writeFileSync(path.join(broken, 'a.kra'), 'kpi aht "Average handle time" {\n  unit secs\n}\n');
        const result = await runCli(cli(), ['build', broken, '--out', path.join(broken, 'out')], { cwd: broken });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain('a.kra');
        expect(existsSync(path.join(broken, 'out'))).toBe(false);
    }, 60_000);
});

describe('setting paths', () => {
    it('resolves relative to the workspace folder, keeps absolute paths, and treats empty as unset', () => {
        const folder = path.resolve('/work/space');
        expect(resolveSettingPath('data', folder)).toBe(path.join(folder, 'data'));
        expect(resolveSettingPath(path.resolve('/elsewhere/kra.config.yaml'), folder)).toBe(path.resolve('/elsewhere/kra.config.yaml'));
        expect(resolveSettingPath('  ', folder)).toBeUndefined();
        expect(resolveSettingPath(undefined, folder)).toBeUndefined();
    });
});

describe('the bundled extension', () => {
    it('activates against a stand-in vscode API: registers its commands, starts the bundled server over IPC, passes kra.config.path, and stops it on deactivate', async () => {
        const { module: vscode, calls } = createVscodeStub({ 'config.path': '/elsewhere/kra.config.yaml' });
        // Record what the client sends the server it forks (the initialize request included).
        const childProcess = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
        const fork = childProcess.fork;
        const sent: unknown[] = [];
        childProcess.fork = ((...args: Parameters<typeof fork>) => {
            const child = fork(...args);
            const send = child.send.bind(child) as (...sendArgs: unknown[]) => boolean;
            child.send = ((message: unknown, ...rest: unknown[]) => {
                sent.push(message);
                return send(message, ...rest);
            }) as typeof child.send;
            return child;
        }) as typeof fork;
        const { exports: extension, restore } = requireWithVscode(path.join(unpacked, 'extension/out/extension.cjs'), vscode);
        try {
            const context = { subscriptions: [] as Array<{ dispose(): unknown }>, asAbsolutePath: (file: string) => path.join(unpacked, 'extension', file) };
            await extension.activate(context);
            const registered = calls.flatMap(call => /^commands\.registerCommand\(([^,]+),/.exec(call)?.[1] ?? []);
            const contributed = (MANIFEST.contributes.commands as Array<{ command: string }>).map(command => command.command);
            expect(registered.sort()).toEqual(contributed.sort());
            // The status bar went from starting to ready.
            const texts = calls.flatMap(call => /^set window\.createStatusBarItem\(\)\.text=(.*)$/.exec(call)?.[1] ?? []);
            expect(texts[0]).toBe('$(loading~spin) KRA $(error) 0 $(warning) 0');
            expect(texts[texts.length - 1]).toBe('$(check) KRA $(error) 0 $(warning) 0');
            const initialize = sent.find(message => (message as { method?: string }).method === 'initialize') as { params: { initializationOptions: unknown } };
            expect(initialize.params.initializationOptions).toEqual({ configPath: path.resolve('/elsewhere/kra.config.yaml') });
            expect(calls.filter(call => call.startsWith('error:'))).toEqual([]);

            await extension.deactivate();
            const after = calls.flatMap(call => /^set window\.createStatusBarItem\(\)\.text=(.*)$/.exec(call)?.[1] ?? []);
            expect(after[after.length - 1]).toBe('$(circle-slash) KRA $(error) 0 $(warning) 0');
            expect(sent.some(message => (message as { method?: string }).method === 'shutdown')).toBe(true);
        } finally {
            restore();
            childProcess.fork = fork;
        }
    }, 60_000);
});
