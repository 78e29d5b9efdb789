/**
 * `kra studio`'s server: the token, the host check, confinement to the workspace, no links
 * followed, atomic writes, and a clear error for a port in use. Needs `npm run build` (the app's
 * files in packages/web/dist).
 */
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudioServer, type StudioServer } from '../src/studio/server.js';
import { REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const APP = path.join(REPO, 'packages', 'web', 'dist');
const scratch = scratchFolder('kra-studio-server-');

interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** A raw request, so that the Host and Origin headers are exactly what the test says. */
function send(server: StudioServer, pathname: string, options: { method?: string; body?: string; host?: string; origin?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${server.port}` };
        if (options.origin) {
            headers.origin = options.origin;
        }
        const outgoing = request({ host: '127.0.0.1', port: server.port, path: pathname, method: options.method ?? 'GET', headers }, response => {
            const chunks: Buffer[] = [];
            response.on('data', chunk => chunks.push(chunk as Buffer));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        });
        outgoing.on('error', reject);
        outgoing.end(options.body);
    });
}

describe('kra studio server', () => {
    let server: StudioServer;
    let workspace: string;
    let outside: string;

    beforeAll(async () => {
        outside = scratch.write('outside', { 'secret.kra': 'organisation secret "Secret" {}\n', 'notes.txt': 'private\n' });
        workspace = scratch.write('workspace', {
            'hello.kra': 'organisation hello "Hello" {}\n',
            'data/calls.csv': 'period,calls\n2026-04,1\n',
            '.git/config': '[core]\n'
        });
        symlinkSync(path.join(outside, 'secret.kra'), path.join(workspace, 'linked.kra'));
        symlinkSync(outside, path.join(workspace, 'linked-folder'));
        server = await startStudioServer({ root: workspace, appDir: APP, port: 0 });
    });

    afterAll(async () => {
        await server?.close();
    });

    const api = (route: string) => `/${server.token}/${route}`;

    it('prints a 127.0.0.1 address with the token in it', () => {
        expect(server.url).toBe(`http://127.0.0.1:${server.port}/${server.token}/`);
        expect(server.token.length).toBeGreaterThanOrEqual(32);
    });

    it('answers the app with the token, with a strict policy and no CORS header', async () => {
        const answer = await send(server, `/${server.token}/`);
        expect(answer.status).toBe(200);
        expect(answer.body).toContain('<title>KRA Studio</title>');
        expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
        expect(answer.headers['referrer-policy']).toBe('no-referrer');
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses every request without the token, or with another one', async () => {
        for (const pathname of ['/', '/index.html', '/api/files', `/${'x'.repeat(server.token.length)}/api/files`, `/${server.token.slice(1)}/`]) {
            const answer = await send(server, pathname);
            expect(answer.status, pathname).toBe(403);
            expect(answer.body).toContain('needs the token');
            expect(answer.body).not.toContain('hello.kra');
        }
    });

    it('refuses requests addressed to another host name (DNS rebinding)', async () => {
        const answer = await send(server, api('api/files'), { host: `attacker.example:${server.port}` });
        expect(answer.status).toBe(421);
    });

    it('lists the workspace files, leaves hidden folders out and reports links without following them', async () => {
        const answer = await send(server, api('api/files'));
        expect(answer.status).toBe(200);
        const listing = JSON.parse(answer.body) as { files: Array<{ path: string }>; links: string[] };
        expect(listing.files.map(file => file.path)).toEqual(['data/calls.csv', 'hello.kra']);
        expect(listing.links).toEqual(['linked-folder', 'linked.kra']);
    });

    it('reads a workspace file', async () => {
        const answer = await send(server, api(`api/file?path=${encodeURIComponent('data/calls.csv')}`));
        expect(answer.status).toBe(200);
        expect(answer.body).toBe('period,calls\n2026-04,1\n');
    });

    it('refuses paths outside the workspace and paths through links', async () => {
        const attempts = ['../outside/secret.kra', '/etc/passwd', 'data/../../outside/notes.txt', 'linked.kra', 'linked-folder/secret.kra', 'data\\..\\..\\x.kra', '', '.git/config'];
        for (const attempt of attempts) {
            const read = await send(server, api(`api/file?path=${encodeURIComponent(attempt)}`));
            expect(read.status, attempt).toBeGreaterThanOrEqual(403);
            expect(read.body, attempt).not.toContain('organisation secret');
            const write = await send(server, api(`api/file?path=${encodeURIComponent(attempt.endsWith('.kra') ? attempt : `${attempt}.kra`)}`), { method: 'PUT', body: 'organisation x "X" {}\n' });
            expect(write.status, attempt).toBeGreaterThanOrEqual(403);
        }
        expect(readFileSync(path.join(outside, 'secret.kra'), 'utf8')).toBe('organisation secret "Secret" {}\n');
        expect(readdirSync(outside).sort()).toEqual(['notes.txt', 'secret.kra']);
    });

    it('writes a workspace file through a rename, leaving no temporary file', async () => {
        const answer = await send(server, api('api/file?path=hello.kra'), { method: 'PUT', body: 'organisation hello "Hello, again" {}\n', origin: `http://127.0.0.1:${server.port}` });
        expect(answer.status).toBe(204);
        expect(readFileSync(path.join(workspace, 'hello.kra'), 'utf8')).toBe('organisation hello "Hello, again" {}\n');
        expect(readdirSync(workspace).filter(name => name.endsWith('.tmp'))).toEqual([]);
    });

    it('writes only the kinds of file the Studio edits, and only for its own page', async () => {
        const script = await send(server, api('api/file?path=run.sh'), { method: 'PUT', body: 'echo hi\n' });
        expect(script.status).toBe(403);
        expect(script.body).toContain('only .kra files');
        const foreign = await send(server, api('api/file?path=hello.kra'), { method: 'PUT', body: 'x', origin: 'https://attacker.example' });
        expect(foreign.status).toBe(403);
        expect(readFileSync(path.join(workspace, 'hello.kra'), 'utf8')).toBe('organisation hello "Hello, again" {}\n');
    });

    it('does not create folders', async () => {
        const answer = await send(server, api('api/file?path=new%2Fplace.kra'), { method: 'PUT', body: 'organisation x "X" {}\n' });
        expect(answer.status).toBe(404);
    });

    it('kra studio on a port in use: one clear line and exit code 2', async () => {
        const dir = scratch.write('port-in-use', { 'a.kra': '' });
        const run = await runKra(['studio', dir, '--port', String(server.port)]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(`kra studio: port ${server.port} is in use; choose another with --port, or leave --port out to take a free one.\n`);
    });

    it('kra studio on a path that is not a folder: a clear error', async () => {
        const run = await runKra(['studio', path.join(workspace, 'hello.kra')]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('is not a folder');
    });
});
