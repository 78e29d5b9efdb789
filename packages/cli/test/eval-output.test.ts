/**
 * `kra eval --format json` on a million rows (issue 14): the result is written in pieces, so an
 * output longer than the longest string V8 can hold (about 512 MB) is written all the same.
 */
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';
import { jsonChunks } from '../src/commands/eval.js';

/** A result with `count` KPI rows, each carrying `reason`: shaped as the evaluator's, sized as a hostile one. */
function result(count: number, reason: string): EvaluationResult {
    const row = { kpi: 'k', variant: null, period: '2026-07', dimension: 'agent', member: 'a', value: 1.5, unit: 'count', reason, target: null,
        achievement: null, achievementReason: null, status: null, statusReason: null };
    return {
        $schema: 'https://kra-lang.dev/schemas/kra-eval/v1.json', schemaVersion: '1', organisation: null, settings: { achievementCap: 150, fiscalYearStart: 'january' },
        periods: [], dimensions: [{ dimension: 'agent', members: ['a'] }], kpis: Array.from({ length: count }, () => row),
        kras: [], roles: [], people: [], rollups: [], calibration: [], trends: [], warnings: ['a "quoted" warning\non two lines']
    } as unknown as EvaluationResult;
}

describe('kra eval --format json, written in pieces', () => {
    it('is byte for byte what JSON.stringify(result, null, 2) writes', () => {
        const sample = result(3, 'missing data: calls in 2026-07 — "quoted", with a\ttab');
        expect([...jsonChunks(sample)].join('')).toBe(`${JSON.stringify(sample, null, 2)}\n`);
        const empty = result(0, '');
        expect([...jsonChunks(empty)].join('')).toBe(`${JSON.stringify(empty, null, 2)}\n`);
    });

    it('writes more than the longest string V8 holds, in small pieces', () => {
        // 140,000 rows with a 4 KB reason: about 590 MB of JSON, past V8's 2^29 - 24 characters.
        let total = 0;
        let longest = 0;
        for (const chunk of jsonChunks(result(140_000, 'r'.repeat(4096)))) {
            total += chunk.length;
            longest = Math.max(longest, chunk.length);
        }
        expect(total).toBeGreaterThan(2 ** 29);
        expect(longest).toBeLessThan(10_000);
    });
});
