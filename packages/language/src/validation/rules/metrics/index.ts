import type { Rule } from '../../rule.js';

/** The metrics/* rules, in the order they are documented. */
export const METRICS_RULES: readonly Rule[] = [];
