import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { focusPeriod, parsePeriod, periodProblem } from '@kra-lang/compiler/evaluate';
import { renderReport } from '@kra-lang/scorecard';
import { replaceFile } from '../files.js';
import type { DefinitionMode } from './definitions-history.js';
import { evaluateWorkspace } from './evaluation.js';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface ReportOptions {
    readonly data: string;
    readonly out: string;
    readonly period?: string;
    readonly title?: string;
    readonly definitions?: DefinitionMode;
    readonly allowErrors: boolean;
}

/**
 * `kra report`: evaluates a workspace on data and writes the scorecard as one self-contained
 * HTML file. 0 when written, 1 when the workspace has errors, 2 on bad data, a bad path or bad
 * usage; nothing is written unless everything succeeded.
 */
export async function runReport(workspacePath: string, options: ReportOptions, output: Output): Promise<number> {
    const period = options.period === undefined ? undefined : parsePeriod(options.period);
    if (options.period !== undefined && !period) {
        output.err(`kra report: --period '${options.period}' is not a period: ${periodProblem(options.period)}.\n`);
        return ExitCode.failure;
    }
    const outProblem = await checkOut(options.out);
    if (outProblem) {
        output.err(`kra report: --out ${options.out} ${outProblem}\n`);
        return ExitCode.failure;
    }
    const evaluation = await evaluateWorkspace('report', workspacePath, { data: options.data, definitions: options.definitions, allowErrors: options.allowErrors }, output);
    if (typeof evaluation === 'number') {
        return evaluation;
    }
    const { model, result } = evaluation;
    const periods = result.periods.map(entry => entry.id);
    if (period && !periods.includes(period.id)) {
        output.err(`kra report: --period ${period.id} is not in the data, which has ${periods.length === 1 ? periods[0] : `${periods[0]} to ${periods[periods.length - 1]}`}; choose one of its periods.\n`);
        return ExitCode.failure;
    }
    const html = await renderReport(model, result, { period: period?.id, title: options.title });
    try {
        await replaceFile(path.resolve(options.out), html);
    } catch (error) {
        output.err(`kra report: --out ${options.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was written.\n`);
        return ExitCode.failure;
    }
    const kpis = new Set(result.kpis.map(kpi => kpi.kpi)).size;
    output.out(`kra report: wrote ${options.out} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB): ${model.roles.length} role${model.roles.length === 1 ? '' : 's'}, ${kpis} KPI${kpis === 1 ? '' : 's'}, ${periods.length} period${periods.length === 1 ? '' : 's'}, focus ${period?.id ?? focusPeriod(result.periods)?.id}.\n`);
    return ExitCode.clean;
}

/** Why --out cannot take the report (a folder, a missing or read-only folder), checked before the work. */
async function checkOut(out: string): Promise<string | null> {
    const absolute = path.resolve(out);
    const stat = await fs.stat(absolute).catch(() => undefined);
    if (stat?.isDirectory()) {
        return 'is a folder; give the file to write, such as report.html.';
    }
    const folder = path.dirname(absolute);
    const folderStat = await fs.stat(folder).catch(() => undefined);
    if (!folderStat || !folderStat.isDirectory()) {
        return `cannot be written: the folder ${path.dirname(out)} does not exist.`;
    }
    try {
        await fs.access(folder, fs.constants.W_OK);
    } catch {
        return `cannot be written: the folder ${path.dirname(out)} is not writable.`;
    }
    return null;
}
