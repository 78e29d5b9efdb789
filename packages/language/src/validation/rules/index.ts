import type { BuiltinRule, Rule, RuleFacts } from '../rule.js';
import { duplicateField } from './structure/duplicate-field.js';
import { duplicateId } from './structure/duplicate-id.js';
import { hierarchyCycle } from './structure/hierarchy-cycle.js';
import { importCycle, importNotFound, importOutsideRoot, importPath } from './structure/imports.js';
import { invalidDate } from './structure/invalid-date.js';
import { singleOrganisation } from './structure/single-organisation.js';
import { unknownFunction } from './structure/unknown-function.js';
import { SMART_RULES } from './smart/index.js';
import { METRICS_RULES } from './metrics/index.js';
import { WEIGHTS_RULES } from './weights/index.js';
import { BALANCE_RULES } from './balance/index.js';
import { UNITS_RULES } from './units/index.js';
import { FORMULA_RULES } from './formula/index.js';
import { TARGETS_RULES } from './targets/index.js';
import { SOURCES_RULES } from './sources/index.js';

/** Problems found by the lexer, parser and linker, reported under these ids. */
export const BUILTIN_RULES = {
    invalidCharacter: {
        id: 'syntax/invalid-character',
        summary: 'A character that cannot start any word, number, text or symbol of the language.',
        severity: 'error',
        suppressible: false
    },
    unexpectedToken: {
        id: 'syntax/unexpected-token',
        summary: 'The text does not fit the grammar at this point: a missing or unexpected word or symbol.',
        severity: 'error',
        suppressible: false
    },
    unresolvedReference: {
        id: 'structure/unresolved-reference',
        summary: 'A name that refers to nothing declared in this file, its imports or the built-ins.',
        severity: 'error',
        suppressible: false,
        fix: 'automatic'
    }
} as const satisfies Record<string, BuiltinRule>;

/** Every rule with checks of its own, in the order they are documented. */
export const RULES: readonly Rule[] = [
    duplicateId,
    duplicateField,
    importPath,
    importOutsideRoot,
    importNotFound,
    importCycle,
    singleOrganisation,
    invalidDate,
    unknownFunction,
    hierarchyCycle,
    ...SMART_RULES,
    ...METRICS_RULES,
    ...WEIGHTS_RULES,
    ...BALANCE_RULES,
    ...UNITS_RULES,
    ...FORMULA_RULES,
    ...TARGETS_RULES,
    ...SOURCES_RULES
];

/**
 * Rules about suppression comments themselves. The document validator reports them while it
 * applies the suppressions; they have ids, docs and settings like every rule.
 */
export const SUPPRESSION_RULES: readonly Rule[] = [
    {
        id: 'suppressions/missing-reason',
        summary: 'A suppression comment does not say why the rule does not apply.',
        severity: 'warning',
        category: 'fast',
        suppressible: false,
        checks: {}
    },
    {
        id: 'suppressions/unused',
        summary: 'A suppression comment suppresses nothing: the rule reports no problem there.',
        severity: 'warning',
        category: 'fast',
        suppressible: false,
        checks: {}
    },
    {
        id: 'suppressions/unknown-rule',
        summary: 'A suppression comment names no rule, or a rule that does not exist or cannot be suppressed.',
        severity: 'error',
        category: 'fast',
        suppressible: false,
        checks: {}
    }
];

export interface RuleInfo {
    readonly id: string;
    readonly summary: string;
    readonly severity: string;
}

/** Every rule id the tool can report, built-in ones first. */
export function allRules(): RuleInfo[] {
    return [...Object.values(BUILTIN_RULES), ...RULES, ...SUPPRESSION_RULES];
}

const FACTS = new Map<string, RuleFacts>(allRules().map(rule => [rule.id, rule as RuleFacts]));

/** The facts of a rule by id (see RuleFacts); undefined for an id that is no rule. */
export function ruleFacts(id: string): RuleFacts | undefined {
    return FACTS.get(id);
}

/** Whether a suppression comment may name the rule: a known rule that does not say otherwise. */
export function isSuppressible(id: string): boolean {
    const facts = FACTS.get(id);
    return facts !== undefined && facts.suppressible !== false;
}

/** Whether the rule's findings in a document depend on other documents (fast rules; slow ones are checked on every save). */
export function readsOtherDocuments(id: string): boolean {
    return FACTS.get(id)?.scope === 'workspace';
}
