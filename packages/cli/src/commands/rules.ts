import { allRules } from '@kra-lang/language';
import { ExitCode } from '../exit-code.js';

export function runRules(output: { out: (text: string) => void }): number {
    const rules = allRules();
    const idWidth = Math.max(...rules.map(rule => rule.id.length));
    for (const rule of rules) {
        output.out(`${rule.id.padEnd(idWidth)}  ${rule.severity.padEnd(7)}  ${rule.summary}\n`);
    }
    return ExitCode.clean;
}
