import type { AstNode } from 'langium';
import {
    isBinaryExpression, isFunctionCall, isIfExpression, isKpi, isMeasureRef, isMetric, isNegatedExpression,
    isNumberLiteral, isVariant, isWindowedExpression,
    type Expression, type Kpi, type Unit, type Variant
} from '../generated/ast.js';

/**
 * A unit reduced to its base: `minutes` is 60 × `seconds`; `percent` is 0.01 × `ratio`.
 * Values convert between units of one base by their factors.
 */
export interface ResolvedUnit {
    /** The unit's id (`minutes`, `percent`). */
    readonly name: string;
    /** The base unit's name (`seconds`, `ratio`, `USD`). */
    readonly base: string;
    /** What the base measures: `count`, `ratio`, `score`, `time`, `currency` or a declared kind. */
    readonly kind: string;
    /** How many base units one of this unit is. */
    readonly factor: number;
}

/** What a formula yields, unit-wise. */
export type UnitType =
    | { readonly type: 'unknown' }
    | { readonly type: 'number' }
    | { readonly type: 'unit'; readonly unit: ResolvedUnit }
    | { readonly type: 'per'; readonly numerator: ResolvedUnit; readonly denominator: ResolvedUnit };

export const UNKNOWN: UnitType = { type: 'unknown' };
export const NUMBER: UnitType = { type: 'number' };

const RATIO: ResolvedUnit = { name: 'ratio', base: 'ratio', kind: 'ratio', factor: 1 };
const COUNT: ResolvedUnit = { name: 'count', base: 'count', kind: 'count', factor: 1 };

/** Follows `= factor base` to the base unit. Undefined for a broken or circular definition. */
export function resolveUnit(unit: Unit | undefined): ResolvedUnit | undefined {
    if (!unit) {
        return undefined;
    }
    const name = unit.name;
    let factor = 1;
    const seen = new Set<Unit>();
    for (let current: Unit | undefined = unit; current; current = current.base?.ref) {
        if (seen.has(current)) {
            return undefined;
        }
        seen.add(current);
        if (!current.base) {
            return { name, base: current.name, kind: current.kind ?? current.name, factor };
        }
        factor *= current.factor ?? 1;
    }
    return undefined;
}

export function unitLabel(type: UnitType): string {
    switch (type.type) {
        case 'unknown': return 'unknown';
        case 'number': return 'a plain number';
        case 'unit': return type.unit.name;
        case 'per': return `${type.numerator.name} per ${type.denominator.name}`;
    }
}

/** A problem found while working out units: the operand node and what is wrong. */
export interface UnitProblem {
    readonly node: AstNode;
    readonly message: string;
}

/** Units without a dimension of their own: they scale or count, and drop out of a product. */
function isDimensionless(unit: ResolvedUnit): boolean {
    return unit.kind === 'ratio' || unit.kind === 'score' || unit.kind === 'count';
}

/** Whether values of the two units can be added, compared or stated for one another. */
export function compatible(a: ResolvedUnit, b: ResolvedUnit): boolean {
    if (a.base === b.base) {
        return true;
    }
    // The generic `count` stands for any count: `unit calls is count` mixes with it.
    if ((a.base === 'count' && b.kind === 'count') || (b.base === 'count' && a.kind === 'count')) {
        return true;
    }
    // A score (NPS, an index) is a free-scale number: any ratio can be stated as one.
    return (a.kind === 'score' && b.kind === 'ratio') || (a.kind === 'ratio' && b.kind === 'score');
}

/**
 * How many KPIs without a unit of their own are followed, each into the next one's formula, to
 * find a KPI's unit; past that it is unknown. Real chains are a few KPIs long.
 */
const MAX_KPI_CHAIN = 50;
/** How deep formulas are followed, through the KPIs they use: far beyond real ones, well within the stack. */
const MAX_INFERENCE_DEPTH = 1000;

/**
 * Works out the unit of formulas. Counts drop out of a division (`seconds / calls` is seconds
 * per call, stated in seconds); a quantity over the same base is a ratio; other quotients stay
 * compound (`USD per hours`). Results are memoised per inference run.
 */
export class UnitInference {

    private readonly memo = new Map<AstNode, UnitType>();
    private readonly inProgress = new Set<AstNode>();
    /** How deep `infer` is nested now. */
    private depth = 0;
    readonly problems: UnitProblem[] = [];

    /** The unit a KPI or variant states: its own `unit`, else (for a variant) its KPI's. */
    declaredUnit(measure: Kpi | Variant): ResolvedUnit | undefined {
        const own = resolveUnit(measure.unit?.ref);
        if (own || !isVariant(measure)) {
            return own;
        }
        return resolveUnit(measure.$container.unit?.ref);
    }

    /** The unit a KPI yields: its declared unit, or else its formula's. */
    kpiUnit(kpi: Kpi): UnitType {
        const declared = this.declaredUnit(kpi);
        if (declared) {
            return { type: 'unit', unit: declared };
        }
        if (!kpi.formula || this.inProgress.has(kpi)) {
            return UNKNOWN;
        }
        if (this.inProgress.size >= MAX_KPI_CHAIN) {
            // A chain of KPIs without units, each taking its unit from the next one's formula:
            // following it further would risk the stack and take quadratic time.
            return UNKNOWN;
        }
        this.inProgress.add(kpi);
        try {
            return this.infer(kpi.formula);
        } finally {
            this.inProgress.delete(kpi);
        }
    }

