/**
 * `--definitions history`: each closed period is evaluated with the definitions that were in
 * force for it, the workspace as committed to git by the end of the period, so that editing a
 * target today does not rewrite last quarter's appraisals. Periods still open (ending today or
 * later) use the files as they are. docs/evaluation.md ("Definitions in force per period").
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { compileWorkspace, type KraModel } from '@kra-lang/compiler';
import { focusPeriod, type EvaluationResult, type PeriodDefinitions } from '@kra-lang/compiler/evaluate';
import { loadWorkspaceFromTexts } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { git, revisionFiles } from './diff.js';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export const DEFINITION_MODES = ['current', 'history'] as const;
export type DefinitionMode = typeof DEFINITION_MODES[number];

interface Commit {
    readonly commit: string;
    /** Committer date, as git prints it (ISO 8601 with offset). */
    readonly date: string;
    readonly time: number;
}

/** Which definitions each period gets: a commit, the working tree, or none (before the first commit). */
export function definitionsFor(periods: ReadonlyArray<{ id: string; end: string }>, commits: readonly Commit[], today: string): Map<string, Commit | 'files' | null> {
    const chosen = new Map<string, Commit | 'files' | null>();
    for (const period of periods) {
        if (period.end >= today) {
            chosen.set(period.id, 'files');
            continue;
        }
        // In force at the period's end: the newest commit made before the day after its last day (UTC).
        const closes = Date.parse(`${period.end}T00:00:00Z`) + 86_400_000;
        chosen.set(period.id, commits.find(commit => commit.time < closes) ?? null);
    }
    return chosen;
}

export interface InForce {
    readonly result: EvaluationResult;
    /** The definitions in force for the latest period, which the scorecard shows. */
    readonly latest: KraModel;
}

/**
 * The evaluation with each closed period's values, scores and trends computed from the
 * definitions committed by its end; the exit code after a reported problem otherwise.
 */
export async function withDefinitionsInForce(
    command: string, root: string, model: KraModel, current: EvaluationResult, evaluate: (model: KraModel) => EvaluationResult,
    options: { allowErrors: boolean; today?: string }, output: Output
): Promise<InForce | number> {
    let toplevel: string;
    try {
        toplevel = (await git(['rev-parse', '--show-toplevel'], root)).trim();
    } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        output.err(`kra ${command}: --definitions history reads the definitions in force from git, but ${missing ? 'git is not installed (or not on the PATH)' : `${displayPath(root)} is not in a git repository`}. Commit the workspace to git, or leave out --definitions history to evaluate every period with the current files.\n`);
        return ExitCode.failure;
    }
    const relative = path.relative(await fs.realpath(toplevel), await fs.realpath(root)).split(path.sep).join('/');
    let log = '';
    try {
        log = await git(['log', '--first-parent', '--format=%H%x09%cI', 'HEAD', '--', relative === '' ? '.' : relative], toplevel);
    } catch {
        // A repository without commits: no history, reported below.
    }
    const commits: Commit[] = log.split('\n').filter(Boolean).map(line => {
        const [commit, date] = line.split('\t') as [string, string];
        return { commit, date, time: Date.parse(date) };
    });
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    const chosen = definitionsFor(current.periods, commits, today);

    // Evaluate each commit that some period needs, once.
    const byCommit = new Map<string, EvaluationResult>();
    const models = new Map<string, KraModel>();
    for (const version of new Set([...chosen.values()].filter((value): value is Commit => value !== null && value !== 'files'))) {
        if (byCommit.has(version.commit)) {
            continue;
        }
        const label = `${version.commit.slice(0, 7)} (${version.date.slice(0, 10)})`;
        const files = await revisionFiles({ kind: 'revision', label, revision: version.commit, commit: version.commit, root, toplevel, relative });
        const workspace = await loadWorkspaceFromTexts(files, root);
        const errors = collectFindings(workspace.documents, process.cwd()).filter(finding => finding.severity === 'error');
        if (errors.length > 0 && !options.allowErrors) {
            const periods = [...chosen].filter(([, value]) => value !== null && value !== 'files' && value.commit === version.commit).map(([id]) => id);
            output.err(formatStylish(errors, workspace.documents.length));
            output.err(`kra ${command}: the definitions committed in ${label}, in force for ${periodList(periods)}, have ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was evaluated. Pass --allow-errors to evaluate them as they are.\n`);
            return ExitCode.errors;
        }
        const versionModel = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(root) });
        models.set(version.commit, versionModel);
        byCommit.set(version.commit, evaluate(versionModel));
    }

    const resultOf = (period: string): EvaluationResult | null => {
        const version = chosen.get(period);
        return version === 'files' || version === undefined ? current : version === null ? null : byCommit.get(version.commit)!;
    };
    const unscored = current.periods.filter(period => chosen.get(period.id) === null).map(period => period.id);
    const pick = <T extends { period: string }>(select: (result: EvaluationResult) => readonly T[]): T[] =>
        current.periods.flatMap(period => {
            const result = resultOf(period.id);
            return result ? select(result).filter(entry => entry.period === period.id) : [];
        });
    const definitionsOf = (period: string): PeriodDefinitions => {
        const version = chosen.get(period);
        return version && version !== 'files'
            ? { from: 'commit', commit: version.commit, committed: version.date }
            : { from: version === null ? 'none' : 'files', commit: null, committed: null };
    };
    const warnings = new Set([current, ...byCommit.values()].flatMap(result => result.warnings));
    if (unscored.length > 0) {
        warnings.add(`no definitions were committed by the end of ${periodList(unscored)} (the workspace's first commit is ${commits.at(-1)?.date.slice(0, 10) ?? 'still to be made'}), so ${unscored.length === 1 ? 'it is' : 'they are'} not evaluated: nothing is scored on a guess`);
    }
    const latest = chosen.get(focusPeriod(current.periods)?.id ?? '');
    const result: EvaluationResult = {
        ...current,
        periods: current.periods.map(period => ({ ...period, definitions: definitionsOf(period.id) })),
        kpis: pick(result => result.kpis),
        kras: pick(result => result.kras),
        roles: pick(result => result.roles),
        people: pick(result => result.people),
        rollups: pick(result => result.rollups),
        calibration: pick(result => result.calibration),
        trends: pick(result => result.trends),
        warnings: [...warnings]
    };
    return { result, latest: latest && latest !== 'files' ? models.get(latest.commit)! : model };
}

/** `2025-01, 2025-02 and 2025-03`; long lists shortened. */
function periodList(periods: readonly string[]): string {
    if (periods.length <= 1) {
        return periods[0] ?? '';
    }
    if (periods.length > 6) {
        return `${periods.length} periods (${periods[0]} to ${periods.at(-1)})`;
    }
    return `${periods.slice(0, -1).join(', ')} and ${periods.at(-1)}`;
}

function displayPath(file: string): string {
    return path.relative(process.cwd(), file) || '.';
}
