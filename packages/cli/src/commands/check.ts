import { isInside, loadWorkspace, resolveTarget, UnreadablePathError, type WorkspaceTarget } from '@kra-lang/language/node';
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
    const workspace = await loadWorkspace(targets);
    const requested = workspace.documents.filter(document =>
        targets.some(target => isInside(target.requested, document.uri.fsPath)));
    const findings: Finding[] = collectFindings(requested, process.cwd());
    output.out(formatStylish(findings, requested.length));
    return findings.some(finding => finding.severity === 'error') ? 1 : 0;
}