    infer(expression: Expression): UnitType {
        const cached = this.memo.get(expression);
        if (cached) {
            return cached;
        }
        if (this.depth >= MAX_INFERENCE_DEPTH) {
            // Formulas are bounded by the language's limits, but KPIs that use KPIs chain them.
            return UNKNOWN;
        }
        this.depth++;
        try {
            const result = this.compute(expression);
            this.memo.set(expression, result);
            return result;
        } finally {
            this.depth--;
        }
    }

    private compute(expression: Expression): UnitType {
        if (isNumberLiteral(expression)) {
            if (!expression.unit) {
                return NUMBER;
            }
            const unit = resolveUnit(expression.unit.ref);
            return unit ? { type: 'unit', unit } : UNKNOWN;
        }
        if (isMeasureRef(expression)) {
            const target = expression.measure.ref;
            if (isMetric(target)) {
                const unit = resolveUnit(target.unit?.ref);
                return unit ? { type: 'unit', unit } : UNKNOWN;
            }
            return isKpi(target) ? this.kpiUnit(target) : UNKNOWN;
        }
        if (isNegatedExpression(expression)) {
            return this.infer(expression.operand);
        }
        if (isWindowedExpression(expression)) {
            return this.infer(expression.expression);
        }
        if (isIfExpression(expression)) {
            const whenTrue = this.infer(expression.whenTrue);
            const whenFalse = this.infer(expression.whenFalse);
            if (expression.condition) {
                this.checkComparable(expression.condition.left, expression.condition.right, 'compares');
            }
            return this.sum(whenTrue, whenFalse, expression.whenFalse, 'gives');
        }
        if (isFunctionCall(expression)) {
            return this.call(expression.function, expression.args);
        }
        if (isBinaryExpression(expression)) {
            const left = this.infer(expression.left);
            const right = this.infer(expression.right);
            switch (expression.operator) {
                case '+':
                case '-':
                    return this.sum(left, right, expression.right, expression.operator === '+' ? 'adds' : 'subtracts');
                case '*':
                    return this.product(left, right);
                case '/':
                    return this.quotient(left, right);
            }
        }
        return UNKNOWN;
    }

    private call(name: string, args: Expression[]): UnitType {
        const types = args.map(arg => this.infer(arg));
        switch (name) {
            case 'count':
                return { type: 'unit', unit: COUNT };
            case 'safe_ratio':
                return types.length === 2 ? this.quotient(types[0], types[1]) : UNKNOWN;
            case 'min':
            case 'max':
                return types.slice(1).reduce((result, type, index) => this.sum(result, type, args[index + 1], 'compares'), types[0] ?? UNKNOWN);
            case 'sum':
            case 'avg':
            case 'median':
            case 'percentile':
                return types[0] ?? UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    private checkComparable(left: Expression, right: Expression, verb: string): void {
        this.sum(this.infer(left), this.infer(right), right, verb);
    }

    /** `a + b`, `a - b`, comparisons and branches: both sides in one unit. */
    private sum(left: UnitType, right: UnitType, rightNode: AstNode, verb: string): UnitType {
        if (left.type === 'unknown' || right.type === 'unknown') {
            return left.type === 'unknown' ? right : left;
        }
        if (left.type === 'number') {
            return right;
        }
        if (right.type === 'number') {
            return left;
        }
        if (left.type === 'unit' && right.type === 'unit') {
            if (compatible(left.unit, right.unit)) {
                return left;
            }
        } else if (left.type === 'per' && right.type === 'per'
            && compatible(left.numerator, right.numerator) && compatible(left.denominator, right.denominator)) {
            return left;
        }
        this.problems.push({
            node: rightNode,
            message: `${verb} ${unitLabel(left)} and ${unitLabel(right)}, which do not mix`
        });
        return UNKNOWN;
    }

    private product(left: UnitType, right: UnitType): UnitType {
        if (left.type === 'number' || (left.type === 'unit' && isDimensionless(left.unit))) {
            return right.type === 'number' ? left : right;
        }
        if (right.type === 'number' || (right.type === 'unit' && isDimensionless(right.unit))) {
            return left;
        }
        return UNKNOWN;
    }

    private quotient(left: UnitType, right: UnitType): UnitType {
        if (left.type === 'unknown' || right.type === 'unknown') {
            return UNKNOWN;
        }
        if (right.type === 'number') {
            return left;
        }
        if (left.type === 'number') {
            return UNKNOWN;
        }
        if (left.type === 'unit' && right.type === 'unit') {
            if (compatible(left.unit, right.unit)) {
                return { type: 'unit', unit: RATIO };
            }
            if (right.unit.kind === 'count' || right.unit.kind === 'ratio' || right.unit.kind === 'score') {
                return left; // seconds per call is stated in seconds
            }
            return { type: 'per', numerator: left.unit, denominator: right.unit };
        }
        return UNKNOWN;
    }
}
