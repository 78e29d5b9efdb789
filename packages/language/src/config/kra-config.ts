import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { RuleSeverity } from '../validation/rule.js';
import { RULES, SUPPRESSION_RULES } from '../validation/rules/index.js';
import { buildConfigSchema, LIMITS } from './config-schema.js';
import { compileGlob } from './glob.js';

export const CONFIG_FILE_NAME = 'kra.config.yaml';

/**
 * The most a kra.config.yaml may hold, in bytes. A real one is a few kilobytes; the cap keeps a
 * hostile one (or `/dev/zero` behind a name) from filling the memory.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The names a workspace's configuration may have; a workspace has at most one of them. */
export const CONFIG_FILE_NAMES: readonly string[] = [CONFIG_FILE_NAME, 'kra.config.yml'];

/**
 * A name people give a tool's configuration (`.kra.yaml`, `kra.config.json`, `.krarc`,
 * `KRA.config.yaml`) that kra does not read: reported, so that rules are not silently left at
 * their defaults.
 */
export function isMisnamedConfig(fileName: string): boolean {
    return !CONFIG_FILE_NAMES.includes(fileName)
        && (/^\.?kra([._-]?config)?\.(ya?ml|json|jsonc|json5|js|cjs|mjs|ts|toml)$/i.test(fileName) || /^\.krarc(\.(ya?ml|json))?$/i.test(fileName));
}

export type Preset = 'recommended' | 'strict';

/** The setting of one rule: a severity, options, or both. */
export interface RuleSetting {
    readonly severity?: RuleSeverity;
    readonly options: Readonly<Record<string, unknown>>;
}

export interface ConfigOverride {
    readonly files: readonly string[];
    readonly rules: ReadonlyMap<string, RuleSetting>;
}

/** A band of rating levels and the share of a group's people it may or must hold, in percent. */
export interface CalibrationBand {
    readonly levels: readonly number[];
    readonly atMost?: number;
    readonly atLeast?: number;
}

/** The calibration guideline `kra eval` checks ratings against. */
export interface CalibrationGuideline {
    readonly minPeople: number;
    readonly bands: readonly CalibrationBand[];
}

/** A parsed, validated kra.config.yaml. */
export interface KraConfig {
    readonly extends: Preset;
    readonly rules: ReadonlyMap<string, RuleSetting>;
    readonly limits: Readonly<Record<string, number>>;
    readonly overrides: readonly ConfigOverride[];
    /** Absent when the config gives none. */
    readonly calibration?: CalibrationGuideline;
}

export const DEFAULT_CONFIG: KraConfig = { extends: 'recommended', rules: new Map(), limits: {}, overrides: [] };

/** A problem in the config file, placed on its line (1-based) and column. */
export interface ConfigProblem {
    readonly message: string;
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    readonly endColumn: number;
}

export type ConfigParseResult =
    | { ok: true; config: KraConfig }
    | { ok: false; problems: ConfigProblem[] };

// One validator for the config schema we ship. Strict mode, no $data: user input is data only.
// Compiled on first use: compiling takes a good part of `kra check`'s start-up, and a workspace
// without a kra.config.yaml never needs it.
let compiledValidator: ValidateFunction | undefined;

function validateConfig(value: unknown): ErrorObject[] | undefined {
    compiledValidator ??= new Ajv({ allErrors: true, strict: true, $data: false }).compile(buildConfigSchema());
    return compiledValidator(value) ? undefined : compiledValidator.errors ?? [];
}

/**
 * Parses and validates the text of a kra.config.yaml. Never throws: every problem, from YAML
 * syntax to an unknown rule option, comes back with its position in the file.
 */
