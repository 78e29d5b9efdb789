/**
 * Metric data for evaluation: CSV or JSON text in wide form, one row per period (and member),
 * one column per metric, or in long form (long-format.ts), one row per value. Pure: the caller reads the files and passes their text, so the
 * editor can use this as the CLI does. docs/evaluation.md describes the format.
 */
// In Node the native build: the browser one converts the whole text to a byte array, many times
// slower and larger on a big file (docs/performance.md, "Figures behind design choices").
import { parse as parseCsv, CsvError } from '#csv-parse';
import { isLongHeader, longColumn, unknownLongColumn, wideCells, type LongColumn } from './long-format.js';
import { parsePeriod, periodProblem, PERIOD_GRAIN_NAMES, type Period, type PeriodGrain } from '@kra-lang/semantics';

/**
 * The dimensions a row may be broken down by, finest first: functions such as `avg(x)`
 * aggregate over the members of the finest dimension the data has.
 */
export const DIMENSIONS = ['agent', 'team', 'client', 'channel', 'site', 'region'] as const;
export type Dimension = typeof DIMENSIONS[number];

export interface DataRow {
    readonly file: string;
    /** CSV: the line the row starts on (the header is line 1). JSON: the row's 1-based index. */
    readonly row: number;
    readonly period: Period;
    /** The row's member of each dimension it gives (empty cells are left out). */
    readonly members: Readonly<Partial<Record<Dimension, string>>>;
    /** Metric values in the metric's own unit; a missing (empty) cell is absent. */
    readonly values: ReadonlyMap<string, number>;
    /**
     * Metrics the file has a column (JSON: a key in some row) for whose cell is empty in this
     * row: their values for the row's period and members are missing data.
     */
    readonly missing: ReadonlySet<string>;
}

export interface DataProblem {
    readonly severity: 'error' | 'warning';
    readonly file: string;
    /** CSV: the line (header = 1). JSON: the 1-based index of the row object. Null for the whole file. */
    readonly row: number | null;
    /** CSV: the 1-based field number. Null for JSON (the message names the key) and for whole rows. */
    readonly column: number | null;
    readonly message: string;
    /** How many problems this entry stands for: a file's problems past the first 50 are summed up in one. Absent: 1. */
    readonly count?: number;
}

export interface DataFile {
    readonly file: string;
    readonly grain: PeriodGrain | null;
    readonly rows: readonly DataRow[];
    readonly problems: readonly DataProblem[];
}

export interface DataSet {
    readonly files: readonly string[];
    readonly rows: readonly DataRow[];
    readonly problems: readonly DataProblem[];
}

export interface ParseOptions {
    /** The name used in messages (a path relative to the working folder). */
    readonly file: string;
    /** Defaults from the file name's extension; CSV when it has neither. */
    readonly format?: 'csv' | 'json';
    /** The metric ids the workspace declares: any other column is an error. */
    readonly metrics: readonly string[];
}

/** Problems reported per file before the rest are summarised, so a broken file stays readable. */
const MAX_PROBLEMS_PER_FILE = 50;

/** How much of a cell, column name or member a message quotes: a 30 MB cell is not copied into every message. */
const MAX_QUOTED = 80;

/** Text from a data file as a message quotes it: at most MAX_QUOTED characters, the rest elided with '…'. */
export function quoted(text: string): string {
    return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
}

