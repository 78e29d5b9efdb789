import type { Rule } from '../../rule.js';

/** The formula/* rules, in the order they are documented. */
export const FORMULA_RULES: readonly Rule[] = [];
