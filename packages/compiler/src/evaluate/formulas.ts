/**
 * Formula evaluation: walks a formula's expression tree (never evaluated as code) in a context
 * of period, span and scope, following the KPIs it uses, and gives its value in base units
 * (seconds, ratio, the currency) or a `Null` with the reason.
 */
import { comparedExpressions, type ExpressionNode, type Kpi, type PredicateNode } from '../model.js';
import { formulaChildren, kpisIn, visitFormula } from '../formula-graph.js';
import { DIMENSIONS, type Dimension } from './data.js';
import type { MetricData } from './metric-data.js';
import { filterKey, type Context, type Filter } from './scope.js';
import type { UnitTable } from './units.js';
import {
    aggregatesOverMembers, arityText, describePath, findCycles, FORMULA_FUNCTIONS, isNoValue, isoDate, nearlyEqual, stronglyConnectedComponents, type FormulaFunction
} from '@kra-lang/semantics';
import { finite, isNull, Null, type Value } from './values.js';
import { applyWindow } from './windows.js';

type Call = Extract<ExpressionNode, { kind: 'call' }>;

/**
 * How deep a formula is followed, through the KPIs it uses, before a value is given up as too
 * deeply nested: far beyond real formulas, well within the stack.
 */
const MAX_EVALUATION_DEPTH = 1000;
/** How many KPIs deep a formula is followed through the KPIs it uses. */
const MAX_KPI_CHAIN = 50;

/** What is known of a KPI before anything is evaluated: from the graph of KPIs that use KPIs. */
interface KpiShape {
    /** Why the KPI has no value whatever the data: a cycle, or a chain too long or too deep. */
    readonly broken: Null | null;
    /** The longest chain of KPIs from this one (1: it uses none), and the KPI it ends with. */
    readonly chain: number;
    readonly last: string;
    /** How deep its formula nests, through the KPIs it uses. */
    readonly nesting: number;
    /** The metrics it reads, through the KPIs it uses. */
    readonly metrics: ReadonlySet<string>;
}

/**
 * Evaluates formulas. A KPI's value is computed once per period, span and scope and then
 * reused, however many formulas use it: evaluation is linear in the size of the formula graph
 * (`k2 = k1 + k1`, `k3 = k2 + k2`… stays linear, not exponential). Cycles and chains that are
 * too long or too deep are found before evaluation, on the graph of KPIs that use KPIs, so a
 * KPI's value never depends on the path that reached it.
 */
export class FormulaEvaluator {
    private readonly kpis: Map<string, Kpi>;
    private readonly shapes = new Map<string, KpiShape>();
    /** KPI values by KPI, period, span and scope. */
    private readonly values = new Map<string, Value>();
    /** How many KPI values have been computed (not taken from the memo): a seam for tests. */
    computed = 0;

    constructor(
        kpis: readonly Kpi[],
        private readonly units: UnitTable,
        private readonly data: MetricData,
        private readonly fiscalStart: number
    ) {
        this.kpis = new Map(kpis.map(kpi => [kpi.id, kpi]));
        this.analyse();
    }

    /** A formula's value in base units (seconds, ratio, the currency) in a context. */
    evaluate(node: ExpressionNode, context: Context): Value {
        return this.evaluateNode(node, context);
    }

    /** A KPI's value in base units, computed once per context. */
    evaluateKpi(id: string, context: Context): Value {
        const kpi = this.kpis.get(id);
        if (!kpi?.formula) {
            return new Null(kpi ? `${id} has no formula` : `unknown KPI ${id}`);
        }
        const broken = this.shapes.get(id)!.broken;
        if (broken) {
            return broken;
        }
        const key = `${id}\u0000${context.anchor.id}\u0000${context.range.start}\u0000${context.range.end}\u0000${context.range.days ?? ''}\u0000${filterKey(context.filter)}`;
        let value = this.values.get(key);
        if (value === undefined) {
            this.computed++;
            value = this.evaluateNode(kpi.formula.tree, context);
            this.values.set(key, value);
        }
        return value;
    }

