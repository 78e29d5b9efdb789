import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { colours as pc } from '../report/colours.js';
import { compileWorkspace, type KraModel } from '@kra-lang/compiler';
import {
    dataFormat, evaluateModel, formatDataProblem, mergeData, parseDataFile, parsePeriod, validateEvaluation,
    type DataFile, type EvaluationResult, type KpiResult, type RagStatus
} from '@kra-lang/compiler/evaluate';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { formatPercent, formatQuantity } from '@kra-lang/semantics';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { loadOrReport, noteWholeWorkspace, type Output } from './shared.js';
import { padEnd, padStart, width } from '../report/width.js';

export type EvalFormat = 'table' | 'json' | 'csv' | 'markdown';

export interface EvalOptions {
    readonly data: string;
    readonly format: EvalFormat;
    readonly period?: string;
    readonly allowErrors: boolean;
}

/** Data problems printed before the rest are counted, so a broken export stays readable. */
const MAX_PRINTED_PROBLEMS = 30;

/**
 * `kra eval`: 0 when the evaluation ran (whatever the KPIs' status), 1 when the workspace has
 * errors, 2 on bad data, a bad path or bad usage.
 */
export async function runEval(workspacePath: string, options: EvalOptions, output: Output): Promise<number> {
    const period = options.period === undefined ? undefined : parsePeriod(options.period);
    if (options.period !== undefined && !period) {
        output.err(`kra eval: --period '${options.period}' is not a period; write 2026-07 (month), 2026-Q3 (quarter), 2026-H1 (half-year), 2026 (year) or 2026-07-15 (day).\n`);
        return 2;
    }
    const dataPaths = await findData(options.data, output);
    if (typeof dataPaths === 'number') {
        return dataPaths;
    }
    const target = await loadOrReport(() => resolveTarget(workspacePath), output, 'eval');
    if (typeof target === 'number') {
        return target;
    }
    noteWholeWorkspace('eval', workspacePath, target, output);
    const workspace = await loadOrReport(() => loadWorkspace([target]), output, 'eval');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const errors = collectFindings(workspace.documents, process.cwd()).filter(finding => finding.severity === 'error');
    if (errors.length > 0 && !options.allowErrors) {
        output.err(formatStylish(errors, workspace.documents.length));
        output.err(`kra eval: the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was evaluated. Fix them, or pass --allow-errors.\n`);
        return 1;
    }
    const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });

    const files = await readData(dataPaths, model.metrics.map(metric => metric.id), output);
    if (typeof files === 'number') {
        return files;
    }
    const data = mergeData(files);
    const problems = data.problems;
    problems.slice(0, MAX_PRINTED_PROBLEMS).forEach(problem => output.err(`${formatDataProblem(problem)}\n`));
    if (problems.length > MAX_PRINTED_PROBLEMS) {
        output.err(`... and ${problems.length - MAX_PRINTED_PROBLEMS} more\n`);
    }
    const dataErrors = problems.filter(problem => problem.severity === 'error').length;
    if (dataErrors > 0) {
        output.err(`kra eval: ${dataErrors} error${dataErrors === 1 ? '' : 's'} in the data; nothing was evaluated.\n`);
        return 2;
    }
    if (data.rows.length === 0 && !period) {
        output.err(`kra eval: the data has no rows; nothing to evaluate.\n`);
        return 2;
    }

    const result = evaluateModel(model, data, { periods: period ? [period.id] : undefined });
    const schemaProblems = validateEvaluation(result);
    if (schemaProblems.length > 0) {
        output.err('kra eval: internal error: the result does not match its schema:\n');
        schemaProblems.slice(0, 20).forEach(problem => output.err(`  ${problem.path}: ${problem.message}\n`));
        output.err('This is a bug in kra; please report it with the workspace and data that trigger it.\n');
        return 2;
    }
    for (const warning of result.warnings) {
        output.err(`warning: ${warning}\n`);
    }
    switch (options.format) {
        case 'json':
            output.out(`${JSON.stringify(result, null, 2)}\n`);
            break;
        case 'csv':
            output.out(formatCsv(result));
            break;
        case 'markdown':
            output.out(new Scorecard(model, result, files.length).markdown());
            break;
        case 'table':
            output.out(new Scorecard(model, result, files.length).table());
            break;
    }
    return 0;
}

