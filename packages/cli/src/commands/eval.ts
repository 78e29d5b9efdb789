import { colours as pc } from '../report/colours.js';
import { printableDeep } from '../report/printable.js';
import type { KraModel, Unit } from '@kra-lang/compiler';
import { focusPeriod, noResultReason, type EvaluationResult, type Grain, type KpiResult, type RagStatus } from '@kra-lang/compiler/evaluate';
import { parsePeriodList } from '@kra-lang/semantics';
import { formatFixed, formatPercent, formatQuantity, targetText, unitTable } from '@kra-lang/scorecard/format';
import { appraisalSections, sectionMarkdown, sectionTable } from './eval-appraisal.js';
import { padEnd, padStart, width } from '../report/width.js';
import { evaluateWorkspace } from './evaluation.js';
import type { DefinitionMode } from './definitions-history.js';
import type { Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export type EvalFormat = 'table' | 'json' | 'csv' | 'markdown';

export interface EvalOptions {
    readonly data?: string | readonly string[];
    /** Where sources with a `table` are aggregated: DuckDB reads files given with --data. */
    readonly engine?: 'duckdb' | 'postgres';
    readonly databaseUrlEnv?: string;
    readonly format: EvalFormat;
    readonly period?: string;
    readonly definitions?: DefinitionMode;
    readonly allowErrors: boolean;
}

/**
 * `kra eval`: 0 when the evaluation ran (whatever the KPIs' status), 1 when the workspace has
 * errors, 2 on bad data, a bad path or bad usage.
 */
export async function runEval(workspacePath: string, options: EvalOptions, output: Output): Promise<number> {
    const periods = options.period === undefined ? undefined : parsePeriodList(options.period);
    if (periods && 'problem' in periods) {
        output.err(`kra eval: --period ${periods.problem.startsWith(`'${options.period}'`) ? periods.problem : `'${options.period}': ${periods.problem}`}.\n`);
        return ExitCode.failure;
    }
    const evaluation = await evaluateWorkspace('eval', workspacePath, {
        data: options.data, engine: options.engine, databaseUrlEnv: options.databaseUrlEnv,
        periods: periods?.periods.map(period => period.id), definitions: options.definitions, allowErrors: options.allowErrors
    }, output);
    if (typeof evaluation === 'number') {
        return evaluation;
    }
    const { model, result, files } = evaluation;
    switch (options.format) {
        // Written in chunks: a million KPI results are more text than one string can hold.
        case 'json':
            writeChunked(jsonChunks(result), output);
            break;
        case 'csv':
            writeChunked(csvLines(result), output);
            break;
        case 'markdown':
            output.out(new Scorecard(model, result, files.length).markdown());
            break;
        case 'table':
            // Coloured: the values are made printable before, not after (report/printable.ts).
            output.out(new Scorecard(printableDeep(model), printableDeep(result), files.length).table());
            break;
    }
    return ExitCode.clean;
}

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

// Looked up when printing: the colour functions follow the run (report/colours.ts).
const STATUS_COLOURS: Record<RagStatus, (text: string) => string> = { green: text => pc.green(text), amber: text => pc.yellow(text), red: text => pc.red(text) };

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
    private readonly grain: Grain | undefined;
    private readonly kpiTitles: Map<string, string>;
    private readonly kraTitles: Map<string, string>;
    private readonly units: ReadonlyMap<string, Unit>;

    constructor(private readonly model: KraModel, private readonly result: EvaluationResult, private readonly fileCount: number) {
        this.units = unitTable(model);
        const focus = focusPeriod(result.periods);
        this.period = focus?.id ?? '';
        this.grain = focus?.grain;
        this.kpiTitles = new Map(model.kpis.map(kpi => [kpi.id, kpi.title ?? kpi.id]));
        this.kraTitles = new Map(model.kras.map(kra => [kra.id, kra.title ?? kra.id]));
    }

    private kpi(id: string, dimension: string | null = null, member: string | null = null): KpiResult | undefined {
        return this.result.kpis.find(result => result.kpi === id && result.variant === null && result.period === this.period
            && result.dimension === dimension && result.member === member);
    }

    /** The roles scored for the period shown (none for a period with no definitions in force). */
    private roles() {
        return this.model.roles.flatMap(role => {
            const score = this.result.roles.find(candidate => candidate.role === role.id && candidate.period === this.period);
            return score ? [{
                role,
                score,
                kras: role.kras.flatMap(use => {
                    const kraScore = this.result.kras.find(candidate => candidate.kra === use.kra && candidate.period === this.period);
                    return kraScore ? [{ use, score: kraScore }] : [];
                })
            }] : [];
        });
    }

    private roleRows(entry: ReturnType<Scorecard['roles']>[number]): Row[] {
        const rows: Row[] = [];
        for (const { use, score } of entry.kras) {
            rows.push({
                cells: [this.kraTitles.get(use.kra) ?? use.kra, `${formatFixed(use.effectiveWeight, 0)}%`, '', '', formatPercent(score.score), ''],
                style: pc.bold,
                note: score.score === null ? score.reason : null
            });
            for (const kpiScore of score.kpis) {
                const result = this.kpi(kpiScore.kpi);
                rows.push({
                    cells: [
                        `  ${this.kpiTitles.get(kpiScore.kpi) ?? kpiScore.kpi}`,
                        `${formatFixed(kpiScore.weight, 0)}%`,
                        result ? formatQuantity(result.value, result.unit, this.units) : '—',
                        result ? targetText(result, this.units) : '—',
                        formatPercent(result?.achievement ?? null),
                        result?.status ?? '—'
                    ],
                    status: result?.status ?? null,
                    note: result ? result.reason ?? result.achievementReason ?? result.statusReason : noResultReason(this.model.kpis.find(kpi => kpi.id === kpiScore.kpi)?.frequency, this.grain)
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
                cells: [`  ${kpi.title ?? kpi.id}`, '', formatQuantity(result.value, result.unit, this.units), targetText(result, this.units), formatPercent(result.achievement), result.status ?? '—'],
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
        // Said only when they are not simply the files as they are (--definitions history).
        const definitions = periods.find(period => period.id === this.period)?.definitions;
        if (definitions?.from === 'commit') {
            lines.push(`Definitions in force for ${this.period}: as committed in ${definitions.commit!.slice(0, 7)} on ${definitions.committed!.slice(0, 10)}.`);
        } else if (definitions?.from === 'none') {
            lines.push(`Definitions in force for ${this.period}: none (the period closed before the workspace's first commit).`);
        }
        return lines;
    }

    private ratingText(score: EvaluationResult['roles'][number]): string {
        return score.rating ? `rating ${score.rating.value} ${score.rating.label}` : `no rating (${score.ratingReason})`;
    }

    /** Per dimension: each KPI's value in total and per member, so the ratio of sums is visible. */
    private breakdowns(): Array<{ dimension: string; members: string[]; rows: Array<{ kpi: string; cells: Array<KpiResult | undefined> }> }> {
        // With people scored, their section shows the per-agent values.
        const people = this.result.people.length > 0;
        return this.result.dimensions.filter(({ dimension }) => !(people && dimension === 'agent')).map(({ dimension, members }) => ({
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
            lines.push(`${pc.bold(entry.role.title ?? entry.role.id)} ${pc.dim(`(${entry.role.id})`)}  score ${pc.bold(formatPercent(score.score))}  ${this.ratingText(score)}`);
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
        for (const section of appraisalSections(this.result, this.period)) {
            lines.push(...sectionTable(section));
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
        return result.value === null ? '—' : `${formatQuantity(result.value, result.unit, this.units)} ${result.status ?? '—'}`;
    }

    markdown(): string {
        const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
        const [title, subtitle] = this.header();
        const lines = [`# ${escape(title)}`, '', escape(subtitle), ''];
        for (const entry of this.roles()) {
            const score = entry.score;
            lines.push(`## ${escape(entry.role.title ?? entry.role.id)} (\`${entry.role.id}\`)`, '');
            lines.push(`Score **${formatPercent(score.score)}**, ${escape(this.ratingText(score))}.`, '');
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
        for (const section of appraisalSections(this.result, this.period)) {
            lines.push(...sectionMarkdown(section));
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

const CSV_COLUMNS = ['record', 'period', 'role', 'kra', 'kpi', 'variant', 'dimension', 'member', 'value', 'unit', 'target', 'achievement', 'status', 'score', 'rating', 'reason',
    'person', 'team', 'department', 'objective', 'change_previous', 'change_last_year', 'red_streak'];

/** How much text is written at once: a few lines' worth of chunks, never the whole output as one string. */
const CHUNK = 1 << 20;

function writeChunked(chunks: Iterable<string>, output: Output): void {
    let pending: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
        pending.push(chunk);
        size += chunk.length;
        if (size >= CHUNK) {
            output.out(pending.join(''));
            pending = [];
            size = 0;
        }
    }
    if (pending.length > 0) {
        output.out(pending.join(''));
    }
}

/**
 * The result as `JSON.stringify(result, null, 2)` writes it, byte for byte, but in pieces: the
 * top-level lists (KPI results, trends…) an element at a time.
 */
export function* jsonChunks(result: EvaluationResult): Generator<string> {
    const nested = (value: unknown, indent: string) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
    const entries = Object.entries(result).filter(([, value]) => value !== undefined && typeof value !== 'function');
    yield '{\n';
    for (const [index, [key, value]] of entries.entries()) {
        yield `  ${JSON.stringify(key)}: `;
        if (Array.isArray(value) && value.length > 0) {
            yield '[\n';
            for (let i = 0; i < value.length; i++) {
                yield `    ${value[i] === undefined ? 'null' : nested(value[i], '    ')}${i < value.length - 1 ? ',' : ''}\n`;
            }
            yield '  ]';
        } else {
            yield nested(value, '  ');
        }
        yield index < entries.length - 1 ? ',\n' : '\n';
    }
    yield '}\n';
}

/**
 * One table with a `record` column: `kpi` rows (every KPI per period and member), then `kra`
 * and `role` rows with scores. Text that a spreadsheet would run as a formula gets a leading `'`.
 * Yields a line at a time.
 */
function* csvLines(result: EvaluationResult): Generator<string> {
    const number = (value: number | null) => (value === null ? '' : String(value));
    const rows: string[][] = [CSV_COLUMNS];
    for (const kpi of result.kpis) {
        rows.push(['kpi', kpi.period, '', '', kpi.kpi, kpi.variant ?? '', kpi.dimension ?? '', kpi.member ?? '', number(kpi.value), kpi.unit ?? '',
            kpi.target ? `${kpi.target.client ? `for ${kpi.target.client}: ` : ''}${kpi.target.text}${kpi.target.timing ? ` ${kpi.target.timing}` : ''}` : '',
            number(kpi.achievement), kpi.status ?? '', '', '', kpi.reason ?? kpi.achievementReason ?? kpi.statusReason ?? '', '', '', '', '']);
    }
    for (const kra of result.kras) {
        rows.push(['kra', kra.period, '', kra.kra, '', '', '', '', '', '', '', '', '', number(kra.score), '', kra.reason ?? '', '', '', '', '']);
    }
    for (const role of result.roles) {
        rows.push(['role', role.period, role.role, '', '', '', '', '', '', '', '', '', '', number(role.score),
            role.rating ? `${role.rating.value} ${role.rating.label}` : '', role.reason ?? role.ratingReason ?? '', '', '', '', '']);
    }
    for (const person of result.people) {
        rows.push(['person', person.period, person.role, '', '', '', '', '', '', '', '', '', '', number(person.score),
            person.rating ? `${person.rating.value} ${person.rating.label}` : '', person.reason ?? person.ratingReason ?? '', person.person, person.team ?? '', person.department ?? '', '']);
    }
    for (const entry of result.rollups) {
        rows.push([entry.kind, entry.period, '', '', '', '', '', '', '', '', '', '', '', number(entry.score), '', entry.reason ?? '', '', '',
            entry.kind === 'department' ? entry.id ?? '' : '', entry.kind === 'objective' ? entry.id ?? '' : '']);
    }
    // Trends go on the row they are about, in the last three columns.
    const trendOf = new Map(result.trends.map(trend => [`${trend.subject}\u0000${trend.period}\u0000${trend.id}\u0000${trend.member ?? ''}`, trend]));
    const keyOf = (row: string[]): string => {
        switch (row[0]) {
            case 'kpi': return row[5] ? '' : `kpi\u0000${row[1]}\u0000${row[4]}\u0000${row[6] ? `${row[6]} ${row[7]}` : ''}`;
            case 'kra': return `kra\u0000${row[1]}\u0000${row[3]}\u0000`;
            case 'role': return `role\u0000${row[1]}\u0000${row[2]}\u0000`;
            case 'person': return `person\u0000${row[1]}\u0000${row[16]}\u0000${row[2]}`;
            case 'department': return `department\u0000${row[1]}\u0000${row[18]}\u0000`;
            case 'objective': return `objective\u0000${row[1]}\u0000${row[19]}\u0000`;
            case 'organisation': return `organisation\u0000${row[1]}\u0000${result.organisation ?? ''}\u0000`;
            default: return '';
        }
    };
    yield `${rows[0].map(csvField).join(',')}\r\n`;
    for (const row of rows.slice(1)) {
        const trend = trendOf.get(keyOf(row));
        row.push(number(trend?.previous.change ?? null), number(trend?.lastYear.change ?? null), trend?.redStreak === null || trend === undefined ? '' : String(trend.redStreak));
        yield `${row.map(csvField).join(',')}\r\n`;
    }
}

function csvField(value: string): string {
    let text = value;
    if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) {
        text = `'${text}`;
    }
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