    /** Metrics a formula reads, through the KPIs it references. */
    metricsOf(node: ExpressionNode): Set<string> {
        const found = new Set<string>();
        visitFormula(node, current => {
            if (current.kind === 'metric') {
                found.add(current.id);
            } else if (current.kind === 'kpi') {
                this.shapes.get(current.id)?.metrics.forEach(metric => found.add(metric));
            }
        });
        return found;
    }

    /**
     * The shape of every KPI, in one pass over the graph of KPIs that use KPIs: its components
     * come sinks first, so a KPI's successors are known before it. Linear in the graph's size.
     */
    private analyse(): void {
        const uses = new Map<string, string[]>();
        for (const [id, kpi] of this.kpis) {
            uses.set(id, kpi.formula ? kpisIn(kpi.formula.tree).filter(used => this.kpis.has(used)) : []);
        }
        const successors = (id: string) => uses.get(id)!;
        const ids = [...this.kpis.keys()];
        const cycles = new Map<string, string>();
        for (const cycle of findCycles(ids, successors)) {
            const path = cycle.path;
            const position = new Map(path.slice(0, -1).map((id, index) => [id, index]));
            for (const member of cycle.members) {
                const at = position.get(member);
                // Each KPI on the loop names it from itself; one tangled with it names the loop.
                const loop = at === undefined ? path : [...path.slice(at, -1), ...path.slice(0, at), member];
                cycles.set(member, `cycle: ${describePath(loop, 'KPIs')}`);
            }
        }
        for (const component of stronglyConnectedComponents(ids, successors)) {
            for (const id of component) {
                const formula = this.kpis.get(id)!.formula;
                const cycle = cycles.get(id);
                if (cycle) {
                    this.shapes.set(id, { broken: new Null(cycle), chain: 1, last: id, nesting: 1, metrics: new Set(formula ? directMetrics(formula.tree) : []) });
                    continue;
                }
                let chain = 1;
                let last = id;
                const metrics = new Set<string>();
                for (const used of successors(id)) {
                    const shape = this.shapes.get(used)!;
                    if (shape.chain + 1 > chain) {
                        chain = shape.chain + 1;
                        last = shape.last;
                    }
                    shape.metrics.forEach(metric => metrics.add(metric));
                }
                const nesting = formula ? this.nesting(formula.tree) : 1;
                if (formula) {
                    directMetrics(formula.tree).forEach(metric => metrics.add(metric));
                }
                const broken = chain > MAX_KPI_CHAIN
                    ? new Null(`KPIs use KPIs more than ${MAX_KPI_CHAIN} deep (${id} → … → ${last})`)
                    : nesting > MAX_EVALUATION_DEPTH
                        ? new Null(`the formula is nested too deeply through the KPIs it uses (${id} → … → ${last}): more than ${MAX_EVALUATION_DEPTH} levels`)
                        : null;
                this.shapes.set(id, { broken, chain, last, nesting, metrics });
            }
        }
    }

