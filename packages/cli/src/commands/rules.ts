import { allRules } from '@kra-lang/language';

export function runRules(output: { out: (text: string) => void }): number {
    const rules = allRules();
    const idWidth = Math.max(...rules.map(rule => rule.id.length));
    for (const rule of rules) {
        output.out(`${rule.id.padEnd(idWidth)}  ${rule.severity.padEnd(7)}  ${rule.summary}\n`);
    }
    return 0;
}
