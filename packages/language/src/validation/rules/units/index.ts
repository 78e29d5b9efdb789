import type { Rule } from '../../rule.js';

/** The units/* rules, in the order they are documented. */
export const UNITS_RULES: readonly Rule[] = [];
