/**
 * `kra check --cache`: the findings equal a check without the cache, after any edit (the oracle,
 * on mutated copies of the contact-centre example), the unchanged files are not checked again,
 * and a cache that is damaged, foreign or made for something else is never trusted.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO, runKra, scratchFolder, type KraRun } from '../../../test/support/cli.js';

const scratch = scratchFolder('kra-check-cache-');
const EXAMPLE = path.join(REPO, 'examples/contact-centre');

/** A source that reads its columns from a CSV header, and a metric measured from it. */
const CSV_SOURCE = `source tickets "Ticket export" {
  file "data/tickets.csv"
  period from opened
}

metric tickets_opened "Tickets opened" {
  description "Tickets customers opened, one row each."
  unit count
  additive
  aggregate by sum
  measured as count of tickets where ticket_id is not null
}
`;

/** A copy of the example (its .kra files, configuration and data), plus the CSV source. */
function copyExample(name: string): string {
    const dir = scratch.write(name, { 'tickets.kra': CSV_SOURCE, 'data/tickets.csv': 'opened,ticket_id\n2026-01-03,1\n' });
    for (const entry of readdirSync(EXAMPLE)) {
        if (entry.endsWith('.kra') || entry === 'kra.config.yaml') {
            cpSync(path.join(EXAMPLE, entry), path.join(dir, entry));
        }
    }
    cpSync(path.join(EXAMPLE, 'data'), path.join(dir, 'data'), { recursive: true });
    return dir;
}

async function check(dir: string, ...options: string[]): Promise<KraRun> {
    return runKra(['check', '.', '--format', 'json', ...options], { cwd: dir, env: { KRA_CACHE_STATS: '1' } });
}

/** `N files, M checked again` from the run's statistics line. */
function stats(run: KraRun): { files: number; checked: number } {
    const match = /cache: (\d+) files, (\d+) checked again/.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    return { files: Number(match![1]), checked: Number(match![2]) };
}

// --- the mutations ---------------------------------------------------------------------------

type Mutation = (dir: string, pick: (n: number) => number) => string | undefined;

function kraFiles(dir: string): string[] {
    return readdirSync(dir).filter(file => file.endsWith('.kra')).sort();
}

/** Replaces one match of `pattern` (chosen by `pick`) in one file (chosen by `pick`) with `replace(match)`. */
function replaceOne(pattern: RegExp, replace: (match: RegExpExecArray) => string): Mutation {
    return (dir, pick) => {
        const files = kraFiles(dir).filter(file => pattern.test(readFileSync(path.join(dir, file), 'utf8')));
        if (files.length === 0) {
            return undefined;
        }
        const file = files[pick(files.length)];
        const text = readFileSync(path.join(dir, file), 'utf8');
        const matches = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
        const match = matches[pick(matches.length)];
        writeFileSync(path.join(dir, file), text.slice(0, match.index) + replace(match) + text.slice(match.index + match[0].length));
        return `${file}: ${JSON.stringify(match[0])} → ${JSON.stringify(replace(match))}`;
    };
}

const NUMBERS = ['0', '1', '7', '80', '100', '250', '0.5', '5000'];
const UNITS = ['count', '%', 'seconds', 'USD', 'hours', 'calls', 'ratio'];

