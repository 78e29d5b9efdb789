import type { Rule } from '../../rule.js';

/** The targets/* rules, in the order they are documented. */
export const TARGETS_RULES: readonly Rule[] = [];
