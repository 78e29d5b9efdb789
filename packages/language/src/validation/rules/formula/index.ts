import type { Rule } from '../../rule.js';
import { averageOfRatios } from './average-of-ratios.js';
import { zeroDivision } from './zero-division.js';
import { cycle } from './cycle.js';

/** The formula/* rules, in the order they are documented. */
export const FORMULA_RULES: readonly Rule[] = [averageOfRatios, zeroDivision, cycle];
