/**
 * The edit soak (docs/security.md): the language server on a realistic workspace (a copy of
 * examples/contact-centre) while an editor types without pause: declarations typed a character
 * at a time into every file, completion, hover and signature help at the cursor after each
 * character, the document-wide requests an editor sends after a pause (semantic tokens, symbols,
 * folding, inlay hints, code lenses), then the typed text deleted again and the file saved
 * (which runs every check on the whole workspace). Meanwhile the server's memory is sampled:
 * its resident set size from /proc/<pid>/status (or `ps` where there is no /proc), and its
 * JavaScript heap from Node diagnostic reports it writes on a signal.
 *
 * Memory is bounded when, after a warm-up (the first quarter of the run, at least 5 s):
 * - the median of the last quarter of the samples is at most GROWTH × the median of the first
 *   quarter, plus SLACK (RSS and heap each), and
 * - no RSS sample exceeds RSS_CAP.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lsp-client.js';

export const EXAMPLE = fileURLToPath(new URL('../../examples/contact-centre', import.meta.url));

/** The last quarter's median may be this many times the first quarter's (after warm-up)... */
export const GROWTH = 1.5;
/** ...plus this many bytes (small heaps grow by a few MB as caches fill). */
export const SLACK = 32 * 1024 * 1024;
/** No RSS sample may exceed this (the server holds the example in well under half of it). */
export const RSS_CAP = 1024 * 1024 * 1024;

export interface Sample {
    readonly at: number;
    readonly bytes: number;
}

export interface SoakResult {
    readonly cycles: number;
    readonly keystrokes: number;
    readonly requests: number;
    /** Requests answered with something else than a result or a proper error. */
    readonly badAnswers: string[];
    readonly rss: Sample[];
    readonly heap: Sample[];
    readonly alive: boolean;
    readonly stderr: string;
}

export interface Verdict {
    readonly ok: boolean;
    readonly lines: string[];
}

/** Error codes that are proper answers: cancelled, content modified, refused. */
const ANSWER_CODES = new Set([-32800, -32801, -32802, -32803]);

/** What is typed: a KPI that uses the example's metrics, then a metric and a comment. */
const TYPED = [
    '\nkpi soak_kpi "Soak KPI" {\n  formula safe_ratio(calls_handled, 3) + 1\n  unit count\n  target at least 5 by 2026-12-31\n}\n',
    '\nmetric soak_metric "Soak metric" {\n  unit count\n}\n',
    '\n/** a comment that is typed and deleted again */\n'
];

/** The resident set size of a process, in bytes: /proc on Linux, `ps` elsewhere. */
export function rssOf(pid: number): number | undefined {
    try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
        if (kb) {
            return Number(kb) * 1024;
        }
    } catch {
        // no /proc: ask ps
    }
    try {
        const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
        return Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The used JavaScript heap of a server started with --report-on-signal: signals it, and reads
 * the report it writes. Undefined when no report comes (e.g. signals unsupported).
 */
async function heapOf(pid: number, reports: string): Promise<number | undefined> {
    const before = new Set(readdirSync(reports));
    try {
        process.kill(pid, 'SIGUSR2');
    } catch {
        return undefined;
    }
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
        const fresh = readdirSync(reports).filter(name => !before.has(name) && name.endsWith('.json'));
        for (const name of fresh) {
            try {
                const report = JSON.parse(readFileSync(path.join(reports, name), 'utf8')) as { javascriptHeap?: { usedMemory?: number } };
                rmSync(path.join(reports, name), { force: true });
                return report.javascriptHeap?.usedMemory;
            } catch {
                // still being written
            }
        }
    }
    return undefined;
}

