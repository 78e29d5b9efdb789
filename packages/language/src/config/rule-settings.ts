import { UriUtils, type URI } from 'langium';
import type { KraCoreServices } from '../kra-module.js';
import type { Rule, RuleSeverity } from '../validation/rule.js';
import type { KraWorkspaceManager } from '../workspace/kra-workspace-manager.js';
import { DEFAULT_CONFIG, type ConfigOverride, type KraConfig, type RuleSetting } from './kra-config.js';
import { compileGlob, type GlobMatcher } from './glob.js';

export interface EffectiveSetting {
    readonly severity: RuleSeverity;
    readonly options: Readonly<Record<string, unknown>>;
}

/** `strict` raises every rule one step: info to warning, warning to error. */
function presetSeverity(rule: Pick<Rule, 'severity'>, preset: KraConfig['extends']): RuleSeverity {
    if (preset === 'strict') {
        return rule.severity === 'info' ? 'warning' : 'error';
    }
    return rule.severity;
}

/**
 * The severity and options of each rule for each document, from the kra.config.yaml of the
 * document's workspace root: preset, then `limits`, then `rules`, then matching `overrides`.
 * The shells load the file (the core does not read the disk) and hand it over with `setConfig`.
 */
export class RuleSettings {

    private readonly workspaceManager: KraWorkspaceManager;
    private readonly configs = new Map<string, KraConfig>();
    private readonly cache = new Map<string, EffectiveSetting>();
    private readonly matchers = new Map<string, GlobMatcher>();
    /** The overrides whose globs match each document, by URI: each glob is matched once per file. */
    private readonly overridesByFile = new Map<string, readonly ConfigOverride[]>();

    constructor(services: KraCoreServices) {
        this.workspaceManager = services.shared.workspace.WorkspaceManager;
    }

    /** Sets (or, with undefined, removes) the configuration of a workspace root. */
    setConfig(root: URI, config: KraConfig | undefined): void {
        if (config) {
            this.configs.set(root.toString(), config);
        } else {
            this.configs.delete(root.toString());
        }
        this.cache.clear();
        this.overridesByFile.clear();
    }

    configFor(uri: URI): KraConfig {
        return this.configs.get(this.workspaceManager.rootOf(uri).toString()) ?? DEFAULT_CONFIG;
    }

    setting(rule: Rule, uri: URI): EffectiveSetting {
        const key = `${rule.id}\u0000${uri.toString()}`;
        let setting = this.cache.get(key);
        if (!setting) {
            setting = this.compute(rule, uri);
            this.cache.set(key, setting);
        }
        return setting;
    }

    private compute(rule: Rule, uri: URI): EffectiveSetting {
        const root = this.workspaceManager.rootOf(uri);
        const config = this.configFor(uri);
        let severity = presetSeverity(rule, config.extends);
        const options: Record<string, unknown> = {};
        for (const [name, option] of Object.entries(rule.options ?? {})) {
            options[name] = option.limit !== undefined && config.limits[option.limit] !== undefined
                ? config.limits[option.limit]
                : option.default;
        }
        const apply = (setting: RuleSetting | undefined) => {
            if (setting) {
                severity = setting.severity ?? severity;
                Object.assign(options, setting.options);
            }
        };
        apply(config.rules.get(rule.id));
        for (const override of this.overridesFor(uri, root, config)) {
            apply(override.rules.get(rule.id));
        }
        return { severity, options };
    }

    private overridesFor(uri: URI, root: URI, config: KraConfig): readonly ConfigOverride[] {
        const key = uri.toString();
        let matching = this.overridesByFile.get(key);
        if (!matching) {
            const path = UriUtils.relative(root, uri);
            matching = config.overrides.filter(override => override.files.some(glob => this.matcher(glob)(path)));
            this.overridesByFile.set(key, matching);
        }
        return matching;
    }

    /** parseConfig refuses a glob that does not compile; one in a config made otherwise matches nothing. */
    private matcher(glob: string): GlobMatcher {
        let matcher = this.matchers.get(glob);
        if (!matcher) {
            const compiled = compileGlob(glob);
            matcher = compiled.ok ? compiled.match : () => false;
            this.matchers.set(glob, matcher);
        }
        return matcher;
    }
}
