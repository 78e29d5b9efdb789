import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { stringify } from 'yaml';
import { compileWorkspace, exportMetricFlow } from '@kra-lang/compiler';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { fileErrorReason, makeFolders } from '../files.js';
import { loadOrReport, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface ExportOptions {
    readonly out: string;
    readonly allowErrors: boolean;
}

export const METRICFLOW_FILE = 'kra_metricflow.yml';

/**
 * `kra export metricflow --out <dir>`: dbt semantic models and metrics in one YAML file, and the
 * KPIs it cannot express, each with the reason, on stderr and at the top of the file.
 */
export async function runExportMetricFlow(workspacePath: string, options: ExportOptions, output: Output): Promise<number> {
    const target = await loadOrReport(() => resolveTarget(workspacePath), output, 'export');
    if (typeof target === 'number') {
        return target;
    }
    if (target.requested !== target.root) {
        output.err(`kra export: ${workspacePath} is a file; give the workspace folder.\n`);
        return ExitCode.failure;
    }
    const workspace = await loadOrReport(() => loadWorkspace([target]), output, 'export');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const errors = collectFindings(workspace.documents, process.cwd()).filter(finding => finding.severity === 'error');
    if (errors.length > 0 && !options.allowErrors) {
        output.err(formatStylish(errors, workspace.documents.length));
        output.err(`kra export: the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written. Fix them, or pass --allow-errors.\n`);
        return ExitCode.errors;
    }
    const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });
    const result = exportMetricFlow(model);
    const header = [
        '# dbt MetricFlow semantic models and metrics, written by `kra export metricflow`.',
        '# Write it again rather than edit it. Measure expressions are ANSI SQL (double-quoted names).',
        ...result.omitted.map(entry => `# Not exported: KPI ${entry.kpi}: ${entry.reason}.`)
    ].join('\n');
    const text = `${header}\n${stringify({ semantic_models: result.semanticModels, metrics: result.metrics }, { lineWidth: 0 })}`;
    for (const entry of result.omitted) {
        output.err(`note: KPI ${entry.kpi} is not exported: ${entry.reason}\n`);
    }
    const dir = path.resolve(options.out);
    const file = path.join(dir, METRICFLOW_FILE);
    const temporary = path.join(dir, `.${METRICFLOW_FILE}.${randomBytes(6).toString('hex')}.tmp`);
    try {
        await makeFolders(dir);
        await fs.writeFile(temporary, text, { flag: 'wx' });
        await fs.rename(temporary, file);
    } catch (error) {
        await fs.rm(temporary, { force: true });
        output.err(`kra export: ${options.out} cannot be written: ${fileErrorReason(error)}.\n`);
        return ExitCode.failure;
    }
    output.err(`Wrote ${path.relative(process.cwd(), file) || file}: ${result.semanticModels.length} semantic models, ${result.metrics.length} metrics; ${result.omitted.length} KPIs not exported.\n`);
    return ExitCode.clean;
}
