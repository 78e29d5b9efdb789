/**
 * The functions a formula may call. One table serves validation, completion, hover,
 * signature help and the evaluator.
 */
export interface FormulaFunction {
    readonly name: string;
    readonly signature: string;
    readonly parameters: readonly string[];
    readonly minArgs: number;
    /** `Infinity` for variadic functions. */
    readonly maxArgs: number;
    readonly description: string;
    /** Aggregates a measure over members (teams, agents, clients) or days of the period. */
    readonly aggregates: boolean;
}

const fn = (name: string, parameters: string[], minArgs: number, maxArgs: number, aggregates: boolean, description: string): FormulaFunction =>
    ({ name, signature: `${name}(${parameters.join(', ')})`, parameters, minArgs, maxArgs, aggregates, description });

export const FORMULA_FUNCTIONS: ReadonlyMap<string, FormulaFunction> = new Map([
    fn('sum', ['measure'], 1, 1, true, 'Total of a measure over the members and days of the period.'),
    fn('avg', ['measure'], 1, 1, true, 'Mean of a measure over the members of the period. For ratios, prefer a ratio of sums.'),
    fn('min', ['value', '…values'], 1, Infinity, true, 'With one argument, the smallest value over the members; with several, the smallest of them.'),
    fn('max', ['value', '…values'], 1, Infinity, true, 'With one argument, the largest value over the members; with several, the largest of them.'),
    fn('count', ['measure'], 1, 1, true, 'Number of members (rows) that have a value for the measure.'),
    fn('median', ['measure'], 1, 1, true, 'Median of a measure over the members of the period.'),
    fn('percentile', ['measure', 'p'], 2, 2, true, 'The p-th percentile (0 to 100) of a measure over the members of the period.'),
    fn('safe_ratio', ['numerator', 'denominator'], 2, 2, false, 'numerator / denominator, or no value (not an error) when the denominator is zero.')
].map(f => [f.name, f]));

/** How a metric combines over members and days when no function says otherwise. */
export const AGGREGATIONS: ReadonlyMap<string, string> = new Map([
    ['sum', 'Add the values up (additive measures: calls, seconds, revenue).'],
    ['avg', 'Take the mean (non-additive measures such as a headcount snapshot).'],
    ['min', 'Take the smallest value.'],
    ['max', 'Take the largest value.'],
    ['last', 'Take the latest value in the period (balances, headcount at month end).'],
    ['median', 'Take the median.']
]);
