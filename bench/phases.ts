/**
 * Where `kra check` spends its time: loads a workspace the way the CLI does and prints how long
 * start-up and each of Langium's build phases take (parse, index, scopes, link, validate), in
 * wall-clock and CPU time. With --rules, also the time each validation rule takes (the timing
 * wrapper adds a little overhead of its own).
 *
 *     node --experimental-transform-types bench/phases.ts DIR [--rules]
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const started = performance.now();
const marks: Array<[string, number, number]> = [];
const cpu = () => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000; };
const startedCpu = cpu();
const mark = (label: string) => marks.push([label, performance.now(), cpu()]);

const { values, positionals } = parseArgs({ options: { rules: { type: 'boolean', default: false } }, allowPositionals: true });
const timeRules = values.rules;
const target = path.resolve(positionals[0] ?? '.');
const { DocumentState, URI } = await import('langium');
mark('import langium');
const language = await import('@kra-lang/language');
const languageNode = await import('@kra-lang/language/node');
mark('import @kra-lang/language');
const ruleTimes = new Map<string, { ms: number; calls: number }>();
if (timeRules) {
    // Wrap every check before the services register them.
    for (const rule of language.RULES) {
        const checks = rule.checks as Record<string, (...args: unknown[]) => unknown>;
        for (const [type, check] of Object.entries(checks)) {
            checks[type] = (...checkArgs: unknown[]) => {
                const start = performance.now();
                try {
                    return check(...checkArgs);
                } finally {
                    const entry = ruleTimes.get(rule.id) ?? { ms: 0, calls: 0 };
                    entry.ms += performance.now() - start;
                    entry.calls++;
                    ruleTimes.set(rule.id, entry);
                }
            };
        }
    }
}
const { shared } = languageNode.createKraNodeServices();
mark('create services (parser, lexer, validators)');

const names: Record<number, string> = {
    [DocumentState.Parsed]: 'parse (read + lex + parse)',
    [DocumentState.IndexedContent]: 'index exported symbols',
    [DocumentState.ComputedScopes]: 'compute local scopes',
    [DocumentState.Linked]: 'link references',
    [DocumentState.IndexedReferences]: 'index references',
    [DocumentState.Validated]: 'validate (every rule)'
};
for (const state of Object.keys(names).map(Number)) {
    shared.workspace.DocumentBuilder.onBuildPhase(state, () => { mark(names[state]); });
}
shared.workspace.WorkspaceManager.initialBuildOptions = { validation: { categories: ['built-in', 'fast', 'slow'] } };
await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: path.basename(target), uri: URI.file(target).toString() }]);
mark('done');

let previous = started;
let previousCpu = startedCpu;
const rows = marks.map(([label, at, cpuAt]) => {
    const row = `${String(Math.round(at - previous)).padStart(7)} ms ${String(Math.round(cpuAt - previousCpu)).padStart(7)} ms CPU  ${label}`;
    previous = at;
    previousCpu = cpuAt;
    return row;
});
const documents = shared.workspace.LangiumDocuments.all.toArray();
const diagnostics = documents.reduce((sum, document) => sum + (document.diagnostics?.length ?? 0), 0);
process.stdout.write(`   wall     CPU\n${rows.join('\n')}\n${String(Math.round(previous - started)).padStart(7)} ms ${String(Math.round(previousCpu - startedCpu)).padStart(7)} ms CPU  total (${documents.length} documents, ${diagnostics} diagnostics, `
    + `RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB)\n`);
if (timeRules) {
    const total = [...ruleTimes.values()].reduce((sum, entry) => sum + entry.ms, 0);
    process.stdout.write(`\nValidation rules (${Math.round(total)} ms in rule code):\n`);
    for (const [id, entry] of [...ruleTimes].sort((a, b) => b[1].ms - a[1].ms)) {
        process.stdout.write(`${String(Math.round(entry.ms)).padStart(7)} ms  ${id.padEnd(28)} ${entry.calls} calls\n`);
    }
}
