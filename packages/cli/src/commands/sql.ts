import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { compileWorkspace, type DataSource } from '@kra-lang/compiler';
import { DIALECT, duckdbReader, rawFormat, workspaceSql, type DialectName } from '@kra-lang/compiler/sql';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { loadOrReport, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface SqlOptions {
    readonly dialect: DialectName;
    readonly out?: string;
    readonly allowErrors: boolean;
}

/**
 * `kra sql`: the SQL that computes the workspace's metrics from its sources and its KPIs from
 * the metrics, for one dialect. 0 written, 1 workspace errors, 2 bad usage or an unwritable file.
 */
export async function runSql(workspacePath: string, options: SqlOptions, output: Output): Promise<number> {
    const target = await loadOrReport(() => resolveTarget(workspacePath), output, 'sql');
    if (typeof target === 'number') {
        return target;
    }
    if (target.requested !== target.root) {
        output.err(`kra sql: ${workspacePath} is a file; give the workspace folder.\n`);
        return ExitCode.failure;
    }
    const workspace = await loadOrReport(() => loadWorkspace([target]), output, 'sql');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const errors = collectFindings(workspace.documents, process.cwd()).filter(finding => finding.severity === 'error');
    if (errors.length > 0 && !options.allowErrors) {
        output.err(formatStylish(errors, workspace.documents.length));
        output.err(`kra sql: the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written. Fix them, or pass --allow-errors.\n`);
        return ExitCode.errors;
    }
    const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });
    const dialect = DIALECT[options.dialect];
    // DuckDB reads a file source itself (paths relative to the workspace root: run it there);
    // the other engines read a table named after the source, loaded from the file.
    const fileRelation = options.dialect === 'duckdb'
        ? (source: DataSource) => duckdbReader(rawFormat(source.file!) ?? 'csv', [source.file!], dialect)
        : undefined;
    const { sql, omitted } = workspaceSql(model, dialect, { fileRelation });
    for (const entry of omitted) {
        output.err(`note: KPI ${entry.kpi}${entry.variant ? `, variant ${entry.variant}` : ''} is not computed in SQL: ${entry.reason}\n`);
    }
    if (options.out === undefined) {
        output.out(sql);
        return ExitCode.clean;
    }
    const file = path.resolve(options.out);
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
        await fs.writeFile(temporary, sql, { flag: 'wx' });
        await fs.rename(temporary, file);
    } catch (error) {
        await fs.rm(temporary, { force: true });
        output.err(`kra sql: --out ${options.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).\n`);
        return ExitCode.failure;
    }
    return ExitCode.clean;
}
