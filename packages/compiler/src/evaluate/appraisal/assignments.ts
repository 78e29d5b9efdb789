/**
 * People and their assignments, from an HR export: who holds which role, in which team, from
 * when to when. Personal data stays out of the versioned definitions; it arrives as data, in
 * CSV (`person,role,team,from,to`) or JSON (an array of objects with those keys, or
 * `{ "assignments": [ … ] }`). docs/evaluation.md describes the format and every check.
 *
 * Pure, like the metric data reader: never throws; problems come back with file, row and column.
 */
import { parse as parseCsv, CsvError } from 'csv-parse/browser/esm/sync';
import { closest, type DataProblem, type DataSet } from '../data.js';
import { isoDate, parsePeriod } from '@kra-lang/semantics';

export const ASSIGNMENT_COLUMNS = ['person', 'role', 'team', 'from', 'to'] as const;
type AssignmentColumn = typeof ASSIGNMENT_COLUMNS[number];

export interface Assignment {
    readonly file: string;
    /** CSV: the line (header = 1). JSON: the 1-based index of the object. */
    readonly row: number;
    readonly person: string;
    readonly role: string;
    /** The team (a member of the data's `team` dimension), or null for a role outside teams. */
    readonly team: string | null;
    /** First and last day, as day numbers; `to` null when open-ended. */
    readonly from: number;
    readonly to: number | null;
}

export interface AssignmentFile {
    readonly file: string;
    readonly assignments: readonly Assignment[];
    readonly problems: readonly DataProblem[];
}

export interface AssignmentOptions {
    readonly file: string;
    readonly format?: 'csv' | 'json';
    /** The role ids the model declares: any other is an error. */
    readonly roles: readonly string[];
}

/** Whether a data file is an assignments export: its header (or first object) has a `person` column. */
export function isAssignmentsText(text: string, format: 'csv' | 'json'): boolean {
    if (format === 'json') {
        try {
            const parsed: unknown = JSON.parse(text);
            const rows = Array.isArray(parsed) ? parsed : (parsed as { assignments?: unknown } | null)?.assignments;
            return (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as { assignments?: unknown }).assignments))
                || (Array.isArray(rows) && rows[0] !== null && typeof rows[0] === 'object' && 'person' in (rows[0] as object));
        } catch {
            return false;
        }
    }
    const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/).find(line => line.trim() !== '') ?? '';
    return firstLine.split(',').some(cell => cell.trim().replace(/^"|"$/g, '') === 'person');
}

function problem(file: string, row: number | null, column: number | null, message: string, severity: 'error' | 'warning' = 'error'): DataProblem {
    return { severity, file, row, column, message };
}

/** Reads one assignments export; checks each row on its own (dates, roles). Cross-row checks are in checkAssignments. */
export function parseAssignments(text: string, options: AssignmentOptions): AssignmentFile {
    const { file } = options;
    const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
    const problems: DataProblem[] = [];
    const assignments: Assignment[] = [];
    const roles = new Set(options.roles);
    const records = format === 'json' ? jsonRecords(text, file, problems) : csvRecords(text, file, problems);
    if (!records) {
        return { file, assignments, problems };
    }
    const where = (name: string) => (format === 'csv' ? `column '${name}'` : `key "${name}"`);
    const columnOf = (record: Rec, name: string) => record.columns.get(name) ?? null;
    for (const record of records) {
        const cell = (name: AssignmentColumn) => {
            const value = record.cells.get(name);
            return value === undefined || value === null ? '' : String(value).trim();
        };
        const report = (name: AssignmentColumn | null, message: string, severity: 'error' | 'warning' = 'error') =>
            problems.push(problem(file, record.row, name ? columnOf(record, name) : null, message, severity));
        let ok = true;
        const person = cell('person');
        if (person === '') {
            report('person', `${where('person')} is empty: every assignment names the person`);
            ok = false;
        }
        const role = cell('role');
        if (role === '') {
            report('role', `${where('role')} is empty: every assignment names a role`);
            ok = false;
        } else if (!roles.has(role)) {
            const suggestion = closest(role, [...roles]);
            report('role', `${where('role')}: the workspace declares no role '${role}'${suggestion ? `. Did you mean '${suggestion}'?` : ''}`);
            ok = false;
        }
        const from = date(cell('from'));
        if (from === 'empty') {
            report('from', `${where('from')} is empty: every assignment has a first day (YYYY-MM-DD)`);
            ok = false;
        } else if (from === 'invalid') {
            report('from', `${where('from')}: '${cell('from')}' is not a date; write YYYY-MM-DD`);
            ok = false;
        }
        const to = date(cell('to'));
        if (to === 'invalid') {
            report('to', `${where('to')}: '${cell('to')}' is not a date; write YYYY-MM-DD, or leave it empty for an assignment still running`);
            ok = false;
        }
        if (typeof from === 'number' && typeof to === 'number' && to < from) {
            report('to', `dates out of order: the assignment ends (${isoDate(to)}) before it starts (${isoDate(from)})`);
            ok = false;
        }
        if (ok && typeof from === 'number') {
            assignments.push({ file, row: record.row, person, role, team: cell('team') || null, from, to: typeof to === 'number' ? to : null });
        }
    }
    return { file, assignments, problems };
}