/** The data files: the one given, or every .csv and .json in the folder given (not in subfolders), sorted. */
async function findData(dataPath: string, output: Output): Promise<string[] | number> {
    const absolute = path.resolve(dataPath);
    let stat;
    try {
        stat = await fs.stat(absolute);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        output.err(`kra eval: --data ${dataPath} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'unknown error'})`}.\n`);
        return 2;
    }
    let paths: string[];
    if (stat.isDirectory()) {
        const entries = await fs.readdir(absolute, { withFileTypes: true });
        paths = entries.filter(entry => entry.isFile() && dataFormat(entry.name)).map(entry => path.join(absolute, entry.name)).sort();
        if (paths.length === 0) {
            output.err(`kra eval: --data ${dataPath} has no .csv or .json files.\n`);
            return 2;
        }
    } else if (dataFormat(absolute)) {
        paths = [absolute];
    } else {
        output.err(`kra eval: --data ${dataPath} is not a .csv or .json file.\n`);
        return 2;
    }
    return paths;
}

async function readData(paths: readonly string[], metrics: readonly string[], output: Output): Promise<DataFile[] | number> {
    const files: DataFile[] = [];
    for (const file of paths) {
        const name = path.relative(process.cwd(), file).split(path.sep).join('/') || file;
        let text: string;
        try {
            text = await fs.readFile(file, 'utf8');
        } catch (error) {
            output.err(`kra eval: ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).\n`);
            return 2;
        }
        files.push(parseDataFile(text, { file: name, metrics }));
    }
    return files;
}

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

const STATUS_COLOURS: Record<RagStatus, (text: string) => string> = { green: pc.green, amber: pc.yellow, red: pc.red };

/**
 * A value with its unit for people, in the kernel's wording with table precision: `81.4%`,
 * `380.8 s`, `3.80 GBP`, `9.4`; counts and scores without their unit.
 */
function formatValue(value: number | null, unit: string | null, model: KraModel): string {
    if (value === null) {
        return '—';
    }
    if (unit === 'percent') {
        return formatPercent(value, { decimals: 1 });
    }
    const declared = unit ? model.units.find(candidate => candidate.id === unit) : undefined;
    if (declared?.kind === 'currency') {
        return formatQuantity(value, unit, { decimals: 2 });
    }
    const decimals = Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : 1;
    return formatQuantity(value, !unit || unit === 'score' || unit === 'count' ? null : declared?.symbol ?? unit, { decimals });
}

/** A score or achievement in percent, one decimal: `81.4%`. */
function scoreText(value: number | null): string {
    return value === null ? '—' : formatPercent(value, { decimals: 1 });
}

/** A share of a score in whole percent: `30%`. */
function shareText(value: number): string {
    return formatPercent(value, { decimals: 0 });
}

function targetText(result: KpiResult, model: KraModel): string {
    const target = result.target;
    if (!target) {
        return '—';
    }
    let text = target.text;
    if (target.kind === 'change' && target.level !== null) {
        text += ` (${formatValue(target.level, result.unit, model)})`;
    }
    if (target.client) {
        text = `for ${target.client}: ${text}`;
    }
    return target.timing ? `${text} ${target.timing}` : text;
}

interface Row {
    readonly cells: string[];
    /** Applied after padding, so widths are those of the plain text. */
    readonly style?: (text: string) => string;
    readonly status?: RagStatus | null;
    readonly note?: string | null;
}

const HEADINGS = ['KRA / KPI', 'weight', 'value', 'target', 'achievement', 'status'];

/** A role-by-role scorecard of one period: KRAs, their KPIs, the role score and the rating. */
class Scorecard {
    private readonly period: string;
    private readonly kpiTitles: Map<string, string>;
    private readonly kraTitles: Map<string, string>;

    constructor(private readonly model: KraModel, private readonly result: EvaluationResult, private readonly fileCount: number) {
        // The latest period (the last; of two ending the same day, the longer one).
        this.period = result.periods[result.periods.length - 1]?.id ?? '';
        this.kpiTitles = new Map(model.kpis.map(kpi => [kpi.id, kpi.title ?? kpi.id]));
        this.kraTitles = new Map(model.kras.map(kra => [kra.id, kra.title ?? kra.id]));
    }

    private kpi(id: string, dimension: string | null = null, member: string | null = null): KpiResult | undefined {
        return this.result.kpis.find(result => result.kpi === id && result.variant === null && result.period === this.period
            && result.dimension === dimension && result.member === member);
    }

    private roles() {
        return this.model.roles.map(role => ({
            role,
            score: this.result.roles.find(score => score.role === role.id && score.period === this.period)!,
            kras: role.kras.map(use => ({
                use,
                score: this.result.kras.find(score => score.kra === use.kra && score.period === this.period)!
            }))
        }));
    }

    private roleRows(entry: ReturnType<Scorecard['roles']>[number]): Row[] {
        const rows: Row[] = [];
        for (const { use, score } of entry.kras) {
            rows.push({
                cells: [this.kraTitles.get(use.kra) ?? use.kra, shareText(use.effectiveWeight), '', '', scoreText(score.score), ''],
                style: pc.bold,
                note: score.score === null ? score.reason : null
            });
            for (const kpiScore of score.kpis) {
                const result = this.kpi(kpiScore.kpi);
                rows.push({
                    cells: [
                        `  ${this.kpiTitles.get(kpiScore.kpi) ?? kpiScore.kpi}`,
                        shareText(kpiScore.weight),
                        result ? formatValue(result.value, result.unit, this.model) : '—',
                        result ? targetText(result, this.model) : '—',
                        scoreText(result?.achievement ?? null),
                        result?.status ?? '—'
                    ],
                    status: result?.status ?? null,
                    note: result ? result.reason ?? result.achievementReason ?? result.statusReason : 'not evaluated'
                });
            }
        }
        return rows;
    }

    /** KPIs no role carries (or every KPI, for a workspace without roles), with their KRA. */
    private otherRows(): Row[] {
        const inRoles = new Set(this.model.roles.flatMap(role => role.kras.flatMap(use => use.kpis.map(kpi => kpi.kpi))));
        return this.model.kpis.filter(kpi => !inRoles.has(kpi.id)).flatMap(kpi => {
            const result = this.kpi(kpi.id);
            if (!result) {
                return [];
            }
            return [{
                cells: [`  ${kpi.title ?? kpi.id}`, '', formatValue(result.value, result.unit, this.model), targetText(result, this.model), scoreText(result.achievement), result.status ?? '—'],
                status: result.status,
                note: result.reason ?? result.achievementReason ?? result.statusReason
            }];
        });
    }

    private header(): string[] {
        const organisation = this.model.organisation;
        const periods = this.result.periods;
        const name = organisation?.title ?? organisation?.id;
        const lines = [!name ? `Scorecard for ${this.period}` : `${name}: scorecard for ${this.period}`];
        const dimensions = this.result.dimensions.map(d => `${d.dimension} ${d.members.join(', ')}`).join('; ');
        lines.push(`Data: ${this.fileCount} file${this.fileCount === 1 ? '' : 's'}, ${periods.length === 1 ? `period ${periods[0].id}` : `${periods.length} periods from ${periods[0]?.id} to ${this.period}`}`
            + `${dimensions ? `; ${dimensions}` : ''}. Achievement is capped at ${this.result.settings.achievementCap}%.`);
        return lines;
    }

    private ratingText(score: EvaluationResult['roles'][number]): string {
        return score.rating ? `rating ${score.rating.value} ${score.rating.label}` : `no rating (${score.ratingReason})`;
    }

    /** Per dimension: each KPI's value in total and per member, so the ratio of sums is visible. */
    private breakdowns(): Array<{ dimension: string; members: string[]; rows: Array<{ kpi: string; cells: Array<KpiResult | undefined> }> }> {
        return this.result.dimensions.map(({ dimension, members }) => ({
            dimension,
            members,
            rows: this.model.kpis
                .filter(kpi => this.result.kpis.some(result => result.kpi === kpi.id && result.period === this.period && result.dimension === dimension && result.variant === null))
                .map(kpi => ({ kpi: kpi.id, cells: [...members.map(member => this.kpi(kpi.id, dimension, member)), this.kpi(kpi.id)] }))
        })).filter(breakdown => breakdown.rows.length > 0);
    }

    table(): string {
        const lines = [...this.header().map((line, index) => (index === 0 ? pc.bold(line) : pc.dim(line))), ''];
        const roles = this.roles();
        const others = this.otherRows();
        const allRows = [...roles.flatMap(entry => this.roleRows(entry)), ...others];
        const widths = HEADINGS.map((heading, column) => Math.max(width(heading), ...allRows.map(row => width(row.cells[column]))));
        const render = (row: Row) => {
            const cells = row.cells.map((cell, column) => (column === 1 || column === 2 || column === 4 ? padStart(cell, widths[column]) : padEnd(cell, widths[column])));
            let status = cells[5];
            if (row.status) {
                status = STATUS_COLOURS[row.status](status);
            }
            const text = `  ${[...cells.slice(0, 5), status].join('  ')}`.trimEnd();
            const styled = row.style ? row.style(text) : text;
            return row.note ? `${styled}  ${pc.dim(`(${row.note})`)}` : styled;
        };
        for (const entry of roles) {
            const score = entry.score;
            lines.push(`${pc.bold(entry.role.title ?? entry.role.id)} ${pc.dim(`(${entry.role.id})`)}  score ${pc.bold(scoreText(score.score))}  ${this.ratingText(score)}`);
            lines.push(pc.dim(`  ${HEADINGS.map((heading, column) => (column === 1 || column === 2 || column === 4 ? padStart(heading, widths[column]) : padEnd(heading, widths[column]))).join('  ')}`.trimEnd()));
            this.roleRows(entry).forEach(row => lines.push(render(row)));
            score.notes.filter(note => note.startsWith('weights')).forEach(note => lines.push(pc.dim(`  note: ${note}`)));
            lines.push('');
        }
        if (others.length > 0) {
            lines.push(pc.bold('KPIs in no role'));
            lines.push(pc.dim(`  ${HEADINGS.map((heading, column) => (column === 1 || column === 2 || column === 4 ? padStart(heading, widths[column]) : padEnd(heading, widths[column]))).join('  ')}`.trimEnd()));
            others.forEach(row => lines.push(render(row)));
            lines.push('');
        }
        for (const breakdown of this.breakdowns()) {
            lines.push(pc.bold(`By ${breakdown.dimension}, ${this.period}`));
            const header = ['KPI', ...breakdown.members, 'total'];
            const body = breakdown.rows.map(row => [this.kpiTitles.get(row.kpi) ?? row.kpi, ...row.cells.map(cell => this.cellText(cell))]);
            const columnWidths = header.map((heading, column) => Math.max(width(heading), ...body.map(cells => width(cells[column]))));
            lines.push(pc.dim(`  ${header.map((heading, column) => padEnd(heading, columnWidths[column])).join('  ')}`.trimEnd()));
            breakdown.rows.forEach((row, index) => {
                const cells = body[index].map((cell, column) => {
                    const padded = padEnd(cell, columnWidths[column]);
                    const status = column > 0 ? row.cells[column - 1]?.status : null;
                    return status ? padded.replace(status, STATUS_COLOURS[status](status)) : padded;
                });
                lines.push(`  ${cells.join('  ')}`.trimEnd());
            });
            lines.push('');
        }
        return `${lines.join('\n')}\n`;
    }

    private cellText(result: KpiResult | undefined): string {
        if (!result) {
            return '';
        }
        return result.value === null ? '—' : `${formatValue(result.value, result.unit, this.model)} ${result.status ?? '—'}`;
    }

    markdown(): string {
        const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
        const [title, subtitle] = this.header();
        const lines = [`# ${escape(title)}`, '', escape(subtitle), ''];
        for (const entry of this.roles()) {
            const score = entry.score;
            lines.push(`## ${escape(entry.role.title ?? entry.role.id)} (\`${entry.role.id}\`)`, '');
            lines.push(`Score **${scoreText(score.score)}**, ${escape(this.ratingText(score))}.`, '');
            lines.push(`| ${HEADINGS.join(' | ')} | note |`, '|---|---:|---:|---|---:|---|---|');
            for (const row of this.roleRows(entry)) {
                const cells = row.cells.map((cell, column) => (column === 0 ? cell.trim() : cell));
                if (row.style) {
                    cells[0] = `**${cells[0]}**`;
                } else {
                    cells[0] = `&nbsp;&nbsp;${cells[0]}`;
                }
                lines.push(`| ${[...cells, row.note ?? ''].map(escape).join(' | ')} |`);
            }
            score.notes.filter(note => note.startsWith('weights')).forEach(note => lines.push('', `Note: ${escape(note)}.`));
            lines.push('');
        }
        const others = this.otherRows();
        if (others.length > 0) {
            lines.push('## KPIs in no role', '', `| ${HEADINGS.join(' | ')} | note |`, '|---|---:|---:|---|---:|---|---|');
            others.forEach(row => lines.push(`| ${[row.cells[0].trim(), ...row.cells.slice(1), row.note ?? ''].map(escape).join(' | ')} |`));
            lines.push('');
        }
        for (const breakdown of this.breakdowns()) {
            lines.push(`## By ${breakdown.dimension}`, '');
            lines.push(`| KPI | ${[...breakdown.members, 'total'].map(escape).join(' | ')} |`, `|---|${[...breakdown.members, 'total'].map(() => '---:').join('|')}|`);
            for (const row of breakdown.rows) {
                lines.push(`| ${[this.kpiTitles.get(row.kpi) ?? row.kpi, ...row.cells.map(cell => this.cellText(cell))].map(escape).join(' | ')} |`);
            }
            lines.push('');
        }
        return `${lines.join('\n').replace(/\n+$/, '')}\n`;
    }
}

