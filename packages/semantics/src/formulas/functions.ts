/**
 * The functions a formula may call. Each carries, in one place, what the editor shows
 * (signature, description), how many arguments it takes, the unit it gives (its unit rule) and
 * how it computes. Validation, completion, hover, signature help, unit inference and the
 * evaluator all read this table.
 */
import { COUNT_UNIT, unitOf } from '../units/units.js';
import { quotientUnit, sameUnit, UNKNOWN, unitType, unitTypeText, type UnitOutcome, type UnitType } from '../units/rules.js';

/** Why a function gives no value: a documented null, never an error. */
export interface NoValue {
    readonly reason: string;
}

export type FunctionValue = number | NoValue;

export function isNoValue(value: FunctionValue): value is NoValue {
    return typeof value !== 'number';
}

export interface FormulaFunction {
    readonly name: string;
    readonly signature: string;
    readonly parameters: readonly string[];
    readonly minArgs: number;
    /** `Infinity` for variadic functions. */
    readonly maxArgs: number;
    readonly description: string;
    /**
     * Aggregates a measure over members (teams, agents, clients) or days of the period. With
     * several arguments, `min` and `max` compare them instead (`combine`).
     */
    readonly aggregates: boolean;
    /** The unit the call gives, from its arguments' units. */
    unit(args: readonly UnitType[]): UnitOutcome;
    /** Combines the arguments' values, for a call that does not aggregate over members. */
    combine?(values: readonly number[]): FunctionValue;
    /**
     * Aggregates the first argument's values over the members, or over the rows that match with
     * `where` (`p` is percentile's second argument). With no members, no value, except for
     * `count`: 0; with no matching row, `whenNoneMatch`.
     */
    aggregate?(values: readonly number[], p: number): FunctionValue;
    /**
     * What an aggregation with `where` gives when no row matches: 0 for `sum` and `count` (no
     * deals worth 1,000 USD is 0 of them); the others have no value then.
     */
    readonly whenNoneMatch?: number;
}

/** How many arguments a function takes, in words: `2 arguments`, `1 to 2 arguments`, `1 or more arguments`. */
export function arityText(fn: FormulaFunction): string {
    const count = fn.maxArgs === Infinity ? `${fn.minArgs} or more` : fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    return `${count} argument${count === '1' ? '' : 's'}`;
}

/** Whether a call aggregates over members (`min(aht)`) or combines its arguments (`min(a, b)`). */
export function aggregatesOverMembers(fn: FormulaFunction, argumentCount: number): boolean {
    return fn.aggregate !== undefined && (fn.combine === undefined || argumentCount < 2);
}