function date(text: string): number | 'empty' | 'invalid' {
    if (text === '') {
        return 'empty';
    }
    const period = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parsePeriod(text) : undefined;
    return period ? period.start : 'invalid';
}

interface Rec {
    readonly row: number;
    readonly cells: ReadonlyMap<string, unknown>;
    readonly columns: ReadonlyMap<string, number>;
}

function checkHeader(names: ReadonlyArray<{ name: string; column: number | null; row: number }>, file: string, format: 'csv' | 'json', problems: DataProblem[]): void {
    const where = (name: string) => (format === 'csv' ? `column '${name}'` : `key "${name}"`);
    for (const { name, column, row } of names) {
        if (name !== '' && !(ASSIGNMENT_COLUMNS as readonly string[]).includes(name)) {
            const suggestion = closest(name, [...ASSIGNMENT_COLUMNS]);
            problems.push(problem(file, row, column, `${where(name)} is ignored: an assignments export has the columns ${ASSIGNMENT_COLUMNS.join(', ')}${suggestion ? `. Did you mean '${suggestion}'?` : ''} `
                + '(leave other personal data out of it)', 'warning'));
        }
    }
}

function csvRecords(text: string, file: string, problems: DataProblem[]): Rec[] | undefined {
    let records: Array<{ record: string[]; info: { lines: number } }>;
    try {
        records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
    } catch (error) {
        if (error instanceof CsvError) {
            problems.push(problem(file, null, null, `not valid CSV: ${error.message.replace(/^[^:]*:\s*/, '')}`));
            return undefined;
        }
        throw error;
    }
    if (records.length === 0) {
        problems.push(problem(file, null, null, `the file is empty: it needs a header row with the columns ${ASSIGNMENT_COLUMNS.join(', ')}`));
        return undefined;
    }
    const header = records[0].record.map(name => name.trim());
    const headerLine = records[0].info.lines;
    checkHeader(header.map((name, index) => ({ name, column: index + 1, row: headerLine })), file, 'csv', problems);
    const missing = ['person', 'role', 'from'].filter(name => !header.includes(name));
    if (missing.length > 0) {
        problems.push(problem(file, headerLine, null, `the header has no ${missing.map(name => `'${name}'`).join(', ')} column${missing.length === 1 ? '' : 's'}; an assignments export has the columns ${ASSIGNMENT_COLUMNS.join(', ')}`));
        return undefined;
    }
    const columns = new Map(header.map((name, index) => [name, index + 1]));
    return records.slice(1).map(({ record, info }) => ({
        row: info.lines - record.reduce((count, field) => count + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
        cells: new Map(header.map((name, index) => [name, record[index] ?? ''])),
        columns
    }));
}

function jsonRecords(text: string, file: string, problems: DataProblem[]): Rec[] | undefined {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        problems.push(problem(file, null, null, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`));
        return undefined;
    }
    const rows = Array.isArray(parsed) ? parsed
        : parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { assignments?: unknown }).assignments) ? (parsed as { assignments: unknown[] }).assignments
            : undefined;
    if (!rows) {
        problems.push(problem(file, null, null, 'expected an array of assignment objects, or an object with an "assignments" array'));
        return undefined;
    }
    const seen = new Set<string>();
    const records: Rec[] = [];
    rows.forEach((value, index) => {
        const row = index + 1;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            problems.push(problem(file, row, null, `row ${row} is not an object`));
            return;
        }
        const entries = Object.entries(value as Record<string, unknown>);
        const unseen = entries.filter(([key]) => !seen.has(key));
        unseen.forEach(([key]) => seen.add(key));
        checkHeader(unseen.map(([name]) => ({ name, column: null, row })), file, 'json', problems);
        const bad = entries.find(([, cell]) => cell !== null && typeof cell === 'object');
        if (bad) {
            problems.push(problem(file, row, null, `key "${bad[0]}": expected text, found ${Array.isArray(bad[1]) ? 'an array' : 'an object'}`));
            return;
        }
        records.push({ row, cells: new Map(entries), columns: new Map() });
    });
    return records;
}

/**
 * Checks across rows and against the metric data: an unknown team, overlapping assignments for
 * one person (errors); a person in the data with no assignment for a period they have data in,
 * and a person whose role is measured per agent with no data at all (warnings: they cannot be
 * scored, but nothing is scored on a guess).
 */
export function checkAssignments(assignments: readonly Assignment[], data: DataSet): DataProblem[] {
    const problems: DataProblem[] = [];
    const at = (assignment: Assignment) => `${assignment.file}${assignment.file.toLowerCase().endsWith('.json') ? ` row ${assignment.row}` : `:${assignment.row}`}`;
    const teams = new Set(data.rows.flatMap(row => (row.members.team === undefined ? [] : [row.members.team])));
    for (const assignment of assignments) {
        if (assignment.team !== null && !teams.has(assignment.team)) {
            const suggestion = closest(assignment.team, [...teams]);
            problems.push(problem(assignment.file, assignment.row, null, `unknown team '${assignment.team}' for ${assignment.person}: `
                + (teams.size === 0 ? 'the data has no team column' : `the data's teams are ${[...teams].sort().join(', ')}`)
                + `${suggestion ? `. Did you mean '${suggestion}'?` : ''}`));
        }
    }
    for (const [person, own] of byPerson(assignments)) {
        const sorted = [...own].sort((a, b) => a.from - b.from);
        for (let index = 1; index < sorted.length; index++) {
            const previous = sorted[index - 1];
            const next = sorted[index];
            if (previous.to === null || next.from <= previous.to) {
                problems.push(problem(next.file, next.row, null, `overlapping assignments for ${person}: this one starts ${isoDate(next.from)}, `
                    + `but the one in ${at(previous)} runs ${previous.to === null ? 'with no end' : `to ${isoDate(previous.to)}`}; end the earlier one the day before the later one starts`));
            }
        }
    }
    const people = byPerson(assignments);
    const agents = new Map<string, DataSet['rows'][number][]>();
    for (const row of data.rows) {
        if (row.members.agent !== undefined) {
            const rows = agents.get(row.members.agent) ?? [];
            rows.push(row);
            agents.set(row.members.agent, rows);
        }
    }
    for (const [agent, rows] of agents) {
        const own = people.get(agent) ?? [];
        const uncovered = rows.find(row => !own.some(assignment => assignment.from <= row.period.end && (assignment.to === null || assignment.to >= row.period.start)));
        if (uncovered) {
            problems.push(problem(uncovered.file, uncovered.row, null, own.length === 0
                ? `agent '${agent}' has no assignment: their data counts in their team's and the organisation's values, but they are not scored; add them to the assignments export`
                : `agent '${agent}' has data for ${uncovered.period.id} but no assignment in it: they are not scored for it`, 'warning'));
        }
    }
    const measuredRoles = agentRoles(assignments, data);
    for (const [person, own] of people) {
        const first = own.find(assignment => measuredRoles.has(assignment.role));
        if (first && !agents.has(person)) {
            problems.push(problem(first.file, first.row, null, `${person} holds the role ${first.role}, whose people are measured per agent, but the data has no rows for agent '${person}': `
                + 'their per-agent KPIs are missing data', 'warning'));
        }
    }
    return problems;
}

/** Roles measured per agent: some person holding the role has rows as an `agent` in the data. */
export function agentRoles(assignments: readonly Assignment[], data: DataSet): Set<string> {
    const agents = new Set(data.rows.flatMap(row => (row.members.agent === undefined ? [] : [row.members.agent])));
    return new Set(assignments.filter(assignment => agents.has(assignment.person)).map(assignment => assignment.role));
}

function byPerson(assignments: readonly Assignment[]): Map<string, Assignment[]> {
    const map = new Map<string, Assignment[]>();
    for (const assignment of assignments) {
        const own = map.get(assignment.person) ?? [];
        own.push(assignment);
        map.set(assignment.person, own);
    }
    return map;
}
