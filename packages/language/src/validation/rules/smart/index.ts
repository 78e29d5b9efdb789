import type { Rule } from '../../rule.js';
import { achievable } from './achievable.js';
import { measurable } from './measurable.js';
import { relevant } from './relevant.js';
import { specific } from './specific.js';
import { timeBound } from './time-bound.js';

/** The smart/* rules, in the order they are documented: S, M, A, R, T. */
export const SMART_RULES: readonly Rule[] = [specific, measurable, achievable, relevant, timeBound];
