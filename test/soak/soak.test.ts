/**
 * The edit soak (./soak.ts): the language server's memory stays bounded while an editor types,
 * asks and saves without pause. CI runs it for 25 seconds (KRA_SOAK_SECONDS); `npm run soak`
 * runs it for 10 minutes (`npm run soak -- --minutes N` for N).
 */
import { describe, expect, it } from 'vitest';
import { judge, judgeSeries, RSS_CAP, soak, type Sample } from './soak.js';

const SECONDS = Number(process.env.KRA_SOAK_SECONDS ?? 25);
const LONG = SECONDS > 60;

describe('edit soak', () => {
    it(`the server stays up, answers every request and its memory stays bounded for ${SECONDS} s of editing`, async () => {
        const ms = SECONDS * 1000;
        const result = await soak(ms, {
            sampleMs: LONG ? 1_000 : 250,
            heapEveryMs: LONG ? 5_000 : 2_000,
            log: LONG ? line => process.stderr.write(`soak: ${line}\n`) : undefined
        });
        const verdict = judge(result, ms);
        process.stderr.write(`\nsoak: ${verdict.ok ? 'memory stayed bounded' : 'FAILED'}\n  ${verdict.lines.join('\n  ')}\n`);
        expect(verdict.ok, verdict.lines.join('\n')).toBe(true);
    }, SECONDS * 1000 + 120_000);
});

describe('the memory bound', () => {
    const MB = 1024 * 1024;
    const series = (count: number, bytes: (index: number) => number): Sample[] =>
        Array.from({ length: count }, (_, index) => ({ at: index * 1000, bytes: bytes(index) }));

    it('holds for memory that stays level or saw-tooths, however high it starts in the warm-up', () => {
        expect(judgeSeries('RSS', series(600, index => (index < 60 ? 400 : 200 + (index % 30)) * MB), 600_000, RSS_CAP).ok).toBe(true);
        expect(judgeSeries('heap', series(600, index => (90 + (index % 7) * 5) * MB), 600_000).ok).toBe(true);
    });

    it('fails for memory that keeps growing, for one sample over the cap, and for too few samples', () => {
        // 1 MB a second: the last quarter's median is far over 1.5 × the first's.
        expect(judgeSeries('RSS', series(600, index => (150 + index) * MB), 600_000, RSS_CAP).ok).toBe(false);
        expect(judgeSeries('RSS', series(600, index => (index === 300 ? 1100 : 200) * MB), 600_000, RSS_CAP).ok).toBe(false);
        expect(judgeSeries('heap', series(3, () => 100 * MB), 3_000).ok).toBe(false);
    });
});
