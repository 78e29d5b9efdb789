import type { Rule } from '../../rule.js';
import { bandDirection } from './band-direction.js';
import { thresholdsOrder } from './thresholds-order.js';

/** The targets/* rules, in the order they are documented. */
export const TARGETS_RULES: readonly Rule[] = [bandDirection, thresholdsOrder];
