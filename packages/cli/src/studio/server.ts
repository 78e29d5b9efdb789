/**
 * The local server of `kra studio`: KRA Studio's static files and the workspace's files, to the
 * browser on this machine only.
 *
 * - It listens on 127.0.0.1 and answers only requests addressed to 127.0.0.1 or localhost at its
 *   port (a web page elsewhere cannot reach it by DNS rebinding).
 * - Every path starts with a random token (`/<token>/...`): without it, nothing is answered. The
 *   page's own requests are relative, so they carry it; no CORS header is ever sent.
 * - Reads and writes stay inside the workspace: a path with `..`, an absolute path, or one that
 *   passes through a symbolic link is refused; writes go through a temporary file and a rename.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import { replaceFile } from '../files.js';

export interface StudioServerOptions {
    /** The workspace folder (its real path: links in it are not followed). */
    readonly root: string;
    /** KRA Studio's built files (packages/web/dist). */
    readonly appDir: string;
    /** 0 picks a free port. */
    readonly port: number;
}

export interface StudioServer {
    readonly url: string;
    readonly token: string;
    readonly port: number;
    close(): Promise<void>;
}

/** Files listed per workspace at most; the page loads at most its own limit of them. */
const MAX_LISTED = 10_000;
/** One file read or written at most (the page's own limit per file is smaller). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Files the Studio may write: the ones it edits. */
const WRITABLE = /(^|\/)kra\.config\.yaml$|\.(kra|csv|json)$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', 'out']);

const CONTENT_TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.txt': 'text/plain; charset=utf-8'
};

const SECURITY_HEADERS = {
    'content-security-policy': "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store'
};

/** A request the server refuses, with the status and the reason it answers. */
class Refused extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

/** Starts the server; rejects with the listen error (EADDRINUSE…) when the port cannot be had. */
export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
    const token = randomBytes(24).toString('base64url');
    const app = await readApp(options.appDir);
    const root = await fs.realpath(options.root);
    let port = options.port;
    const server: Server = createServer((request, response) => {
        handle(request, response, { token, app, root, port }).catch((error: unknown) => {
            const refused = error instanceof Refused ? error : new Refused(500, `kra studio: ${error instanceof Error ? error.message : String(error)}`);
            if (!response.headersSent) {
                response.writeHead(refused.status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
            }
            response.end(`${refused.message}\n`);
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : options.port;
    return {
        url: `http://127.0.0.1:${port}/${token}/`,
        token,
        port,
        close: () => new Promise<void>(resolve => {
            server.close(() => resolve());
            server.closeAllConnections();
        })
    };
}

/** The app's files by name (flat: index.html, app.js, worker.js, their maps). */
async function readApp(appDir: string): Promise<Map<string, { body: Buffer; type: string }>> {
    const app = new Map<string, { body: Buffer; type: string }>();
    for (const entry of await fs.readdir(appDir, { withFileTypes: true })) {
        const type = CONTENT_TYPES[path.extname(entry.name)];
        if (entry.isFile() && type) {
            app.set(entry.name, { body: await fs.readFile(path.join(appDir, entry.name)), type });
        }
    }
    if (!app.has('index.html')) {
        throw new Error(`${appDir} has no index.html; build KRA Studio first (npm run build)`);
    }
    return app;
}

interface Context {
    readonly token: string;
    readonly app: Map<string, { body: Buffer; type: string }>;
    readonly root: string;
    readonly port: number;
}

async function handle(request: IncomingMessage, response: ServerResponse, context: Context): Promise<void> {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${context.port}` && host !== `localhost:${context.port}`) {
        throw new Refused(421, `kra studio answers only requests to 127.0.0.1:${context.port}.`);
    }
    const url = new URL(request.url ?? '/', `http://${host}`);
    const [, given = '', ...rest] = url.pathname.split('/');
    if (!sameToken(given, context.token)) {
        throw new Refused(403, 'kra studio: this address needs the token that kra studio printed; open the URL it printed.');
    }
    if (rest.length === 0) {
        response.writeHead(308, { ...SECURITY_HEADERS, location: `/${context.token}/` });
        response.end();
        return;
    }
    const route = rest.join('/');
    if (route === 'api/files' && request.method === 'GET') {
        return send(response, 200, 'application/json; charset=utf-8', JSON.stringify(await listFiles(context.root)));
    }
    if (route === 'api/file') {
        const relative = url.searchParams.get('path') ?? '';
        if (request.method === 'GET') {
            return send(response, 200, 'text/plain; charset=utf-8', await readWorkspaceFile(context.root, relative));
        }
        if (request.method === 'PUT') {
            checkOrigin(request, context.port);
            await writeWorkspaceFile(context.root, relative, await readBody(request));
            return send(response, 204, 'text/plain; charset=utf-8', '');
        }
        throw new Refused(405, `kra studio: ${request.method} is not allowed here.`);
    }
    const asset = context.app.get(route === '' ? 'index.html' : route);
    if (!asset || request.method !== 'GET') {
        throw new Refused(404, `kra studio: ${route} is not part of KRA Studio.`);
    }
    return send(response, 200, asset.type, asset.body);
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
    response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
    response.end(body);
}

function sameToken(given: string, token: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
}

/** A write must come from the Studio's own page: a browser always says where a PUT comes from. */
function checkOrigin(request: IncomingMessage, port: number): void {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
        throw new Refused(403, 'kra studio: writes are accepted from KRA Studio\'s own page only.');
    }
}

async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_FILE_BYTES) {
            throw new Refused(413, `kra studio: a file larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB is not written.`);
        }
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
}

export interface ListedFile {
    readonly path: string;
    readonly size: number;
}

/**
 * The workspace's files (not in hidden folders, node_modules or out), with their sizes; the page
 * decides which to load. Symbolic links are listed as left out: none is followed.
 */
export async function listFiles(root: string): Promise<{ kraStudio: 1; name: string; files: ListedFile[]; links: string[] }> {
    const files: ListedFile[] = [];
    const links: string[] = [];
    const visit = async (dir: string, prefix: string): Promise<void> => {
        const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            if (files.length >= MAX_LISTED) {
                return;
            }
            const relative = `${prefix}${entry.name}`;
            if (entry.isSymbolicLink()) {
                links.push(relative);
            } else if (entry.isDirectory()) {
                if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) {
                    await visit(path.join(dir, entry.name), `${relative}/`);
                }
            } else if (entry.isFile()) {
                files.push({ path: relative, size: (await fs.lstat(path.join(dir, entry.name))).size });
            }
        }
    };
    await visit(root, '');
    return { kraStudio: 1, name: path.basename(root), files, links };
}

