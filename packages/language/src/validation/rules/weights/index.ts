import type { Rule } from '../../rule.js';
import { weightsSum } from './sum.js';
import { weightsRange } from './range.js';

/** The weights/* rules, in the order they are documented. */
export const WEIGHTS_RULES: readonly Rule[] = [weightsSum, weightsRange];
