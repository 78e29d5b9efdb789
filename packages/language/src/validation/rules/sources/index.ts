import type { Rule } from '../../rule.js';
import { additivity } from './additivity.js';
import { typeMismatch } from './type-mismatch.js';
import { unknownColumn } from './unknown-column.js';
import { aggregationRule, incompleteSource, unknownDimension } from './vocabulary.js';

/** The sources/* rules, in the order they are documented. */
export const SOURCES_RULES: readonly Rule[] = [incompleteSource, unknownDimension, aggregationRule, unknownColumn, typeMismatch, additivity];