/**
 * The absolute path of a workspace file, after checking that the relative path stays inside the
 * workspace and that nothing on the way is a symbolic link. The file itself may not exist yet.
 */
export async function resolveInside(root: string, relative: string): Promise<string> {
    const parts = relative.split('/');
    if (relative === '' || relative.includes('\\') || parts.some(part => part === '' || part === '.' || part === '..' || part.includes('\u0000'))) {
        throw new Refused(403, `kra studio: ${JSON.stringify(relative)} is not a path inside the workspace.`);
    }
    // Hidden files and folders (.git…) are neither listed nor served nor written.
    if (parts.some(part => part.startsWith('.'))) {
        throw new Refused(403, `kra studio: ${relative} is hidden; kra studio leaves hidden files alone.`);
    }
    let current = root;
    for (const [index, part] of parts.entries()) {
        current = path.join(current, part);
        const stat = await fs.lstat(current).catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') {
                return undefined;
            }
            throw error;
        });
        if (!stat) {
            if (index < parts.length - 1) {
                throw new Refused(404, `kra studio: ${parts.slice(0, index + 1).join('/')} does not exist in the workspace.`);
            }
            break;
        }
        if (stat.isSymbolicLink()) {
            throw new Refused(403, `kra studio: ${parts.slice(0, index + 1).join('/')} is a symbolic link; kra studio follows none.`);
        }
        if (index < parts.length - 1 && !stat.isDirectory()) {
            throw new Refused(404, `kra studio: ${parts.slice(0, index + 1).join('/')} is not a folder.`);
        }
    }
    if (path.relative(root, current).startsWith('..') || path.isAbsolute(path.relative(root, current))) {
        throw new Refused(403, `kra studio: ${relative} is outside the workspace.`);
    }
    return current;
}

async function readWorkspaceFile(root: string, relative: string): Promise<string> {
    const file = await resolveInside(root, relative);
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) {
        throw new Refused(404, `kra studio: ${relative} is not a file in the workspace.`);
    }
    if (stat.size > MAX_FILE_BYTES) {
        throw new Refused(413, `kra studio: ${relative} is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB; it is not sent.`);
    }
    return fs.readFile(file, 'utf8');
}

async function writeWorkspaceFile(root: string, relative: string, text: string): Promise<void> {
    if (!WRITABLE.test(relative)) {
        throw new Refused(403, `kra studio: only .kra files, kra.config.yaml and .csv or .json data files are written; ${relative} is not one.`);
    }
    const file = await resolveInside(root, relative);
    const stat = await fs.lstat(file).catch(() => undefined);
    if (stat && !stat.isFile()) {
        throw new Refused(403, `kra studio: ${relative} is not a regular file; it is not overwritten.`);
    }
    await replaceFile(file, text);
}
