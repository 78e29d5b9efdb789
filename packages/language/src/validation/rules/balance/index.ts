import type { Rule } from '../../rule.js';

/** The balance/* rules, in the order they are documented. */
export const BALANCE_RULES: readonly Rule[] = [];
