import * as path from 'node:path';
import { ConfigError, isInside, loadWorkspace, resolveTarget, UnreadablePathError, type WorkspaceTarget } from '@kra-lang/language/node';
import { collectFindings, type Finding } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';

export async function runCheck(paths: readonly string[], output: { out: (text: string) => void; err: (text: string) => void }): Promise<number> {
    const targets: WorkspaceTarget[] = [];
    const unreadable: string[] = [];
    for (const input of paths) {
        try {
            targets.push(await resolveTarget(input));
        } catch (error) {
            if (error instanceof UnreadablePathError) {
                unreadable.push(error.message);
                continue;
            }
            throw error;
        }
    }
    if (unreadable.length > 0) {
        for (const message of unreadable) {
            output.err(`kra check: ${message}\n`);
        }
        return 2;
    }
    let workspace;
    try {
        workspace = await loadWorkspace(targets);
    } catch (error) {
        if (error instanceof ConfigError) {
            const file = path.relative(process.cwd(), error.file);
            for (const problem of error.problems) {
                output.err(`${file}:${problem.line}:${problem.column}  error  ${problem.message}\n`);
            }
            output.err(`kra check: fix ${file} first; nothing was checked.\n`);
            return 2;
        }
        if (error instanceof UnreadablePathError) {
            output.err(`kra check: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
    const requested = workspace.documents.filter(document =>
        targets.some(target => isInside(target.requested, document.uri.fsPath)));
    const findings: Finding[] = collectFindings(requested, process.cwd());
    output.out(formatStylish(findings, requested.length));
    return findings.some(finding => finding.severity === 'error') ? 1 : 0;
}