export function parseConfig(text: string): ConfigParseResult {
    const tooDeep = nestingTooDeep(text);
    if (tooDeep !== undefined) {
        const before = text.substring(0, tooDeep);
        const line = before.split('\n').length;
        const column = tooDeep - before.lastIndexOf('\n');
        return { ok: false, problems: [{ message: `Invalid YAML: nested more than ${MAX_DEPTH} levels deep. A kra.config.yaml needs a handful of levels; check for runaway brackets.`, line, column, endLine: line, endColumn: column + 1 }] };
    }
    const lineCounter = new LineCounter();
    // Alias expansion and duplicate keys are refused: a config is small, and a hostile one is not.
    const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
    const at = (offset: number, end = offset + 1): Omit<ConfigProblem, 'message'> => {
        const start = lineCounter.linePos(offset);
        const stop = lineCounter.linePos(end);
        return { line: start.line, column: start.col, endLine: stop.line, endColumn: stop.col };
    };
    if (document.errors.length > 0) {
        return {
            ok: false,
            problems: document.errors.map(error => ({
                message: `Invalid YAML: ${error.message.split('\n')[0]}`,
                ...at(error.pos[0], error.pos[1])
            }))
        };
    }
    let value: unknown;
    try {
        value = document.toJS({ maxAliasCount: 50 }) ?? {};
    } catch (error) {
        return { ok: false, problems: [{ message: `Invalid YAML: ${(error as Error).message}`, ...at(0) }] };
    }
    const errors = validateConfig(value);
    if (errors) {
        const problems = errors.filter(error => error.keyword !== 'if').map((error: ErrorObject) => {
            const path = error.instancePath.split('/').slice(1).map(unescapePointer);
            const node = document.getIn(path, true) as YamlNode | undefined;
            const keyNode = error.keyword === 'additionalProperties' ? findKey(document.getIn(path, true) as YamlNode | undefined, String(error.params.additionalProperty)) : undefined;
            const range = (keyNode ?? node)?.range;
            return { message: describeError(error, path), ...(range ? at(range[0], range[1]) : at(0)) };
        });
        return { ok: false, problems: dedupe(problems) };
    }
    const globProblems = (value as RawConfig).overrides?.flatMap((override, i) => override.files.flatMap((glob, j) => {
        const compiled = compileGlob(glob);
        if (compiled.ok) {
            return [];
        }
        const range = (document.getIn(['overrides', i, 'files', j], true) as YamlNode | undefined)?.range;
        return [{ message: `'overrides.${i}.files.${j}' ${compiled.reason}.`, ...(range ? at(range[0], range[1]) : at(0)) }];
    })) ?? [];
    if (globProblems.length > 0) {
        return { ok: false, problems: globProblems };
    }
    return { ok: true, config: toConfig(value as RawConfig) };
}

const MAX_DEPTH = 32;

/** The offset where flow brackets or indentation go deeper than MAX_DEPTH, if they do. */
function nestingTooDeep(text: string): number | undefined {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === '[' || ch === '{') {
            if (++depth > MAX_DEPTH) {
                return i;
            }
        } else if (ch === ']' || ch === '}') {
            depth = Math.max(0, depth - 1);
        } else if (ch === '\n') {
            const indent = /^ */.exec(text.substring(i + 1, i + 1 + 4 * MAX_DEPTH + 2))![0].length;
            if (indent > 4 * MAX_DEPTH) {
                return i + 1;
            }
        }
    }
    return undefined;
}

interface RawConfig {
    extends?: Preset;
    rules?: Record<string, RawRuleSetting>;
    limits?: Record<string, number>;
    overrides?: Array<{ files: string[]; rules?: Record<string, RawRuleSetting> }>;
    calibration?: { minPeople?: number; bands?: CalibrationBand[] };
}

type RawRuleSetting = RuleSeverity | ({ severity?: RuleSeverity } & Record<string, unknown>);

function toRules(raw: Record<string, RawRuleSetting> | undefined): Map<string, RuleSetting> {
    const rules = new Map<string, RuleSetting>();
    for (const [id, setting] of Object.entries(raw ?? {})) {
        if (typeof setting === 'string') {
            rules.set(id, { severity: setting, options: {} });
        } else {
            const { severity, ...options } = setting;
            rules.set(id, { severity, options });
        }
    }
    return rules;
}

