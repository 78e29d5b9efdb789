import * as path from 'node:path';
import { RULES, SUPPRESSION_RULES } from '@kra-lang/language';
import { findConfigFile, loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { URI } from 'langium';
import { loadOrReport, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

/**
 * `kra check --print-config <file>`: the rule settings that apply to one file, after the preset,
 * the limits, the rules and the matching overrides of its workspace's configuration (or of
 * --config), as JSON. Nothing is checked.
 */
export async function runPrintConfig(file: string, configFile: string | undefined, output: Output): Promise<number> {
    const target = await loadOrReport(() => resolveTarget(file), output, 'check');
    if (typeof target === 'number') {
        return target;
    }
    const workspace = await loadOrReport(() => loadWorkspace([target], { configFile }), output, 'check');
    if (typeof workspace === 'number') {
        return workspace;
    }
    const source = configFile !== undefined ? path.resolve(configFile) : await findConfigFile(target.root);
    const uri = URI.file(target.requested);
    const settings = workspace.services.validation.RuleSettings;
    const config = settings.configFor(uri);
    const rules: Record<string, { severity: string; options?: Readonly<Record<string, unknown>> }> = {};
    for (const rule of [...RULES, ...SUPPRESSION_RULES].sort((a, b) => a.id.localeCompare(b.id))) {
        const { severity, options } = settings.setting(rule, uri);
        rules[rule.id] = Object.keys(options).length > 0 ? { severity, options } : { severity };
    }
    const relative = (absolute: string) => path.relative(process.cwd(), absolute).split(path.sep).join('/') || '.';
    output.out(`${JSON.stringify({
        file: relative(target.requested),
        workspace: relative(target.root),
        configFile: source === undefined ? null : relative(source),
        extends: config.extends,
        limits: config.limits,
        rules
    }, null, 2)}\n`);
    return ExitCode.clean;
}
