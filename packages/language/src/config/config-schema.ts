import { RULES, SUPPRESSION_RULES } from '../validation/rules/index.js';
import type { Rule } from '../validation/rule.js';

export const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;

/** The organisation's limits: the numbers HR policy sets, each feeding one or more rule options. */
export const LIMITS: Readonly<Record<string, { description: string; minimum: number }>> = {
    krasPerRole: { description: 'Most KRAs one role may carry (metrics/too-many-kras).', minimum: 1 },
    kpisPerKra: { description: 'Most KPIs one KRA may have (metrics/too-many-kpis).', minimum: 1 },
    kpisPerRole: { description: 'Most KPIs one role may carry through its KRAs (metrics/too-many-per-role).', minimum: 1 },
    maxChangePerPeriod: { description: 'Largest plausible change of a KPI per review period, in percent (smart/achievable).', minimum: 0 },
    weightTolerance: { description: 'How far, in percentage points, weights may miss 100% (weights/sum).', minimum: 0 }
};

function settingSchema(rule: Pick<Rule, 'options'>): object {
    const options: Record<string, object> = {};
    for (const [name, option] of Object.entries(rule.options ?? {})) {
        options[name] = {
            type: option.type,
            description: option.description,
            default: option.default,
            ...(option.minimum !== undefined ? { minimum: option.minimum } : {}),
            ...(option.maximum !== undefined ? { maximum: option.maximum } : {})
        };
    }
    return {
        if: { type: 'string' },
        then: { enum: SEVERITIES },
        else: {
            type: 'object',
            additionalProperties: false,
            properties: { severity: { enum: SEVERITIES }, ...options }
        }
    };
}

function rulesSchema(): object {
    const properties: Record<string, object> = {};
    for (const rule of [...RULES, ...SUPPRESSION_RULES]) {
        properties[rule.id] = { description: rule.summary, ...settingSchema(rule) };
    }
    return { type: 'object', additionalProperties: false, properties };
}

/**
 * The calibration guideline `kra eval` checks the distribution of ratings against, per role and
 * department (docs/evaluation.md, "Calibration"). Breaches are warnings, never errors.
 */
const CALIBRATION_SCHEMA = {
    type: 'object',
    additionalProperties: false,
    description: 'A guideline for the distribution of ratings per role and per department, checked by kra eval; breaches are warnings.',
    properties: {
        minPeople: { type: 'integer', minimum: 1, default: 5, description: 'Groups (a role or a department in one period) with fewer people are not checked.' },
        bands: {
            type: 'array',
            description: 'Bands of rating levels with the share of people they may (atMost) or must (atLeast) hold.',
            items: {
                type: 'object',
                additionalProperties: false,
                required: ['levels'],
                properties: {
                    levels: { type: 'array', items: { type: 'number' }, minItems: 1, description: 'Rating level values, e.g. [5] for the top band of a five-point scale.' },
                    atMost: { type: 'number', minimum: 0, maximum: 100, description: 'Most people in the band, in percent of the group.' },
                    atLeast: { type: 'number', minimum: 0, maximum: 100, description: 'Fewest people in the band, in percent of the group.' }
                }
            }
        }
    }
};

/**
 * The `$id` the schema of kra.config.yaml carries: a name, not where it is served from (the schema
 * comes from `kra schema config` and the copy the VS Code extension ships).
 */
export const CONFIG_SCHEMA_ID = 'https://kra-lang.dev/schemas/kra-config/v1.json';

/**
 * The JSON Schema of kra.config.yaml, built from the rule table so that it cannot drift from
 * the rules. `kra schema config` prints it; the VS Code extension ships a copy
 * (packages/vscode/schemas/kra-config.schema.json, for YAML validation), which a test keeps
 * equal to this.
 */
export function buildConfigSchema(): object {
    const limits: Record<string, object> = {};
    for (const [name, limit] of Object.entries(LIMITS)) {
        limits[name] = { type: 'number', description: limit.description, minimum: limit.minimum };
    }
    return {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: CONFIG_SCHEMA_ID,
        title: 'KRA Lang workspace configuration (kra.config.yaml)',
        type: 'object',
        additionalProperties: false,
        properties: {
            extends: { description: 'The preset to start from.', enum: ['recommended', 'strict'] },
            rules: rulesSchema(),
            limits: { type: 'object', additionalProperties: false, properties: limits },
            calibration: CALIBRATION_SCHEMA,
            overrides: {
                type: 'array',
                items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['files'],
                    properties: {
                        files: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'Globs, relative to the workspace root.' },
                        rules: rulesSchema()
                    }
                }
            }
        }
    };
}
