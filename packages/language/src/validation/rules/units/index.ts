import type { Rule } from '../../rule.js';
import { mismatch } from './mismatch.js';
import { percentScale } from './percent-scale.js';

/** The units/* rules, in the order they are documented. */
export const UNITS_RULES: readonly Rule[] = [mismatch, percentScale];
