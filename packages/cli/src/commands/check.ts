import { isInside, loadWorkspace, resolveTarget, type WorkspaceTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { loadOrReport, type Output } from './shared.js';

export async function runCheck(paths: readonly string[], output: Output): Promise<number> {
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
    const workspace = await loadOrReport(() => loadWorkspace(targets), output, 'check');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const requested = workspace.documents.filter(document =>
        targets.some(target => isInside(target.requested, document.uri.fsPath)));
    const findings = collectFindings(requested, process.cwd());
    output.out(formatStylish(findings, requested.length));
    return findings.some(finding => finding.severity === 'error') ? 1 : 0;
}