const sumOf = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile with linear interpolation between closest ranks (as spreadsheets' PERCENTILE.INC). */
export function percentile(values: readonly number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

const firstArgument = (args: readonly UnitType[]): UnitOutcome => ({ type: args[0] ?? UNKNOWN });

/** No value over no members. */
const nonEmpty = (name: string, aggregate: (values: readonly number[], p: number) => FunctionValue) =>
    (values: readonly number[], p: number): FunctionValue => values.length === 0 ? { reason: `no members to ${name}() over` } : aggregate(values, p);

/** `min` and `max`: over members with one argument, the extreme of the arguments with several. */
const extreme = (name: 'min' | 'max', pick: (values: readonly number[]) => number, description: string): FormulaFunction => ({
    name, signature: `${name}(value, …values)`, parameters: ['value', '…values'], minArgs: 1, maxArgs: Infinity, aggregates: true, description,
    unit: args => args.length >= 2 ? sameUnit(args, 'compares') : firstArgument(args),
    combine: pick,
    aggregate: nonEmpty(name, pick)
});

const overMembers = (name: string, parameters: string[], description: string, aggregate: (values: readonly number[], p: number) => FunctionValue,
    unit: (args: readonly UnitType[]) => UnitOutcome = firstArgument): FormulaFunction => ({
    name, signature: `${name}(${parameters.join(', ')})`, parameters, minArgs: parameters.length, maxArgs: parameters.length, aggregates: true, description,
    unit, aggregate: name === 'count' ? aggregate : nonEmpty(name, aggregate),
    ...(name === 'sum' || name === 'count' ? { whenNoneMatch: 0 } : {})
});

/** A function of one value that keeps its unit (`abs`, `floor`, `ceil`). */
const scalar = (name: string, description: string, combine: (value: number) => number): FormulaFunction => ({
    name, signature: `${name}(value)`, parameters: ['value'], minArgs: 1, maxArgs: 1, aggregates: false, description,
    unit: firstArgument,
    combine: ([value]) => combine(value)
});

/** The most decimal places `round` takes: past 12, doubles hold no more digits to keep. */
export const MAX_ROUND_DIGITS = 12;

/** `value` rounded to `digits` decimals, halves away from zero (as spreadsheets' ROUND), without binary drift (1.005 → 1.01). */
export function roundHalfAway(value: number, digits: number): number {
    const magnitude = Math.abs(value);
    const shifted = Number(`${Math.round(Number(`${magnitude}e${digits}`))}e-${digits}`);
    const rounded = Number.isFinite(shifted) ? shifted : Math.round(magnitude * 10 ** digits) / 10 ** digits;
    // `|| 0`: no negative zero (-0.1 rounds to 0).
    return Math.sign(value) * rounded || 0;
}

export const FORMULA_FUNCTIONS: ReadonlyMap<string, FormulaFunction> = new Map(([
    overMembers('sum', ['measure'], 'Total of a measure over the members and days of the period.', sumOf),
    overMembers('avg', ['measure'], 'Mean of a measure over the members of the period. For ratios, prefer a ratio of sums.', values => sumOf(values) / values.length),
    extreme('min', values => Math.min(...values), 'With one argument, the smallest value over the members; with several, the smallest of them.'),
    extreme('max', values => Math.max(...values), 'With one argument, the largest value over the members; with several, the largest of them.'),
    overMembers('count', ['measure'], 'Number of members (rows) that have a value for the measure.', values => values.length,
        () => ({ type: unitType(unitOf(COUNT_UNIT)) })),
    overMembers('median', ['measure'], 'Median of a measure over the members of the period.', median),
    overMembers('percentile', ['measure', 'p'], 'The p-th percentile (0 to 100) of a measure over the members of the period.', (values, p) => percentile(values, p)),
    {
        name: 'safe_ratio', signature: 'safe_ratio(numerator, denominator)', parameters: ['numerator', 'denominator'], minArgs: 2, maxArgs: 2, aggregates: false,
        description: 'numerator / denominator, or no value (not an error) when the denominator is zero.',
        unit: (args: readonly UnitType[]) => args.length === 2 ? quotientUnit(args[0], args[1]) : { type: UNKNOWN },
        combine: ([numerator, denominator]: readonly number[]) => denominator === 0 ? { reason: 'zero denominator' } : numerator / denominator
    },
    scalar('abs', 'The value without its sign: abs(forecast - actual) is the size of a miss either way.', Math.abs),
    {
        name: 'round', signature: 'round(value, digits)', parameters: ['value', 'digits'], minArgs: 1, maxArgs: 2, aggregates: false,
        description: `The value rounded to \`digits\` decimal places (0 to ${MAX_ROUND_DIGITS}; 0 when left out), halves away from zero, in the value's base unit: seconds, a ratio (85.34% is 0.8534), the currency.`,
        unit: (args: readonly UnitType[]) => args[1]?.type === 'unit'
            ? { type: UNKNOWN, problem: { operand: 1, message: `rounds to ${unitTypeText(args[1])} digits; the number of decimal places is a plain number` } }
            : firstArgument(args),
        combine: ([value, digits = 0]: readonly number[]) => Number.isInteger(digits) && digits >= 0 && digits <= MAX_ROUND_DIGITS
            ? roundHalfAway(value, digits)
            : { reason: `round() takes 0 to ${MAX_ROUND_DIGITS} decimal places, not ${digits}` }
    },
    scalar('floor', 'The largest whole number at most the value, in its base unit (seconds, a ratio, the currency).', Math.floor),
    scalar('ceil', 'The smallest whole number at least the value, in its base unit (seconds, a ratio, the currency).', Math.ceil),
    {
        name: 'clamp', signature: 'clamp(value, low, high)', parameters: ['value', 'low', 'high'], minArgs: 3, maxArgs: 3, aggregates: false,
        description: 'The value, raised to `low` when below it and lowered to `high` when above it: clamp(attainment, 0%, 150%) caps a payout curve.',
        unit: (args: readonly UnitType[]) => sameUnit(args, 'clamps'),
        combine: ([value, low, high]: readonly number[]) => low > high
            ? { reason: 'clamp() has its low bound above its high bound' }
            : Math.min(Math.max(value, low), high)
    }
] satisfies FormulaFunction[]).map(fn => [fn.name, fn]));

/** How a metric combines over members and days when no function says otherwise (`aggregate by`). */
export interface MetricAggregation {
    readonly name: string;
    readonly description: string;
    /** Combines the values, in the order of the days they belong to; never empty. */
    combine(values: readonly number[]): number;
}

export const METRIC_AGGREGATIONS: ReadonlyMap<string, MetricAggregation> = new Map([
    { name: 'sum', description: 'Add the values up (additive measures: calls, seconds, revenue).', combine: sumOf },
    { name: 'avg', description: 'Take the mean (non-additive measures such as a headcount snapshot).', combine: (values: readonly number[]) => sumOf(values) / values.length },
    { name: 'min', description: 'Take the smallest value.', combine: (values: readonly number[]) => Math.min(...values) },
    { name: 'max', description: 'Take the largest value.', combine: (values: readonly number[]) => Math.max(...values) },
    { name: 'last', description: 'Take the latest value in the period (balances, headcount at month end).', combine: (values: readonly number[]) => values[values.length - 1] },
    { name: 'median', description: 'Take the median.', combine: median }
].map(aggregation => [aggregation.name, aggregation]));