/** Runs the soak for `ms` milliseconds; `sampleMs` between memory samples. */
export async function soak(ms: number, options: { sampleMs?: number; heapEveryMs?: number; log?: (line: string) => void } = {}): Promise<SoakResult> {
    const sampleMs = options.sampleMs ?? 1_000;
    const heapEveryMs = options.heapEveryMs ?? 5_000;
    const log = options.log ?? (() => undefined);
    const workspace = mkdtempSync(path.join(tmpdir(), 'kra-soak-'));
    const reports = mkdtempSync(path.join(tmpdir(), 'kra-soak-reports-'));
    cpSync(EXAMPLE, workspace, { recursive: true });
    const files = readdirSync(workspace).filter(name => name.endsWith('.kra')).sort();

    // The server writes a diagnostic report (with its heap statistics) on SIGUSR2.
    const client = await LspClient.start({
        workspace,
        nodeArgs: ['--report-on-signal', '--report-signal=SIGUSR2', '--report-compact', `--report-directory=${reports}`]
    });
    const pid = client.process.pid!;
    const rss: Sample[] = [];
    const heap: Sample[] = [];
    const badAnswers: string[] = [];
    let requests = 0;
    let keystrokes = 0;
    let cycles = 0;
    const started = Date.now();
    const deadline = started + ms;

    let sampling = true;
    const sampler = (async () => {
        let lastHeap = 0;
        while (sampling) {
            const bytes = rssOf(pid);
            if (bytes !== undefined) {
                rss.push({ at: Date.now() - started, bytes });
            }
            if (Date.now() - lastHeap >= heapEveryMs) {
                lastHeap = Date.now();
                const used = await heapOf(pid, reports);
                if (used !== undefined) {
                    heap.push({ at: Date.now() - started, bytes: used });
                }
            }
            await new Promise(resolve => setTimeout(resolve, sampleMs));
        }
    })();

    async function ask(method: string, params: unknown): Promise<void> {
        requests++;
        try {
            await client.request(method, params);
        } catch (error) {
            const code = (error as { code?: number }).code;
            if (code === undefined || !ANSWER_CODES.has(code)) {
                badAnswers.push(`${method}: ${String(code)} ${String((error as Error).message).split('\n')[0]}`);
            }
        }
    }

    try {
        const documents = new Map<string, TextDocument>();
        for (const file of files) {
            const uri = await client.open(file);
            documents.set(file, TextDocument.create(uri, 'kra', 1, readFileSync(path.join(workspace, file), 'utf8')));
        }
        await client.waitForDiagnostics(client.uri(files[0]), () => true, 60_000);
        const versions = new Map(files.map(file => [file, 1]));

        async function change(file: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
            const version = versions.get(file)! + 1;
            versions.set(file, version);
            const document = TextDocument.update(documents.get(file)!, [{ range, text }], version);
            documents.set(file, document);
            await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: document.uri, version }, contentChanges: [{ range, text }] });
        }

        while (Date.now() < deadline && client.alive) {
            const file = files[cycles % files.length];
            const typed = TYPED[cycles % TYPED.length];
            const original = documents.get(file)!.getText();
            const end = documents.get(file)!.positionAt(original.length);
            // Typed at the end of the file, one character at a time, with the requests of typing.
            for (let i = 0; i < typed.length && Date.now() < deadline; i++) {
                const document = documents.get(file)!;
                const at = document.positionAt(original.length + i);
                await change(file, { start: at, end: at }, typed[i]);
                keystrokes++;
                const cursor = documents.get(file)!.positionAt(original.length + i + 1);
                const textDocument = { uri: document.uri };
                await Promise.all([
                    ask('textDocument/completion', { textDocument, position: cursor }),
                    i % 4 === 0 ? ask('textDocument/hover', { textDocument, position: cursor }) : undefined,
                    typed[i] === '(' || typed[i] === ',' ? ask('textDocument/signatureHelp', { textDocument, position: cursor }) : undefined
                ]);
            }
            const document = documents.get(file)!;
            const textDocument = { uri: document.uri };
            const whole = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
            await Promise.all([
                ask('textDocument/semanticTokens/full', { textDocument }),
                ask('textDocument/documentSymbol', { textDocument }),
                ask('textDocument/foldingRange', { textDocument }),
                ask('textDocument/inlayHint', { textDocument, range: whole }),
                ask('textDocument/codeLens', { textDocument }),
                ask('textDocument/definition', { textDocument, position: document.positionAt(original.length + 40) }),
                ask('textDocument/references', { textDocument, position: document.positionAt(original.length + 40), context: { includeDeclaration: true } })
            ]);
            // Deleted again (one change, as an undo does), and saved: every check runs.
            await change(file, { start: end, end: documents.get(file)!.positionAt(documents.get(file)!.getText().length) }, '');
            if (documents.get(file)!.getText() !== original) {
                throw new Error(`the soak's own edit went wrong in ${file}`);
            }
            await client.save(document.uri);
            cycles++;
            if (cycles % 10 === 0) {
                const last = rss.at(-1);
                log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${cycles} cycles, ${keystrokes} keystrokes, ${requests} requests, RSS ${last ? mb(last.bytes) : '?'}${heap.length ? `, heap ${mb(heap.at(-1)!.bytes)}` : ''}`);
            }
        }
    } finally {
        sampling = false;
        await sampler;
    }
    const alive = client.alive;
    const stderr = client.stderr;
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(reports, { recursive: true, force: true });
    return { cycles, keystrokes, requests, badAnswers, rss, heap, alive, stderr };
}

function mb(bytes: number): string {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Judges a series: the last quarter's median against the first quarter's, after warm-up. */
export function judgeSeries(name: string, samples: readonly Sample[], totalMs: number, cap?: number): Verdict {
    const warmUp = Math.max(5_000, totalMs / 4);
    const steady = samples.filter(sample => sample.at >= warmUp).map(sample => sample.bytes);
    const lines: string[] = [];
    let ok = true;
    if (cap !== undefined) {
        const max = Math.max(...samples.map(sample => sample.bytes));
        const within = max <= cap;
        ok &&= within;
        lines.push(`${name}: highest ${mb(max)} ${within ? '≤' : '>'} cap ${mb(cap)}`);
    }
    if (steady.length < 4) {
        lines.push(`${name}: only ${steady.length} samples after the warm-up; at least 4 are needed`);
        return { ok: false, lines };
    }
    const quarter = Math.max(1, Math.floor(steady.length / 4));
    const first = median(steady.slice(0, quarter));
    const last = median(steady.slice(-quarter));
    const limit = first * GROWTH + SLACK;
    const bounded = last <= limit;
    ok &&= bounded;
    lines.push(`${name}: ${steady.length} samples after ${(warmUp / 1000).toFixed(0)} s warm-up; first-quarter median ${mb(first)}, last-quarter median ${mb(last)} ${bounded ? '≤' : '>'} limit ${mb(limit)} (${GROWTH} × first + ${mb(SLACK)})`);
    return { ok, lines };
}

/** Everything the soak asserts, as one verdict with a line per check. */
export function judge(result: SoakResult, totalMs: number): Verdict {
    const lines = [`${result.cycles} edit cycles, ${result.keystrokes} keystrokes, ${result.requests} requests in ${(totalMs / 1000).toFixed(0)} s`];
    let ok = true;
    if (!result.alive) {
        ok = false;
        lines.push(`the server exited. Its stderr:\n${result.stderr.slice(-3000)}`);
    }
    if (result.badAnswers.length > 0) {
        ok = false;
        lines.push(`${result.badAnswers.length} requests were not answered properly, e.g.:\n  ${result.badAnswers.slice(0, 10).join('\n  ')}`);
    }
    if (result.cycles === 0) {
        ok = false;
        lines.push('no edit cycle finished');
    }
    const rss = judgeSeries('RSS', result.rss, totalMs, RSS_CAP);
    ok &&= rss.ok;
    lines.push(...rss.lines);
    if (result.heap.length > 0) {
        const heap = judgeSeries('JS heap used', result.heap, totalMs);
        ok &&= heap.ok;
        lines.push(...heap.lines);
    } else {
        lines.push('JS heap: no diagnostic reports (signals unsupported here); judged by RSS only');
    }
    return { ok, lines };
}
