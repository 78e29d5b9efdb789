import type { Rule } from '../../rule.js';
import { tooManyKras } from './too-many-kras.js';
import { tooManyKpis } from './too-many-kpis.js';
import { tooManyPerRole } from './too-many-per-role.js';
import { unused } from './unused.js';

/** The metrics/* rules, in the order they are documented. */
export const METRICS_RULES: readonly Rule[] = [tooManyKras, tooManyKpis, tooManyPerRole, unused];
