import type { Rule } from '../../rule.js';

/** The weights/* rules, in the order they are documented. */
export const WEIGHTS_RULES: readonly Rule[] = [];