    /** How deep a formula nests, counting the KPIs it uses at their own nesting. */
    private nesting(node: ExpressionNode): number {
        if (node.kind === 'kpi') {
            return 1 + (this.shapes.get(node.id)?.nesting ?? 0);
        }
        let deepest = 0;
        for (const child of formulaChildren(node)) {
            deepest = Math.max(deepest, this.nesting(child));
        }
        return 1 + deepest;
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
                // A KPI whose units do not work has no value where it is used (its own result says why).
                const problem = this.kpis.get(node.id)?.formula?.unitProblem;
                return problem && !this.shapes.get(node.id)?.broken ? new Null(`unit problem in ${node.id}: ${problem}`) : this.evaluateKpi(node.id, context);
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
                const holds = this.holds(node.condition, context);
                return holds instanceof Null ? holds : this.evaluate(holds ? node.then : node.else, context);
            }
            case 'window': {
                const windowed = applyWindow(node.window, context, this.fiscalStart);
                return isNull(windowed) ? windowed : this.evaluate(node.expression, windowed);
            }
        }
    }

    /**
     * Whether a condition holds. Every comparison is evaluated, and one without a value leaves
     * the whole condition without one, whatever `and` or `or` would make of the others: missing
     * data is never decided around (docs/evaluation.md).
     */
    private holds(predicate: PredicateNode, context: Context): boolean | Null {
        switch (predicate.kind) {
            case 'compare': {
                const a = this.evaluate(predicate.left, context);
                if (isNull(a)) {
                    return a;
                }
                const b = this.evaluate(predicate.right, context);
                return isNull(b) ? b : compare(predicate.operator, a, b);
            }
            case 'not': {
                const operand = this.holds(predicate.operand, context);
                return operand instanceof Null ? operand : !operand;
            }
            case 'and':
            case 'or': {
                let result = predicate.kind === 'and';
                for (const operand of predicate.operands) {
                    const holds = this.holds(operand, context);
                    if (holds instanceof Null) {
                        return holds;
                    }
                    result = predicate.kind === 'and' ? result && holds : result || holds;
                }
                return result;
            }
        }
    }

    private binary(node: Extract<ExpressionNode, { kind: 'binary' }>, context: Context): Value {
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

    /** A call, as the kernel's function table says: over members, or combining its arguments. */
    private call(node: Call, context: Context): Value {
        const fn = FORMULA_FUNCTIONS.get(node.function);
        if (!fn) {
            return new Null(`unknown function ${node.function}()`);
        }
        if (aggregatesOverMembers(fn, node.args.length)) {
            const [argument] = node.args;
            if (!argument) {
                return new Null(`${node.function}() needs an argument`);
            }
            const p = this.percentileArgument(node, context);
            if (isNull(p)) {
                return p;
            }
            return node.filter ? this.overRows(node, argument, node.filter, fn, p, context) : this.overMembers(argument, fn, p, context);
        }
        if (node.filter) {
            return new Null(`${node.function}() does not aggregate over rows, so it takes no \`where\``);
        }
        if (!fn.combine || node.args.length < fn.minArgs || node.args.length > fn.maxArgs) {
            return new Null(`${fn.signature} takes ${arityText(fn)}`);
        }
        const values: number[] = [];
        for (const arg of node.args) {
            const value = this.evaluate(arg, context);
            if (isNull(value)) {
                return value;
            }
            values.push(value);
        }
        const result = fn.combine(values);
        return isNoValue(result) ? new Null(result.reason) : finite(result);
    }

    /**
     * sum/avg/min/max/median/percentile/count of a measure over members: the argument is
     * evaluated for each member of the finest dimension its data has in the current scope, then
     * aggregated. A member whose value is missing data because the data leaves a cell empty
     * makes the result missing data; members without a value for other reasons (no rows in the
     * range, a zero denominator) are skipped, as SQL does. With no dimension, the scope itself
     * is the one member.
     */
    private overMembers(argument: ExpressionNode, fn: FormulaFunction, p: number, context: Context): Value {
        const metrics = this.metricsOf(argument);
        const dimension = this.memberDimension(metrics, context.filter);
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
        const aggregated = fn.aggregate!(values, p);
        return isNoValue(aggregated) ? firstMissing ?? new Null(aggregated.reason) : finite(aggregated);
    }

    /**
     * An aggregation with `where` (`count(deal_value where deal_value >= 2000000 USD)`): over
     * rows, not over members aggregated over the period. A row is one member (of the finest
     * dimension the data has, as without `where`) in one data period (the finest grain the data
     * has that tiles the period: the months of a quarter for monthly data). Each row's values
     * are computed first, then the filter keeps the rows it holds for, then the function
     * aggregates their values. A member with no row in a month has no row to keep (not missing
     * data); a row whose filter or value has no value for another reason (a zero denominator, a
     * metric it lacks) is not kept, as SQL's WHERE does; an empty cell in scope is missing data.
     * When no row matches, `sum` and `count` give 0 and the others no value; when the data has
     * no row at all in the period, it is missing data, as for any measure.
     */
    private overRows(node: Call, argument: ExpressionNode, filter: PredicateNode, fn: FormulaFunction, p: number, context: Context): Value {
        const metrics = this.metricsOf(argument);
        comparedExpressions(filter).forEach(part => this.metricsOf(part).forEach(metric => metrics.add(metric)));
        if (metrics.size === 0) {
            return new Null(`${node.function}(… where …) reads no metric, so it has no rows to filter`);
        }
        if (!this.data.hasRows(metrics, context.range, context.filter)) {
            return new Null(`missing data: no row of ${[...metrics].sort().join(', ')} in ${describeRange(context)}`);
        }
        const periods = this.data.rowPeriods(metrics, context.range);
        if (!periods) {
            return new Null(`missing data: the data of ${[...metrics].sort().join(', ')} has no periods that make up ${describeRange(context)}`);
        }
        const dimension = this.memberDimension(metrics, context.filter);
        const values: number[] = [];
        for (const period of periods) {
            const scopes: Filter[] = dimension
                ? this.data.members(dimension, metrics, period, context.filter).map(member => ({ ...context.filter, [dimension]: member }))
                : [context.filter];
            for (const scope of scopes) {
                const row: Context = { anchor: period, range: period, filter: scope };
                const holds = this.holds(filter, row);
                if (isNull(holds) && holds.emptyCell) {
                    return holds;
                }
                if (holds !== true) {
                    continue;
                }
                const value = this.evaluate(argument, row);
                if (isNull(value) && value.emptyCell) {
                    return value;
                }
                if (!isNull(value)) {
                    values.push(value);
                }
            }
        }
        if (values.length === 0) {
            return fn.whenNoneMatch ?? new Null(`no row matches the filter of ${node.function}() in ${describeRange(context)}`);
        }
        const aggregated = fn.aggregate!(values, p);
        return isNoValue(aggregated) ? new Null(aggregated.reason) : finite(aggregated);
    }

    /** The finest dimension every one of the metrics has data by and the scope leaves open: the members a call aggregates over. */
    private memberDimension(metrics: ReadonlySet<string>, filter: Filter): Dimension | undefined {
        return DIMENSIONS.find(candidate => filter[candidate] === undefined && [...metrics].every(metric => this.data.hasDimension(metric, candidate)));
    }

    /** percentile()'s p, from 0 to 100 (its second argument); 0 for the other functions. */
    private percentileArgument(node: Call, context: Context): number | Null {
        if (node.function !== 'percentile') {
            return 0;
        }
        const pArgument = node.args[1];
        if (!pArgument) {
            return new Null('percentile() needs a percentile between 0 and 100');
        }
        const value = pArgument.kind === 'number' && pArgument.unit === 'percent' ? pArgument.value : this.evaluate(pArgument, context);
        if (isNull(value)) {
            return value;
        }
        return value < 0 || value > 100 ? new Null(`percentile ${value} is not between 0 and 100`) : value;
    }
}

/** The period a context is for, or its span of days when a window widened it. */
function describeRange(context: Context): string {
    const { anchor, range } = context;
    return range.start === anchor.start && range.end === anchor.end ? anchor.id : `${isoDate(range.start)} to ${isoDate(range.end)}`;
}

/** The metrics a formula names itself, not through KPIs. */
function directMetrics(node: ExpressionNode): string[] {
    const found: string[] = [];
    visitFormula(node, current => {
        if (current.kind === 'metric') {
            found.push(current.id);
        }
    });
    return found;
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