/** How many problems the entries stand for, of one severity (a summary entry stands for many). */
export function countProblems(problems: readonly DataProblem[], severity: DataProblem['severity']): number {
    return problems.reduce((total, entry) => total + (entry.severity === severity ? entry.count ?? 1 : 0), 0);
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function dataFormat(file: string): 'csv' | 'json' | undefined {
    const lower = file.toLowerCase();
    return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.json') ? 'json' : undefined;
}

/** Parses one file's text. Never throws: problems come back with file, row and column. */
export function parseDataFile(text: string, options: ParseOptions): DataFile {
    const format = options.format ?? dataFormat(options.file) ?? 'csv';
    const builder = new FileBuilder(options.file, new Set(options.metrics));
    if (format === 'json') {
        builder.json(text);
    } else {
        builder.csv(text);
    }
    return builder.result();
}

/**
 * Merges parsed files. A metric given twice for one period and member, or given both in total
 * and broken down (which would count it twice), is an error naming both places.
 */
export function mergeData(files: readonly DataFile[]): DataSet {
    const problems: DataProblem[] = files.flatMap(file => file.problems);
    const rows = files.flatMap(file => file.rows);
    const seen = new Map<string, DataRow>();
    const breakdowns = new Map<string, { signature: string; row: DataRow }>();
    for (const row of rows) {
        const signature = DIMENSIONS.filter(dimension => row.members[dimension] !== undefined).join('+');
        const members = DIMENSIONS.filter(dimension => row.members[dimension] !== undefined).map(dimension => `${dimension} ${row.members[dimension]}`).join(', ');
        for (const metric of row.values.keys()) {
            const key = `${metric}\u0000${row.period.id}\u0000${members}`;
            const earlier = seen.get(key);
            if (earlier) {
                problems.push(problem(row.file, row.row, null, `${metric} for ${row.period.id}${members ? ` (${quoted(members)})` : ''} is given twice: here and in ${rowLocation(earlier)}`));
                continue;
            }
            seen.set(key, row);
            const breakdownKey = `${metric}\u0000${row.period.id}`;
            const first = breakdowns.get(breakdownKey);
            if (!first) {
                breakdowns.set(breakdownKey, { signature, row });
            } else if (first.signature !== signature) {
                problems.push(problem(row.file, row.row, null,
                    `${metric} for ${row.period.id} is given ${describeBreakdown(signature)} here but ${describeBreakdown(first.signature)} in ${rowLocation(first.row)}; `
                    + 'give one breakdown per metric and period, or totals would count it twice'));
            }
        }
    }
    return { files: files.map(file => file.file), rows, problems };
}

/** `file:row:column  severity  message`, the format of `kra check`. */
export function formatDataProblem(problem: DataProblem): string {
    const location = [problem.file, problem.row, problem.column].filter(part => part !== null).join(':');
    return `${location}  ${problem.severity}  ${problem.message}`;
}

function describeBreakdown(signature: string): string {
    return signature === '' ? 'in total' : `by ${signature.replace(/\+/g, ' and ')}`;
}

/** Where a row is: `file:line` for CSV, `file row n` for JSON. */
export function rowLocation(row: Pick<DataRow, 'file' | 'row'>): string {
    return `${row.file}${row.file.toLowerCase().endsWith('.json') ? ` row ${row.row}` : `:${row.row}`}`;
}

function problem(file: string, row: number | null, column: number | null, message: string, severity: 'error' | 'warning' = 'error'): DataProblem {
    return { severity, file, row, column, message };
}

type ColumnRole = { kind: 'period' } | { kind: 'dimension'; dimension: Dimension } | { kind: 'metric'; metric: string } | { kind: 'ignored' };

class FileBuilder {
    private readonly rows: Array<Omit<DataRow, 'missing'>> = [];
    /** The metrics the file has a column (JSON: a key) for. */
    private readonly metricColumns = new Set<string>();
    private readonly problems: DataProblem[] = [];
    private grain: { grain: PeriodGrain; row: number } | null = null;
    private readonly dropped = { error: 0, warning: 0 };

    constructor(private readonly file: string, private readonly metrics: ReadonlySet<string>) { }

    result(): DataFile {
        const problems = [...this.problems];
        for (const severity of ['error', 'warning'] as const) {
            const count = this.dropped[severity];
            if (count > 0) {
                problems.push({ ...problem(this.file, null, null, `${count} more ${severity}${count === 1 ? '' : 's'} in this file not shown`, severity), count });
            }
        }
        const rows = this.rows.map(row => ({ ...row, missing: new Set([...this.metricColumns].filter(metric => !row.values.has(metric))) }));
        return { file: this.file, grain: this.grain?.grain ?? null, rows, problems };
    }

    /** Records a problem; past the first 50 of a file, only counts it (a message given as a function is then never written). */
    private report(row: number | null, column: number | null, message: string | (() => string), severity: 'error' | 'warning' = 'error'): void {
        if (this.problems.length >= MAX_PROBLEMS_PER_FILE) {
            this.dropped[severity]++;
            return;
        }
        this.problems.push(problem(this.file, row, column, typeof message === 'string' ? message : message(), severity));
    }

    csv(text: string): void {
        let records: Array<{ record: string[]; info: { lines: number } }>;
        try {
            records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
        } catch (error) {
            if (error instanceof CsvError) {
                const details = error as CsvError & { lines?: number; column?: number };
                const line = typeof details.lines === 'number' && details.lines > 0 ? details.lines : null;
                this.report(line, null, `not valid CSV: ${error.message.replace(/^[^:]*:\s*/, '')}`);
                return;
            }
            throw error;
        }
        if (records.length === 0) {
            this.report(null, null, 'the file is empty: it needs a header row with a period column and metric columns');
            return;
        }
        // The line a record starts on: where it ends, less the line breaks inside quoted fields.
        const lineOf = (entry: { record: string[]; info: { lines: number } }) =>
            entry.info.lines - entry.record.reduce((count, field) => count + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
        const header = records[0];
        const headerLine = lineOf(header);
        const names = header.record.map(name => name.trim());
        const long = isLongHeader(names, this.metrics);
        const headerCells = names.map((name, index) => ({ name, column: index + 1, row: headerLine }));
        const roles = long ? undefined : this.columns(headerCells, 'csv');
        if (long ? !this.longColumns(headerCells) : !roles) {
            return;
        }
        for (const entry of records.slice(1)) {
            const line = lineOf(entry);
            if (entry.record.length !== header.record.length) {
                // A trailing empty field (a trailing comma) is tolerated; anything else is an error.
                const extra = entry.record.slice(header.record.length);
                if (entry.record.length < header.record.length || extra.some(field => field.trim() !== '')) {
                    this.report(line, null, `this row has ${entry.record.length} field${entry.record.length === 1 ? '' : 's'}, the header has ${header.record.length}`);
                    continue;
                }
            }
            if (long) {
                const cells = wideCells(names.map((name, index) => ({ name, column: index + 1, cell: entry.record[index] ?? '' })), this.metrics, line, 'csv', this.report.bind(this));
                if (cells) {
                    this.row(line, cells, 'csv');
                }
                continue;
            }
            this.row(line, roles!.map((role, index) => ({ role, column: index + 1, name: names[index], cell: entry.record[index] ?? '' })), 'csv');
        }
    }

    json(text: string): void {
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch (error) {
            this.report(null, null, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
            return;
        }
        const rows = Array.isArray(parsed) ? parsed
            : parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { rows?: unknown }).rows) ? (parsed as { rows: unknown[] }).rows
                : undefined;
        if (!rows) {
            this.report(null, null, 'expected an array of row objects, or an object with a "rows" array');
            return;
        }
        const known = new Map<string, ColumnRole | undefined>();
        const first = rows.find(value => value !== null && typeof value === 'object' && !Array.isArray(value)) as Record<string, unknown> | undefined;
        const long = first !== undefined && isLongHeader(Object.keys(first), this.metrics);
        rows.forEach((value, index) => {
            const row = index + 1;
            if (value === null || typeof value !== 'object' || Array.isArray(value)) {
                this.report(row, null, `row ${row} is not an object`);
                return;
            }
            const entries = Object.entries(value as Record<string, unknown>);
            if (long) {
                this.longJsonRow(row, entries, known);
                return;
            }
            const unseen = entries.filter(([key]) => !known.has(key)).map(([key]) => ({ name: key, column: null, row }));
            if (unseen.length > 0) {
                const roles = this.columnRoles(unseen, 'json');
                unseen.forEach((column, i) => known.set(column.name, roles[i]));
            }
            if (!entries.some(([key]) => key === 'period')) {
                this.report(row, null, 'this row has no "period"');
                return;
            }
            const cells = entries.flatMap(([key, cell]) => {
                const role = known.get(key);
                return role ? [{ role, column: null as number | null, name: key, cell }] : [];
            });
            this.row(row, cells, 'json');
        });
    }

    /** Long form: checks the header's columns (no period, or a column with no place, is an error); undefined when the file cannot be read on. */
    private longColumns(header: Array<{ name: string; column: number; row: number }>): LongColumn[] | undefined {
        const columns = header.map(({ name, column, row }) => {
            const kind = longColumn(name);
            if (kind.kind === 'other' && name !== '') {
                this.report(row, column, () => unknownLongColumn(`column '${quoted(name)}'`));
            }
            if (header.some(other => other.name === name && other.column < column) && name !== '') {
                this.report(row, column, () => `column '${quoted(name)}' appears twice in the header`);
            }
            return kind;
        });
        if (!columns.some(column => column.kind === 'period')) {
            this.report(header[0]?.row ?? 1, null, "the header has no 'period' column");
            return undefined;
        }
        return columns;
    }

    private longJsonRow(row: number, entries: Array<[string, unknown]>, known: Map<string, ColumnRole | undefined>): void {
        for (const [key] of entries) {
            if (!known.has(key)) {
                known.set(key, undefined);
                if (longColumn(key).kind === 'other') {
                    this.report(row, null, () => unknownLongColumn(`key "${quoted(key)}"`));
                }
            }
        }
        if (!entries.some(([key]) => key === 'period')) {
            this.report(row, null, 'this row has no "period"');
            return;
        }
        const cells = wideCells(entries.map(([name, cell]) => ({ name, column: null, cell })), this.metrics, row, 'json', this.report.bind(this));
        if (cells) {
            this.row(row, cells, 'json');
        }
    }

    /** Roles of the header's columns; undefined when the file cannot be read on (no period column). */
    private columns(header: Array<{ name: string; column: number; row: number }>, format: 'csv'): ColumnRole[] | undefined {
        const roles = this.columnRoles(header, format);
        if (!roles.some(role => role.kind === 'period')) {
            this.report(header[0]?.row ?? 1, null, "the header has no 'period' column");
            return undefined;
        }
        return roles;
    }

    private columnRoles(columns: Array<{ name: string; column: number | null; row: number }>, format: 'csv' | 'json'): ColumnRole[] {
        const seen = new Set<string>();
        return columns.map(({ name, column, row }): ColumnRole => {
            const where = format === 'csv' ? `column '${quoted(name)}'` : `key "${quoted(name)}"`;
            if (seen.has(name) && name !== '') {
                this.report(row, column, `${where} appears twice in the header`);
                return { kind: 'ignored' };
            }
            seen.add(name);
            if (name === 'period') {
                return { kind: 'period' };
            }
            if ((DIMENSIONS as readonly string[]).includes(name)) {
                return { kind: 'dimension', dimension: name as Dimension };
            }
            if (this.metrics.has(name)) {
                this.metricColumns.add(name);
                return { kind: 'metric', metric: name };
            }
            if (name === '') {
                // A header cell left empty (often a trailing comma): only allowed for an empty column.
                return { kind: 'ignored' };
            }
            this.report(row, column, () => {
                const suggestion = closest(name, [...this.metrics, 'period', ...DIMENSIONS]);
                return `unknown metric ${where}: the workspace declares no metric '${quoted(name)}'${suggestion ? `. Did you mean '${suggestion}'?` : ''} `
                    + `(columns are 'period', the dimensions ${DIMENSIONS.join(', ')}, and metric ids)`;
            });
            return { kind: 'ignored' };
        });
    }

    private row(row: number, cells: Array<{ role: ColumnRole; column: number | null; name: string; cell: unknown }>, format: 'csv' | 'json'): void {
        const where = (name: string) => (format === 'csv' ? `column '${quoted(name)}'` : `key "${quoted(name)}"`);
        let period: Period | undefined;
        const members: Partial<Record<Dimension, string>> = {};
        const values = new Map<string, number>();
        let ok = true;
        // Values under unknown columns are already reported with the header.
        let unread = false;
        for (const { role, column, name, cell } of cells) {
            if (role.kind === 'ignored') {
                if (cellText(cell).trim() !== '') {
                    unread = true;
                    if (name === '') {
                        this.report(row, column, () => `a value under a column with no header: '${quoted(cellText(cell).trim())}'`);
                        ok = false;
                    }
                }
                continue;
            }
            if (role.kind === 'period') {
                const text = cellText(cell).trim();
                period = text === '' ? undefined : parsePeriod(text);
                if (!period) {
                    this.report(row, column, text === ''
                        ? `${where(name)} is empty: every row needs a period`
                        : `${where(name)}: '${quoted(text)}' is not a period kra understands; ${periodProblem(text)}`);
                    ok = false;
                }
                continue;
            }
            if (role.kind === 'dimension') {
                const text = cellText(cell).trim();
                if (text !== '') {
                    if (cell !== null && typeof cell === 'object') {
                        this.report(row, column, `${where(name)}: a member must be a name, not ${Array.isArray(cell) ? 'an array' : 'an object'}`);
                        ok = false;
                    } else {
                        members[role.dimension] = text;
                    }
                }
                continue;
            }
            const value = this.number(cell, row, column, where(name));
            if (value === 'invalid') {
                ok = false;
            } else if (value !== undefined) {
                values.set(role.metric, value);
            }
        }
        if (!ok || !period) {
            return;
        }
        if (this.grain === null) {
            this.grain = { grain: period.grain, row };
        } else if (this.grain.grain !== period.grain) {
            const periodColumn = cells.find(cell => cell.role.kind === 'period')?.column ?? null;
            this.report(row, periodColumn, `'${period.id}' is a ${PERIOD_GRAIN_NAMES[period.grain]}, but this file's periods are ${PERIOD_GRAIN_NAMES[this.grain.grain]}s `
                + `(from ${format === 'csv' ? 'line' : 'row'} ${this.grain.row}); one file holds one grain: put other grains in another file`);
            return;
        }
        if (values.size === 0 && !unread) {
            this.report(row, null, `no metric values for ${period.id}: every metric of the file is missing data for this row's period${Object.keys(members).length > 0 ? ' and members' : ''}`, 'warning');
        }
        this.rows.push({ file: this.file, row, period, members, values });
    }

    /** A cell's number; undefined for an empty cell; 'invalid' after reporting why. */
    private number(cell: unknown, row: number, column: number | null, where: string): number | undefined | 'invalid' {
        if (cell === null || cell === undefined) {
            return undefined;
        }
        if (typeof cell === 'number') {
            // JSON.parse turns 1e999 into Infinity.
            if (!Number.isFinite(cell)) {
                this.report(row, column, `${where}: the number is out of range`);
                return 'invalid';
            }
            return cell;
        }
        if (typeof cell !== 'string') {
            this.report(row, column, `${where}: expected a number, found ${Array.isArray(cell) ? 'an array' : typeof cell === 'object' ? 'an object' : typeof cell}`);
            return 'invalid';
        }
        // A leading tab or CR is how a formula hides from a check that trims first (CSV injection):
        // refused before trimming, as docs/security.md promises.
        if (/^[\t\r]/.test(cell) && cell.trim() !== '') {
            this.report(row, column, () => `${where}: ${describeBadCell(cell)}`);
            return 'invalid';
        }
        const text = cell.trim();
        if (text === '') {
            return undefined;
        }
        if (NUMBER.test(text)) {
            const value = Number(text);
            if (!Number.isFinite(value)) {
                this.report(row, column, `${where}: '${quoted(text)}' is out of range`);
                return 'invalid';
            }
            return value;
        }
        this.report(row, column, () => `${where}: ${describeBadCell(text)}`);
        return 'invalid';
    }
}

function cellText(cell: unknown): string {
    return cell === null || cell === undefined ? '' : typeof cell === 'string' ? cell : typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

function describeBadCell(text: string): string {
    // Control characters are shown by name: a tab or CR in a message would hide where the cell starts.
    const visible = text.replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    const shown = visible.length > 40 ? `${visible.slice(0, 37)}...` : visible;
    if (/^[=+\-@]/.test(text) || /^[\t\r]/.test(text)) {
        return `'${shown}' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas`;
    }
    if (/^(nan|[-+]?inf(inity)?)$/i.test(text)) {
        return `'${shown}' is not a finite number; leave the cell empty for missing data`;
    }
    if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
        return `'${shown}' has thousands separators; write ${quoted(text.replace(/,/g, ''))}`;
    }
    if (/^[-+]?\d+,\d+$/.test(text)) {
        return `'${shown}' has a decimal comma; write ${quoted(text.replace(',', '.'))}`;
    }
    if (/^[-+]?(\d+(\.\d*)?|\.\d+)\s*%$/.test(text)) {
        return `'${shown}' has a percent sign; write the value in the metric's unit, without units`;
    }
    if (/^[-+]?(\d+(\.\d*)?|\.\d+)\s*\S+$/.test(text)) {
        return `'${shown}' has a unit or other text after the number; write plain numbers in the metric's unit`;
    }
    return `'${shown}' is not a number`;
}

/** The candidate nearest to `name` by edit distance, when near enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    const limit = Math.max(2, Math.floor(name.length / 3));
    for (const candidate of candidates) {
        // Names that differ in length by more than the limit are too far apart: the distance is at least the difference.
        if (Math.abs(name.length - candidate.length) > limit) {
            continue;
        }
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best !== undefined && bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
