import type { Rule } from '../../rule.js';
import { holistic } from './holistic.js';

/** The balance/* rules, in the order they are documented. */
export const BALANCE_RULES: readonly Rule[] = [holistic];