function toConfig(raw: RawConfig): KraConfig {
    return {
        extends: raw.extends ?? 'recommended',
        rules: toRules(raw.rules),
        limits: raw.limits ?? {},
        overrides: (raw.overrides ?? []).map(override => ({
            files: override.files,
            rules: toRules(override.rules)
        })),
        ...(raw.calibration ? { calibration: { minPeople: raw.calibration.minPeople ?? 5, bands: raw.calibration.bands ?? [] } } : {})
    };
}

function findKey(node: YamlNode | undefined, key: string): YamlNode | undefined {
    if (isMap(node)) {
        for (const pair of node.items) {
            if (isScalar(pair.key) && String(pair.key.value) === key) {
                return pair.key;
            }
        }
    }
    return undefined;
}

function unescapePointer(segment: string): string | number {
    const text = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(text) ? Number(text) : text;
}

const RULE_IDS = [...RULES, ...SUPPRESSION_RULES].map(rule => rule.id);

const TYPE_WORDS: Record<string, string> = {
    integer: 'a whole number', number: 'a number', string: 'a text', boolean: 'true or false',
    array: 'a list', object: 'a map of keys and values'
};

function where(path: ReadonlyArray<string | number>): string {
    return path.length === 0 ? 'the config' : `'${path.join('.')}'`;
}

/** Ajv's error, in words, with the valid choices where there are any. */
function describeError(error: ErrorObject, path: ReadonlyArray<string | number>): string {
    switch (error.keyword) {
        case 'additionalProperties': {
            const key = String(error.params.additionalProperty);
            if (path.length === 1 && (path[0] === 'rules') || (path.length === 3 && path[0] === 'overrides' && path[2] === 'rules')) {
                return `Unknown rule '${key}'. Valid rules: ${RULE_IDS.join(', ')}.`;
            }
            if ((path[0] === 'rules' && path.length === 2) || (path[0] === 'overrides' && path.length === 4)) {
                const rule = RULES.find(candidate => candidate.id === path[path.length - 1]);
                const valid = ['severity', ...Object.keys(rule?.options ?? {})];
                return `Unknown option '${key}' for rule '${String(path[path.length - 1])}'. Valid options: ${valid.join(', ')}.`;
            }
            if (path[0] === 'limits') {
                return `Unknown limit '${key}'. Valid limits: ${Object.keys(LIMITS).join(', ')}.`;
            }
            if (path[0] === 'calibration') {
                return `Unknown key '${key}' in ${where(path)}. Valid keys: ${path.length === 1 ? 'minPeople, bands' : 'levels, atMost, atLeast'}.`;
            }
            const valid = path.length === 0 ? ['extends', 'rules', 'limits', 'calibration', 'overrides'] : ['files', 'rules'];
            return `Unknown key '${key}' in ${where(path)}. Valid keys: ${valid.join(', ')}.`;
        }
        case 'enum':
            return `${where(path)} must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}.`;
        case 'type':
            return `${where(path)} must be ${TYPE_WORDS[String(error.params.type)] ?? `a ${String(error.params.type)}`}.`;
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
            return `${where(path)} ${error.message ?? 'is out of range'}.`;
        case 'required':
            return `${where(path)} needs '${String(error.params.missingProperty)}'.`;
        case 'oneOf':
        case 'anyOf':
            return `${where(path)} must be a severity (off, info, warning, error) or a map of a severity and options.`;
        default:
            return `${where(path)} ${error.message ?? 'is invalid'}.`;
    }
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
    const seen = new Set<string>();
    // oneOf reports every branch; keep the most specific message per position.
    return problems.filter(problem => {
        const key = `${problem.line}:${problem.column}`;
        if (seen.has(key)) {
            return false;
        }
        seen.add(key);
        return true;
    });
}
