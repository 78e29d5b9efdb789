/**
 * Formula evaluation: walks a formula's expression tree (never evaluated as code) in a context
 * of period, span and scope, following the KPIs it uses, and gives its value in base units
 * (seconds, ratio, the currency) or a `Null` with the reason.
 */
import type { ExpressionNode, Kpi } from '../model.js';
import { DIMENSIONS } from './data.js';
import type { MetricData } from './metric-data.js';
import type { Context, Filter } from './scope.js';
import type { UnitTable } from './units.js';
import { nearlyEqual } from '@kra-lang/semantics';
import { aggregate, finite, isNull, Null, percentile, type Value } from './values.js';
import { applyWindow } from './windows.js';

type Call = Extract<ExpressionNode, { kind: 'call' }>;

/**
 * How deep formulas are followed, through the KPIs they use, before a value is given up as
 * too deeply nested: far beyond real formulas, well within the stack.
 */
const MAX_EVALUATION_DEPTH = 1000;
/** How many KPIs deep a formula is followed through the KPIs it uses. */
const MAX_KPI_CHAIN = 50;

export class FormulaEvaluator {
    private readonly kpis: Map<string, Kpi>;
    private readonly metricsOfMemo = new Map<ExpressionNode, Set<string>>();
    /** How deep `evaluate` is nested now. */
    private depth = 0;

    constructor(
        kpis: readonly Kpi[],
        private readonly units: UnitTable,
        private readonly data: MetricData,
        private readonly fiscalStart: number
    ) {
        this.kpis = new Map(kpis.map(kpi => [kpi.id, kpi]));
    }

    /** A formula's value in base units (seconds, ratio, the currency) in a context. */
    evaluate(node: ExpressionNode, context: Context): Value {
        // Formulas are bounded by the language's limits, but KPIs that use KPIs chain them.
        if (this.depth >= MAX_EVALUATION_DEPTH) {
            return new Null(`the formula is nested too deeply through the KPIs it uses (${context.stack[0]} → … → ${context.stack[context.stack.length - 1]}): more than ${MAX_EVALUATION_DEPTH} levels`);
        }
        this.depth++;
        try {
            return this.evaluateNode(node, context);
        } finally {
            this.depth--;
        }
    }

    /** Metrics a formula reads, through the KPIs it references (as deep as evaluation goes). */
    metricsOf(node: ExpressionNode): Set<string> {
        const memo = this.metricsOfMemo.get(node);
        if (memo) {
            return memo;
        }
        const found = new Set<string>();
        const seen = new Set<string>();
        // Without recursion: KPIs that use KPIs can chain far.
        const pending: Array<{ node: ExpressionNode; depth: number }> = [{ node, depth: 0 }];
        while (pending.length > 0) {
            const { node: current, depth } = pending.pop()!;
            const push = (...nodes: ExpressionNode[]) => nodes.reverse().forEach(next => pending.push({ node: next, depth: depth + 1 }));
            if (depth >= MAX_EVALUATION_DEPTH) {
                continue;
            }
            switch (current.kind) {
                case 'metric':
                    found.add(current.id);
                    break;
                case 'kpi': {
                    const kpi = this.kpis.get(current.id);
                    if (kpi?.formula && !seen.has(current.id)) {
                        seen.add(current.id);
                        push(kpi.formula.tree);
                    }
                    break;
                }
                case 'number':
                    break;
                case 'negate':
                    push(current.operand);
                    break;
                case 'binary':
                    push(current.left, current.right);
                    break;
                case 'call':
                    push(...current.args);
                    break;
                case 'if':
                    push(current.condition.left, current.condition.right, current.then, current.else);
                    break;
                case 'window':
                    push(current.expression);
                    break;
            }
        }
        this.metricsOfMemo.set(node, found);
        return found;
    }

    private evaluateNode(node: ExpressionNode, context: Context): Value {
        switch (node.kind) {
            case 'number': {
                const factor = this.units.factor(node.unit);
                return isNull(factor) ? factor : node.value * factor;
            }
            case 'metric':
                return this.data.value(node.id, context);
            case 'kpi': {
                if (context.stack.includes(node.id)) {
                    return new Null(`cycle: ${[...context.stack, node.id].join(' → ')}`);
                }
                if (context.stack.length >= MAX_KPI_CHAIN) {
                    return new Null(`KPIs use KPIs more than ${MAX_KPI_CHAIN} deep (${context.stack[0]} → … → ${node.id})`);
                }
                const kpi = this.kpis.get(node.id);
                if (!kpi?.formula) {
                    return new Null(kpi ? `${node.id} has no formula` : `unknown KPI ${node.id}`);
                }
                return this.evaluate(kpi.formula.tree, { ...context, stack: [...context.stack, node.id] });
            }
            case 'negate': {
                const operand = this.evaluate(node.operand, context);
                return isNull(operand) ? operand : -operand;
            }
            case 'binary':
                return this.binary(node, context);
            case 'call':
                return this.call(node, context);
            case 'if': {
                const { operator, left, right } = node.condition;
                if (left.resolvedUnit && right.resolvedUnit && !this.units.compatibleNames(left.resolvedUnit, right.resolvedUnit)) {
                    return new Null(`unit mismatch: the condition compares ${left.resolvedUnit} with ${right.resolvedUnit}`);
                }
                if (node.resolvedUnit === null && node.then.resolvedUnit && node.else.resolvedUnit) {
                    return new Null(`unit mismatch: the branches give ${node.then.resolvedUnit} and ${node.else.resolvedUnit}`);
                }
                const a = this.evaluate(left, context);
                if (isNull(a)) {
                    return a;
                }
                const b = this.evaluate(right, context);
                if (isNull(b)) {
                    return b;
                }
                return this.evaluate(compare(operator, a, b) ? node.then : node.else, context);
            }
            case 'window': {
                const windowed = applyWindow(node.window, context, this.fiscalStart);
                return isNull(windowed) ? windowed : this.evaluate(node.expression, windowed);
            }
        }
    }

