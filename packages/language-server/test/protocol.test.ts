/**
 * The server keeps the base protocol and the lifecycle the LSP specification prescribes: at a
 * frame it cannot read it says why and exits 1 (never deaf), and requests out of turn or
 * without their parameters get the prescribed error codes.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameGuard, MAX_HEADER_BYTES } from '../src/protocol/frame-guard.js';
import { invalidParameters } from '../src/protocol/lifecycle.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'kra-language-server.js');

function frame(message: unknown): string {
    const body = typeof message === 'string' ? message : JSON.stringify(message);
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
const HOVER = (id: number, params: unknown) => ({ jsonrpc: '2.0', id, method: 'textDocument/hover', params });
const DOC = { uri: 'file:///nowhere/x.kra' };

interface Run {
    readonly code: number | null;
    readonly stderr: string;
    readonly responses: Array<{ id?: number; result?: unknown; error?: { code: number; message: string } }>;
}

/**
 * Starts the server on stdio, writes `input`, and waits until it exits or has answered the
 * request ids in `awaiting` (then stops it).
 */
async function serve(input: string[], awaiting: number[] = []): Promise<Run> {
    const child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', chunk => { stderr += chunk; });
    const parse = () => stdout.split(/Content-Length: \d+\r\n\r\n/).filter(Boolean).map(body => JSON.parse(body) as Run['responses'][number]);
    const done = new Promise<number | null>(resolve => {
        child.on('exit', code => resolve(code));
        child.stdout.on('data', chunk => {
            stdout += chunk;
            const answered = new Set(parse().map(response => response.id));
            if (awaiting.length > 0 && awaiting.every(id => answered.has(id))) {
                child.kill();
            }
        });
    });
    for (const chunk of input) {
        child.stdin.write(chunk);
    }
    const code = await done;
    return { code: awaiting.length > 0 ? null : code, stderr, responses: parse() };
}

const errorOf = (run: Run, id: number) => run.responses.find(response => response.id === id)?.error;

describe('message framing', () => {
    it.each([
        ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', 'Content-Length "abc"'],
        ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}', 'Content-Length "-5"'],
        ['headers ended by LF alone', 'Content-Length: 2\n\n{}', 'LF alone'],
        ['no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}', 'no Content-Length']
    ])('%s: the server says why on stderr and exits 1', async (_name, bad, reason) => {
        const run = await serve([frame(INITIALIZE), bad, frame(HOVER(2, { textDocument: DOC, position: { line: 0, character: 0 } }))]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('broke the message framing');
        expect(run.stderr).toContain(reason);
        expect(run.stderr).not.toMatch(/\n\s+at /);
    });

    it('a header part that never ends is a fault, not a wait', () => {
        const guard = new FrameGuard();
        expect(guard.push(Buffer.from(`X-Padding: ${'a'.repeat(MAX_HEADER_BYTES)}`))).toContain('longer than');
    });

    it('any sequence of well-formed frames, cut anywhere, passes', () => {
        const body = fc.string({ unit: 'binary', maxLength: 60 });
        fc.assert(fc.property(fc.array(body, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(40), { maxLength: 8 }), (bodies, cuts) => {
            const bytes = Buffer.from(bodies.map(text => frame(text)).join(''));
            const guard = new FrameGuard();
            let offset = 0;
            for (const cut of [...cuts, bytes.length]) {
                const end = Math.min(bytes.length, offset + cut + 1);
                expect(guard.push(bytes.subarray(offset, end))).toBeUndefined();
                offset = end;
            }
            expect(guard.push(bytes.subarray(offset))).toBeUndefined();
        }));
    });
});

describe('lifecycle', () => {
    it('a request before initialize gets -32002 (ServerNotInitialized)', async () => {
        const run = await serve([frame(HOVER(7, { textDocument: DOC, position: { line: 0, character: 0 } }))], [7]);
        expect(errorOf(run, 7)?.code).toBe(-32002);
    });

    it('a second initialize gets -32600 (InvalidRequest)', async () => {
        const run = await serve([frame(INITIALIZE), frame({ ...INITIALIZE, id: 2 })], [1, 2]);
        expect(run.responses.find(response => response.id === 1)?.result).toBeDefined();
        expect(errorOf(run, 2)?.code).toBe(-32600);
    });

    it('a request after shutdown gets -32600 (InvalidRequest)', async () => {
        const run = await serve([
            frame(INITIALIZE),
            frame({ jsonrpc: '2.0', method: 'initialized', params: {} }),
            frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }),
            frame(HOVER(3, { textDocument: DOC, position: { line: 0, character: 0 } }))
        ], [2, 3]);
        expect(errorOf(run, 2)).toBeUndefined();
        expect(errorOf(run, 3)?.code).toBe(-32600);
    });

    it('a hover without a position gets -32602 (InvalidParams) naming the parameter', async () => {
        const run = await serve([
            frame(INITIALIZE),
            frame({ jsonrpc: '2.0', method: 'initialized', params: {} }),
            frame(HOVER(3, { textDocument: DOC }))
        ], [3]);
        expect(errorOf(run, 3)).toMatchObject({ code: -32602, message: expect.stringContaining('params.position') });
    });
});

describe('request parameters', () => {
    it('names what a document request lacks', () => {
        expect(invalidParameters('textDocument/hover', { textDocument: DOC, position: { line: 0, character: 0 } })).toBeUndefined();
        expect(invalidParameters('textDocument/hover', undefined)).toContain('textDocument.uri');
        expect(invalidParameters('textDocument/definition', { textDocument: DOC, position: { line: -1, character: 0 } })).toContain('params.position');
        expect(invalidParameters('textDocument/codeAction', { textDocument: DOC, range: { start: { line: 0, character: 0 } } })).toContain('params.range');
        expect(invalidParameters('textDocument/formatting', { textDocument: DOC, options: {} })).toBeUndefined();
        expect(invalidParameters('workspace/symbol', {})).toBeUndefined();
    });
});