const MUTATIONS: Record<string, Mutation> = {
    /** A target, threshold, weight or limit: the commonest edit. */
    number: (dir, pick) => replaceOne(/(?<![\w.-])\d+(?:\.\d+)?(?![\w-])/, () => NUMBERS[pick(NUMBERS.length)])(dir, pick),
    /** A unit: units flow through formulas into other files. */
    unit: (dir, pick) => replaceOne(/\bunit [\w%]+/, () => `unit ${UNITS[pick(UNITS.length)]}`)(dir, pick),
    comparator: replaceOne(/\bat (least|most)\b/, match => (match[1] === 'least' ? 'at most' : 'at least')),
    /** A line of a target, threshold, weight, `measured by` or formula goes. */
    deleteLine: replaceOne(/^.*\b(target|thresholds|weighted|measured by|formula|aligns to|owner|review)\b.*\n/m, () => ''),
    /** A reference now names something else, or nothing (a typo). */
    reference: (dir, pick) => {
        const names = ['calls_offered', 'calls_handled', 'aht', 'fcr', 'csat', 'tickets_opened', 'ops.service', 'calls_offerd'];
        return replaceOne(/\b(measured by|formula) ([\w.]+)/, match => `${match[1]} ${names[pick(names.length)]}`)(dir, pick);
    },
    /** An id changes: every reference to it is checked again. */
    rename: replaceOne(/^(\s*(?:metric|kpi|kra) )(\w+)/m, match => `${match[1]}${match[2]}_renamed`),
    /** A description changes: text only. */
    text: replaceOne(/description "([^"]*)"/, match => `description "${match[1].split(' ').reverse().join(' ')}"`),
    /** A file is added or deleted. */
    addFile: dir => {
        writeFileSync(path.join(dir, 'added.kra'), 'metric added_calls "Calls added later" {\n  description "Calls routed from the new queue."\n  unit count\n}\n');
        return 'added.kra';
    },
    deleteFile: (dir, pick) => {
        const files = kraFiles(dir).filter(file => file !== 'organisation.kra');
        const file = files[pick(files.length)];
        rmSync(path.join(dir, file));
        return `deleted ${file}`;
    },
    /** The CSV header a source reads its columns from. */
    csvHeader: (dir, pick) => {
        const headers = ['opened,ticket_id', 'opened,id', 'opened_at,ticket_id'];
        const header = headers[pick(headers.length)];
        writeFileSync(path.join(dir, 'data/tickets.csv'), `${header}\n2026-01-03,1\n`);
        return `data/tickets.csv header ${header}`;
    }
};

const KINDS = Object.keys(MUTATIONS);
/** Edits that change no file set or name weigh more: they are what the cache is for. */
const WEIGHTED = [...KINDS, 'number', 'number', 'unit', 'comparator', 'deleteLine', 'reference', 'text'];

