/**
 * `--definitions history`: a past period is evaluated with the definitions committed to git by
 * its end. A mid-year target change, evaluated both ways; periods before the first commit; the
 * errors of a committed version; a workspace outside git.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';
import { definitionsFor } from '../src/commands/definitions-history.js';
import { cleanEnv, git, runKra, scratchFolder } from '../../../test/support/cli.js';

const workspace = (level: number) => `
organisation acme "Acme Support" {}
metric fixed "Calls fixed first time" { unit count additive aggregate by sum }
metric calls "Calls handled" { unit count additive aggregate by sum }
department ops "Operations" {
  kra service "Service" {
    weight 100%
    kpi fcr "First contact resolution" {
      formula safe_ratio(fixed, calls)
      unit %
      higher is better
      target at least ${level}% each month
      thresholds green at least ${level}%, red otherwise
    }
  }
}
`;

// 85% every month, from November 2025 to September 2026.
const MONTHS = ['2025-11', '2025-12', ...Array.from({ length: 9 }, (_, index) => `2026-0${index + 1}`)];
const DATA = ['period,fixed,calls', ...MONTHS.map(month => `${month},85,100`)].join('\n') + '\n';

const scratch = scratchFolder('kra-history-');

/** A repository whose target rose from 80% to 90%, committed on 1 July 2026. */
function repository(name: string): string {
    const dir = scratch.write(name, { 'ws/acme.kra': workspace(80), 'data.csv': DATA });
    git(['init', '-q'], dir);
    git(['add', '.'], dir);
    git(['commit', '-q', '-m', 'targets for 2026'], dir, '2025-12-20T10:00:00Z');
    writeFileSync(path.join(dir, 'ws/acme.kra'), workspace(90));
    git(['commit', '-q', '-am', 'FCR target up from July'], dir, '2026-07-01T09:00:00Z');
    return dir;
}

async function evaluate(dir: string, definitions: 'current' | 'history'): Promise<EvaluationResult> {
    const run = await runKra(['eval', 'ws', '--data', 'data.csv', '--format', 'json', '--definitions', definitions], { cwd: dir, env: cleanEnv() as Record<string, string> });
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as EvaluationResult;
}

const fcr = (result: EvaluationResult, period: string) => result.kpis.find(kpi => kpi.kpi === 'ops.service.fcr' && kpi.period === period && kpi.dimension === null);

describe('kra eval --definitions history', () => {
    it('evaluates a mid-year target change both ways: every period with today\'s target, or each with the target in force', async () => {
        const dir = repository('mid-year');
        const current = await evaluate(dir, 'current');
        expect(MONTHS.map(month => fcr(current, month)?.target?.text)).toEqual(MONTHS.map(() => 'at least 90%'));
        expect(fcr(current, '2026-03')?.status).toBe('red');

        const history = await evaluate(dir, 'history');
        // 2025-11 closed before the first commit: not scored, and said so.
        expect(fcr(history, '2025-11')).toBeUndefined();
        expect(history.periods.find(period => period.id === '2025-11')?.definitions).toEqual({ from: 'none', commit: null, committed: null });
        expect(history.warnings.some(warning => warning.includes('2025-11') && warning.includes('nothing is scored on a guess'))).toBe(true);
        // December to June: the first commit's 80%, met by 85%.
        for (const month of ['2025-12', '2026-01', '2026-06']) {
            expect(fcr(history, month)).toMatchObject({ value: 85, status: 'green', target: { text: 'at least 80%' } });
            expect(history.periods.find(period => period.id === month)?.definitions).toMatchObject({ from: 'commit', committed: expect.stringMatching(/^2025-12-20/) });
        }
        // From July (committed on 1 July, in force at July's end): 90%, missed.
        for (const month of ['2026-07', '2026-09']) {
            expect(fcr(history, month)).toMatchObject({ value: 85, status: 'red', target: { text: 'at least 90%' } });
        }
        // The scores follow their period's definitions too.
        expect(history.kras.find(kra => kra.period === '2026-06')?.score).toBeCloseTo(85 / 80 * 100, 9);
        expect(history.kras.find(kra => kra.period === '2026-07')?.score).toBeCloseTo(85 / 90 * 100, 9);
    }, 60_000);

    it('says in the table which definitions the period shown was evaluated with', async () => {
        const dir = repository('table');
        const run = await runKra(['eval', 'ws', '--data', 'data.csv', '--definitions', 'history'], { cwd: dir, env: cleanEnv() as Record<string, string> });
        expect(run.code, run.stderr).toBe(0);
        const commit = git(['rev-parse', '--short=7', 'HEAD'], dir).trim();
        expect(run.stdout).toContain(`Definitions in force for 2026-09: as committed in ${commit} on 2026-07-01.`);
    }, 60_000);

    it('refuses a committed version with errors, naming the commit and the periods it was in force for', async () => {
        const dir = scratch.write('broken', { 'ws/acme.kra': workspace(80).replace('unit %', 'unit percnt'), 'data.csv': DATA });
        git(['init', '-q'], dir);
        git(['add', '.'], dir);
        git(['commit', '-q', '-m', 'broken'], dir, '2025-10-01T00:00:00Z');
        writeFileSync(path.join(dir, 'ws/acme.kra'), workspace(80));
        git(['commit', '-q', '-am', 'fixed'], dir, '2026-08-15T00:00:00Z');
        const run = await runKra(['eval', 'ws', '--data', 'data.csv', '--definitions', 'history'], { cwd: dir, env: cleanEnv() as Record<string, string> });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/the definitions committed in [0-9a-f]{7} \(2025-10-01\), in force for 9 periods \(2025-11 to 2026-07\), have 1 error/);
    }, 60_000);

    it('needs git: a workspace outside a repository is a usage error', async () => {
        const dir = scratch.write('no-git', { 'ws/acme.kra': workspace(80), 'data.csv': DATA });
        const run = await runKra(['eval', 'ws', '--data', 'data.csv', '--definitions', 'history'], { cwd: dir, env: { ...cleanEnv() as Record<string, string>, GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^kra eval: --definitions history reads the definitions in force from git, but ws is not in a git repository/);
    }, 60_000);
});

describe('the definitions in force for a period', () => {
    const commits = [
        { commit: 'b'.repeat(40), date: '2026-07-01T09:00:00+02:00', time: Date.parse('2026-07-01T09:00:00+02:00') },
        { commit: 'a'.repeat(40), date: '2026-03-31T23:30:00Z', time: Date.parse('2026-03-31T23:30:00Z') }
    ];
    const chosen = definitionsFor([
        { id: '2026-02', end: '2026-02-28' }, { id: '2026-03', end: '2026-03-31' }, { id: '2026-06', end: '2026-06-30' },
        { id: '2026-07', end: '2026-07-31' }, { id: '2026-12', end: '2026-12-31' }
    ], commits, '2026-12-04');

    it('is the newest commit made before the day after the period\'s last day (UTC), the files as they are for an open period, none before the first commit', () => {
        expect(chosen.get('2026-02')).toBeNull();
        expect(chosen.get('2026-03')).toBe(commits[1]); // committed in the last half hour of March
        expect(chosen.get('2026-06')).toBe(commits[1]); // 09:00+02:00 on 1 July is 07:00 UTC, after June's end
        expect(chosen.get('2026-07')).toBe(commits[0]);
        expect(chosen.get('2026-12')).toBe('files');
    });
});
