/**
 * formula/average-of-ratios says what it caught and what to write instead: the ratio of the
 * sums, built from the averaged ratio's own numerator and denominator (through KPI references,
 * windows and scaling by a constant), whatever the ratio's unit.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { buildWorkspace } from './test-utils.js';

const CASE = fileURLToPath(new URL('./rules/formula/average-of-ratios.kra', import.meta.url));

let messages: Map<number, string>;

beforeAll(async () => {
    const workspace = await buildWorkspace({ 'ratios.kra': readFileSync(CASE, 'utf8') });
    messages = new Map(workspace.diagnostics('ratios.kra')
        .filter((diagnostic: Diagnostic) => diagnostic.code === 'formula/average-of-ratios')
        .map(diagnostic => [diagnostic.range.start.line + 1, String(diagnostic.message)]));
});

describe('formula/average-of-ratios messages', () => {
    it('names the KPI, the ratio\'s parts and the ratio of the sums for a percentage KPI', () => {
        expect(messages.get(31)).toBe("KPI 'fcr_site': the formula averages `fcr`, a ratio of `resolved` to `issues`, across members "
            + '(teams, agents, days): every member counts the same, so a team with 10 contacts weighs as much as one with 1,000. '
            + 'Take the ratio of the sums instead: `safe_ratio(sum(resolved), sum(issues))`.');
        expect(messages.get(36)).toContain('adds up `fcr`, a ratio of `resolved` to `issues`');
        expect(messages.get(36)).toContain('ratios do not add up');
        expect(messages.get(41)).toContain('`safe_ratio(sum(resolved), sum(issues))`');
    });

    it('catches times per call and money per hour, and keeps a scaling around the fix', () => {
        expect(messages.get(56)).toContain('averages `aht`, a ratio of `talk_time` to `calls`');
        expect(messages.get(56)).toContain('Take the ratio of the sums instead: `safe_ratio(sum(talk_time), sum(calls))`.');
        expect(messages.get(61)).toContain('`safe_ratio(sum(talk_time), sum(calls))`');
        expect(messages.get(66)).toContain('takes the median of `aht_minutes`, a ratio of `talk_time` to `calls`');
        expect(messages.get(66)).toContain('`safe_ratio(sum(talk_time), sum(calls)) / 60`');
        expect(messages.get(70)).toContain('a ratio of `cost` to `paid_hours`');
        expect(messages.get(70)).toContain('`safe_ratio(sum(cost), sum(paid_hours))`');
    });

    it('carries a window into the fix, and falls back to the unit for a metric already in percent', () => {
        expect(messages.get(50)).toContain('`safe_ratio(sum(resolved over rolling 30 days), sum(issues over rolling 30 days))`');
        expect(messages.get(46)).toContain('`csat_pct`, a ratio in `percent`');
        expect(messages.get(46)).toContain('`safe_ratio(sum(numerator), sum(denominator))`, with the metrics the ratio is made of');
    });

    it('carries a filter into both sums of the fix', () => {
        expect(messages.get(74)).toContain('averages `fcr`, a ratio of `resolved` to `issues`');
        expect(messages.get(74)).toContain('`safe_ratio(sum(resolved where calls > 100), sum(issues where calls > 100))`');
    });

    it('reports nothing else', () => {
        expect([...messages.keys()].sort((a, b) => a - b)).toEqual([31, 36, 41, 46, 50, 56, 61, 66, 70, 74]);
    });
});
