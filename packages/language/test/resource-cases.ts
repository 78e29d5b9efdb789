/**
 * Resource-driven test cases: `.kra` files whose expected diagnostics are written in comments.
 *
 *   // expect: structure/duplicate-id "KPI 'aht'"        on a line of its own: the next code line
 *   metric calls // expect-error: structure/duplicate-id  trailing: this line
 *
 * `expect-error`, `expect-warning`, `expect-info` and `expect-hint` also check the severity.
 * Each quoted text after the rule id must occur in the message; `!"text"` must not.
 * A case is a `.kra` file (a one-file workspace) or a folder (every `.kra` file below it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';

export interface Expectation {
    readonly file: string;
    /** 1-based. */
    readonly line: number;
    readonly rule: string;
    readonly severity?: number;
    readonly contains: readonly string[];
    readonly excludes: readonly string[];
}

export interface ResourceCase {
    readonly name: string;
    readonly files: Record<string, string>;
    readonly expectations: readonly Expectation[];
}

const SEVERITIES: Record<string, number> = { error: 1, warning: 2, info: 3, hint: 4 };
const EXPECT = /\/\/\s*expect(?:-(error|warning|info|hint))?:\s*([\w/-]+)(.*)$/;
const QUOTED = /(!?)"([^"]*)"/g;

export function loadCases(folder: string): ResourceCase[] {
    return readdirSync(folder).sort().map((entry): ResourceCase | undefined => {
        const path = join(folder, entry);
        if (statSync(path).isDirectory()) {
            const files: Record<string, string> = {};
            for (const file of listKraFiles(path)) {
                files[relative(path, file).split(sep).join('/')] = readFileSync(file, 'utf8');
            }
            return { name: entry, files, expectations: Object.entries(files).flatMap(([file, text]) => parseExpectations(file, text)) };
        }
        if (!entry.endsWith('.kra')) {
            return undefined;
        }
        const text = readFileSync(path, 'utf8');
        return { name: entry.replace(/\.kra$/, ''), files: { [entry]: text }, expectations: parseExpectations(entry, text) };
    }).filter((c): c is ResourceCase => c !== undefined);
}

function listKraFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const path = join(folder, entry);
        return statSync(path).isDirectory() ? listKraFiles(path) : entry.endsWith('.kra') ? [path] : [];
    });
}

export function parseExpectations(file: string, text: string): Expectation[] {
    const lines = text.split(/\r?\n/);
    const expectations: Expectation[] = [];
    let pending: Array<Omit<Expectation, 'line'>> = [];
    lines.forEach((line, index) => {
        const match = EXPECT.exec(line);
        const standalone = match !== null && line.trimStart().startsWith('//');
        if (match) {
            const [, severity, rule, rest] = match;
            const contains: string[] = [];
            const excludes: string[] = [];
            for (const quoted of rest.matchAll(QUOTED)) {
                (quoted[1] ? excludes : contains).push(quoted[2]);
            }
            const expectation = { file, rule, severity: severity ? SEVERITIES[severity] : undefined, contains, excludes };
            if (standalone) {
                pending.push(expectation);
                return;
            }
            expectations.push({ ...expectation, line: index + 1 });
        }
        if (pending.length > 0 && line.trim() !== '' && !line.trimStart().startsWith('//')) {
            expectations.push(...pending.map(e => ({ ...e, line: index + 1 })));
            pending = [];
        }
    });
    if (pending.length > 0) {
        throw new Error(`${file}: '// expect' comments at the end of the file have no line to apply to`);
    }
    return expectations;
}

export function key(file: string, line: number, rule: string): string {
    return `${file}:${line} ${rule}`;
}

export function messageOf(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
