import * as path from 'node:path';
import { isInside, loadWorkspace, resolveTarget, type WorkspaceTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatGithub } from '../report/github.js';
import { formatGitlab } from '../report/gitlab.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { formatStylish } from '../report/stylish.js';
import type { CHECK_FORMATS } from '../report/formats.js';
import { VERSION } from '../version.js';
import { loadOrReport, type Output } from './shared.js';


export interface CheckOptions {
    readonly format: typeof CHECK_FORMATS[number];
    /** Exit 1 when there are more warnings than this. */
    readonly maxWarnings?: number;
    readonly config?: string;
    /** Report errors only. */
    readonly quiet: boolean;
}

export async function runCheck(paths: readonly string[], options: CheckOptions, output: Output): Promise<number> {
    const targets: WorkspaceTarget[] = [];
    let unreadable = false;
    for (const input of paths) {
        const target = await loadOrReport(() => resolveTarget(input), output, 'check');
        if (typeof target === 'number') {
            unreadable = true;
        } else {
            targets.push(target);
        }
    }
    if (unreadable) {
        return 2;
    }
    const workspace = await loadOrReport(() => loadWorkspace(targets, { configFile: options.config }), output, 'check');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const requested = workspace.documents.filter(document =>
        targets.some(target => isInside(target.requested, document.uri.fsPath)));
    const all = collectFindings(requested, process.cwd());
    const findings = options.quiet ? all.filter(finding => finding.severity === 'error') : all;
    const files = requested.map(document => path.relative(process.cwd(), document.uri.fsPath).split(path.sep).join('/'));
    switch (options.format) {
        case 'json': output.out(formatJson(findings, files)); break;
        case 'sarif': output.out(formatSarif(findings, VERSION)); break;
        case 'github': output.out(formatGithub(findings)); break;
        case 'gitlab': output.out(formatGitlab(findings)); break;
        default: output.out(formatStylish(findings, requested.length));
    }
    const errors = all.filter(finding => finding.severity === 'error').length;
    const warnings = all.filter(finding => finding.severity === 'warning').length;
    if (errors > 0) {
        return 1;
    }
    if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
        output.err(`kra check: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}.\n`);
        return 1;
    }
    return 0;
}