    private binary(node: Extract<ExpressionNode, { kind: 'binary' }>, context: Context): Value {
        if ((node.operator === '+' || node.operator === '-') && node.resolvedUnit === null && node.left.resolvedUnit && node.right.resolvedUnit) {
            // Unit inference gives no unit to a sum of units that do not mix.
            return new Null(`unit mismatch: ${node.operator === '+' ? 'adds' : 'subtracts'} ${node.left.resolvedUnit} and ${node.right.resolvedUnit}`);
        }
        const left = this.evaluate(node.left, context);
        if (isNull(left)) {
            return left;
        }
        const right = this.evaluate(node.right, context);
        if (isNull(right)) {
            return right;
        }
        switch (node.operator) {
            case '+': return finite(left + right);
            case '-': return finite(left - right);
            case '*': return finite(left * right);
            case '/': return right === 0 ? new Null('division by zero') : finite(left / right);
        }
    }

    private call(node: Call, context: Context): Value {
        const args = node.args;
        switch (node.function) {
            case 'safe_ratio': {
                if (args.length !== 2) {
                    return new Null('safe_ratio takes two arguments');
                }
                const numerator = this.evaluate(args[0], context);
                if (isNull(numerator)) {
                    return numerator;
                }
                const denominator = this.evaluate(args[1], context);
                if (isNull(denominator)) {
                    return denominator;
                }
                return denominator === 0 ? new Null('zero denominator') : finite(numerator / denominator);
            }
            case 'min':
            case 'max':
                if (args.length >= 2) {
                    if (node.resolvedUnit === null && args.every(arg => arg.resolvedUnit)) {
                        return new Null(`unit mismatch: ${node.function}() compares ${args.map(arg => arg.resolvedUnit).join(', ')}`);
                    }
                    const values: number[] = [];
                    for (const arg of args) {
                        const value = this.evaluate(arg, context);
                        if (isNull(value)) {
                            return value;
                        }
                        values.push(value);
                    }
                    return node.function === 'min' ? Math.min(...values) : Math.max(...values);
                }
                return this.overMembers(node, context);
            case 'sum':
            case 'avg':
            case 'count':
            case 'median':
            case 'percentile':
                return this.overMembers(node, context);
            default:
                return new Null(`unknown function ${node.function}()`);
        }
    }

    /**
     * sum/avg/min/max/median/percentile/count of a measure over members: the argument is
     * evaluated for each member of the finest dimension its data has in the current scope, then
     * aggregated. A member whose value is missing data because the data leaves a cell empty
     * makes the result missing data; members without a value for other reasons (no rows in the
     * range, a zero denominator) are skipped, as SQL does. With no dimension, the scope itself
     * is the one member.
     */
    private overMembers(node: Call, context: Context): Value {
        const [argument, pArgument] = node.args;
        if (!argument) {
            return new Null(`${node.function}() needs an argument`);
        }
        let p = 0;
        if (node.function === 'percentile') {
            if (!pArgument) {
                return new Null('percentile() needs a percentile between 0 and 100');
            }
            const value = pArgument.kind === 'number' && pArgument.unit === 'percent' ? pArgument.value : this.evaluate(pArgument, context);
            if (isNull(value)) {
                return value;
            }
            if (value < 0 || value > 100) {
                return new Null(`percentile ${value} is not between 0 and 100`);
            }
            p = value;
        }
        const metrics = this.metricsOf(argument);
        const dimension = DIMENSIONS.find(candidate => context.filter[candidate] === undefined && [...metrics].every(metric => this.data.hasDimension(metric, candidate)));
        const scopes: Filter[] = dimension
            ? this.data.members(dimension, metrics, context.range, context.filter).map(member => ({ ...context.filter, [dimension]: member }))
            : [context.filter];
        const values: number[] = [];
        let firstMissing: Null | undefined;
        for (const filter of scopes) {
            const value = this.evaluate(argument, { ...context, filter });
            if (isNull(value) && value.emptyCell) {
                return value;
            }
            if (isNull(value)) {
                firstMissing ??= value;
            } else {
                values.push(value);
            }
        }
        if (node.function === 'count') {
            return values.length;
        }
        if (values.length === 0) {
            return firstMissing ?? new Null(`no members to ${node.function}() over`);
        }
        if (node.function === 'percentile') {
            return finite(percentile(values, p));
        }
        const aggregated = aggregate(node.function, values);
        return isNull(aggregated) ? aggregated : finite(aggregated);
    }
}

function compare(operator: '>' | '>=' | '<' | '<=' | '=' | '!=', a: number, b: number): boolean {
    switch (operator) {
        case '>': return a > b;
        case '>=': return a >= b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '=': return nearlyEqual(a, b);
        case '!=': return !nearlyEqual(a, b);
    }
}