describe('kra check --cache', () => {
    it('gives the findings of a check without the cache after every edit of a sequence, checking fewer files when it can', async () => {
        let copies = 0;
        let warmRuns = 0;
        let partialRuns = 0;
        const property = fc.asyncProperty(
            fc.array(fc.record({ kind: fc.constantFrom(...WEIGHTED), picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }) }), { minLength: 3, maxLength: 6 }),
            async steps => {
                const dir = copyExample(`oracle-${copies++}`);
                const first = await check(dir, '--cache');
                expect(first.stdout).toBe((await check(dir)).stdout);
                const done: string[] = [];
                for (const step of steps) {
                    let next = 0;
                    const pick = (n: number) => step.picks[next++ % step.picks.length] % n;
                    const edit = MUTATIONS[step.kind](dir, pick);
                    if (edit === undefined) {
                        continue;
                    }
                    done.push(`${step.kind} ${edit}`);
                    const warm = await check(dir, '--cache');
                    const cold = await check(dir);
                    expect({ code: warm.code, stdout: warm.stdout }, `after: ${done.join('; ')}\n${warm.stderr}`).toEqual({ code: cold.code, stdout: cold.stdout });
                    const { files, checked } = stats(warm);
                    warmRuns++;
                    if (checked < files) {
                        partialRuns++;
                    }
                }
            });
        await fc.assert(property, { numRuns: Number(process.env.KRA_CACHE_RUNS ?? 8), seed: Number(process.env.KRA_FUZZ_SEED ?? 20261205), endOnFailure: true });
        // The oracle is only worth something if the cache was used: most edits check a part.
        expect(partialRuns).toBeGreaterThan(warmRuns / 4);
    }, 600_000);

    it('checks nothing again when nothing changed, and again only what an edit can affect', async () => {
        const dir = copyExample('unchanged');
        const cold = await check(dir, '--cache');
        expect(stats(cold)).toEqual({ files: 10, checked: 10 });
        expect(existsSync(path.join(dir, '.kracache'))).toBe(true);
        const again = await check(dir, '--cache');
        expect(stats(again)).toEqual({ files: 10, checked: 0 });
        expect(again.stdout).toBe(cold.stdout);
        // No other file uses the tickets metric: only its own file is checked again.
        const tickets = path.join(dir, 'tickets.kra');
        writeFileSync(tickets, readFileSync(tickets, 'utf8').replace('one row each', 'one row per ticket'));
        const edited = await check(dir, '--cache');
        expect(stats(edited)).toEqual({ files: 10, checked: 1 });
        expect(edited.stdout).toBe((await check(dir)).stdout);
    });

    it('gives the advice of a full check on a KPI whose formula names itself, where a metric of that name is in a file it does not import', async () => {
        const dir = scratch.write('self-reference', {
            'metrics.kra': 'metric handled "Calls handled" {\n  description "Calls an agent answered."\n  unit count\n}\n',
            'kpis.kra': 'kpi handled "Calls handled" {\n  description "Calls handled per day."\n  formula handled\n  unit count\n}\n'
        });
        await check(dir, '--cache');
        writeFileSync(path.join(dir, 'kpis.kra'), readFileSync(path.join(dir, 'kpis.kra'), 'utf8').replace('per day', 'per week'));
        const warm = await check(dir, '--cache');
        expect(stats(warm)).toEqual({ files: 2, checked: 1 });
        expect(warm.stdout).toContain('write `metric handled`');
        expect(warm.stdout).toBe((await check(dir)).stdout);
    });

    it('ignores a damaged cache with a note, checks everything and writes a good one', async () => {
        const dir = copyExample('damaged');
        const expected = (await check(dir)).stdout;
        for (const [damage, note] of [
            ['{"format":"kra-check-cache/5","key":', 'is not a kra cache (it is not JSON)'],
            ['{"format":"kra-check-cache/5","key":"x","uris":["a"],"entries":[{"hash":1}]}', 'is not a kra cache, or is damaged'],
            ['{"format":"kra-check-cache/5","key":"x","uris":[],"entries":[]}', 'was made by another build of kra, for other folders or with another configuration']
        ] as const) {
            writeFileSync(path.join(dir, '.kracache'), damage);
            const run = await check(dir, '--cache');
            expect(run.stderr).toContain(`kra check: .kracache ${note}; checking every file.`);
            expect(stats(run)).toEqual({ files: 10, checked: 10 });
            expect(run.stdout).toBe(expected);
            expect(readFileSync(path.join(dir, '.kracache'), 'utf8')).toMatch(/^\{"format":"kra-check-cache\/5"/);
        }
    });

    it('never writes over a file that is not a kra cache, and keeps the cache in a folder that --cache-location names', async () => {
        const dir = copyExample('location');
        writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');
        const run = await check(dir, '--cache', '--cache-location', 'notes.txt');
        expect(run.code).toBe(0);
        expect(run.stderr).toContain('kra check: notes.txt is not a kra cache (it is not JSON); checking every file.');
        expect(run.stderr).toContain('kra check: did not write the cache: notes.txt exists and is not a kra cache; remove it or choose another --cache-location.');
        expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
        const folder = await check(dir, '--cache', '--cache-location', 'cache/');
        expect(folder.code).toBe(0);
        expect(existsSync(path.join(dir, 'cache/.kracache'))).toBe(true);
        expect(stats(await check(dir, '--cache', '--cache-location', 'cache'))).toEqual({ files: 10, checked: 0 });
    });

    it('checks everything again when the configuration changes', async () => {
        const dir = copyExample('config');
        await check(dir, '--cache');
        writeFileSync(path.join(dir, 'kra.config.yaml'), `${readFileSync(path.join(dir, 'kra.config.yaml'), 'utf8')}\n# a comment changes nothing\n`);
        expect(stats(await check(dir, '--cache'))).toEqual({ files: 10, checked: 0 });
        writeFileSync(path.join(dir, 'kra.config.yaml'), 'rules:\n  metrics/unused: error\n');
        const run = await check(dir, '--cache');
        expect(stats(run)).toEqual({ files: 10, checked: 10 });
        expect(run.stdout).toBe((await check(dir)).stdout);
    });
});
