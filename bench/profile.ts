/**
 * Summarises a V8 CPU profile (node --cpu-prof) as the top frames by self time and by
 * inclusive time, and the self time per package or source file.
 *
 *     node --cpu-prof --cpu-prof-dir=/tmp/prof packages/cli/bin/kra.js check DIR
 *     node --experimental-transform-types bench/profile.ts /tmp/prof/CPU.*.cpuprofile [--top 25]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[]; hitCount?: number }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface FrameTime { frame: string; selfMs: number; totalMs: number }

export interface ProfileSummary {
    totalMs: number;
    bySelf: FrameTime[];
    byTotal: FrameTime[];
    byModule: Array<{ module: string; selfMs: number }>;
}

/** Where a script lives, short: `langium/lib/parser/langium-parser.js`, `@kra-lang/language/…`. */
function shortUrl(url: string): string {
    if (!url) {
        return '(native)';
    }
    const file = url.replace(/^file:\/\//, '');
    const modules = file.lastIndexOf('node_modules/');
    if (modules >= 0) {
        return file.slice(modules + 'node_modules/'.length);
    }
    const packages = file.indexOf('/packages/');
    if (packages >= 0) {
        return file.slice(packages + 1);
    }
    return path.basename(file);
}

function moduleOf(url: string): string {
    const short = shortUrl(url);
    if (short.startsWith('packages/')) {
        return short.split('/').slice(0, 2).join('/');
    }
    if (short.startsWith('node:') || short === '(native)' || !short.includes('/')) {
        return short.startsWith('node:') ? 'node internals' : short;
    }
    const parts = short.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function frameName(frame: CallFrame): string {
    const name = frame.functionName || '(anonymous)';
    return frame.url ? `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : name;
}

export function summarise(profile: Profile, top = 20): ProfileSummary {
    const byId = new Map(profile.nodes.map(node => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) {
        for (const child of node.children ?? []) {
            parent.set(child, node.id);
        }
    }
    const selfUs = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) {
        const id = profile.samples[i];
        selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    const modules = new Map<string, number>();
    for (const [id, us] of selfUs) {
        const node = byId.get(id)!;
        const name = frameName(node.callFrame);
        self.set(name, (self.get(name) ?? 0) + us);
        const module = moduleOf(node.callFrame.url);
        modules.set(module, (modules.get(module) ?? 0) + us);
        // Inclusive time: each distinct frame on the stack once (recursion counted once).
        const seen = new Set<string>();
        for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
            const frame = frameName(byId.get(current)!.callFrame);
            if (!seen.has(frame)) {
                seen.add(frame);
                total.set(frame, (total.get(frame) ?? 0) + us);
            }
        }
    }
    const ms = (us: number) => Math.round(us / 100) / 10;
    const rows = (map: Map<string, number>, other: Map<string, number>, selfFirst: boolean) => [...map]
        .filter(([frame]) => !['(root)', '(program)', '(idle)'].includes(frame))
        .sort((a, b) => b[1] - a[1]).slice(0, top)
        .map(([frame, us]) => selfFirst
            ? { frame, selfMs: ms(us), totalMs: ms(other.get(frame) ?? 0) }
            : { frame, selfMs: ms(other.get(frame) ?? 0), totalMs: ms(us) });
    return {
        totalMs: ms((profile.endTime - profile.startTime)),
        bySelf: rows(self, total, true),
        byTotal: rows(total, self, false),
        byModule: [...modules].sort((a, b) => b[1] - a[1]).slice(0, top).map(([module, us]) => ({ module, selfMs: ms(us) }))
    };
}

export function formatSummary(summary: ProfileSummary): string {
    const lines = [`Profile: ${summary.totalMs} ms`, '', 'Self time by module:'];
    for (const row of summary.byModule) {
        lines.push(`  ${String(row.selfMs).padStart(9)} ms  ${row.module}`);
    }
    lines.push('', 'Top frames by self time (self / inclusive ms):');
    for (const row of summary.bySelf) {
        lines.push(`  ${String(row.selfMs).padStart(9)} ${String(row.totalMs).padStart(9)}  ${row.frame}`);
    }
    lines.push('', 'Top frames by inclusive time (inclusive / self ms):');
    for (const row of summary.byTotal) {
        lines.push(`  ${String(row.totalMs).padStart(9)} ${String(row.selfMs).padStart(9)}  ${row.frame}`);
    }
    return `${lines.join('\n')}\n`;
}

if (import.meta.filename === path.resolve(process.argv[1] ?? '')) {
    const { values, positionals: files } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
    const top = Number(values.top);
    if (files.length === 0 || !Number.isInteger(top)) {
        process.stderr.write('Usage: node --experimental-transform-types bench/profile.ts FILE.cpuprofile [--top N]\n');
        process.exit(2);
    }
    for (const file of files) {
        process.stdout.write(`== ${file}\n${formatSummary(summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, top))}\n`);
    }
}
