import type { Rule } from '../../rule.js';

/** The smart/* rules, in the order they are documented. */
export const SMART_RULES: readonly Rule[] = [];