const CSV_COLUMNS = ['record', 'period', 'role', 'kra', 'kpi', 'variant', 'dimension', 'member', 'value', 'unit', 'target', 'achievement', 'status', 'score', 'rating', 'reason'];

/**
 * One table with a `record` column: `kpi` rows (every KPI per period and member), then `kra`
 * and `role` rows with scores. Text that a spreadsheet would run as a formula gets a leading `'`.
 */
function formatCsv(result: EvaluationResult): string {
    const number = (value: number | null) => (value === null ? '' : String(value));
    const rows: string[][] = [CSV_COLUMNS];
    for (const kpi of result.kpis) {
        rows.push(['kpi', kpi.period, '', '', kpi.kpi, kpi.variant ?? '', kpi.dimension ?? '', kpi.member ?? '', number(kpi.value), kpi.unit ?? '',
            kpi.target ? `${kpi.target.client ? `for ${kpi.target.client}: ` : ''}${kpi.target.text}${kpi.target.timing ? ` ${kpi.target.timing}` : ''}` : '',
            number(kpi.achievement), kpi.status ?? '', '', '', kpi.reason ?? kpi.achievementReason ?? kpi.statusReason ?? '']);
    }
    for (const kra of result.kras) {
        rows.push(['kra', kra.period, '', kra.kra, '', '', '', '', '', '', '', '', '', number(kra.score), '', kra.reason ?? '']);
    }
    for (const role of result.roles) {
        rows.push(['role', role.period, role.role, '', '', '', '', '', '', '', '', '', '', number(role.score),
            role.rating ? `${role.rating.value} ${role.rating.label}` : '', role.reason ?? role.ratingReason ?? '']);
    }
    return rows.map(row => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
    let text = value;
    if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) {
        text = `'${text}`;
    }
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
