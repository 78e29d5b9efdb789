/**
 * Unit inference over the syntax tree. The unit algebra itself (what units are, how they
 * combine, which mix) is the semantics kernel's (`@kra-lang/semantics`, units/); this file only
 * walks formulas and declarations and hands their units to it.
 */
import type { AstNode } from 'langium';
import {
    FORMULA_FUNCTIONS, NUMBER, perUnit, productUnit, quotientUnit, sameUnit, statableIn, unitOf, unitText, unitType, unitTypeText, UNKNOWN,
    type CompoundUnit, type UnitDefinition, type UnitOutcome, type UnitType
} from '@kra-lang/semantics';
import {
    isBinaryExpression, isFunctionCall, isIfExpression, isKpi, isMeasureRef, isMetric, isNegatedExpression,
    isNumberLiteral, isVariant, isWindowedExpression,
    type Expression, type Kpi, type Predicate, type Unit, type Variant
} from '../generated/ast.js';
import { comparisons } from './predicates.js';

/** A declared unit reduced to its base, as the kernel takes it. */
export type ResolvedUnit = UnitDefinition;

/** Follows `= factor base` to the base unit. Undefined for a broken or circular definition. */
export function resolveUnit(unit: Unit | undefined): ResolvedUnit | undefined {
    if (!unit) {
        return undefined;
    }
    let factor = 1;
    const seen = new Set<Unit>();
    for (let current: Unit | undefined = unit; current; current = current.base?.ref) {
        if (seen.has(current)) {
            return undefined;
        }
        seen.add(current);
        if (!current.base) {
            return { id: unit.name, base: current.name, kind: current.kind ?? current.name, factor, symbol: unit.symbol ?? null };
        }
        factor *= current.factor ?? 1;
    }
    return undefined;
}

/**
 * The unit a KPI or variant states (`unit seconds`, `unit USD per h`): its own, else (for a
 * variant) its KPI's. Undefined when it states none, or one that does not resolve.
 */
export function declaredUnit(measure: Kpi | Variant): CompoundUnit | undefined {
    const own = definitionUnit(measure);
    if (own || !isVariant(measure) || measure.unit) {
        return own;
    }
    return definitionUnit(measure.$container);
}

function definitionUnit(measure: Kpi | Variant): CompoundUnit | undefined {
    const unit = resolveUnit(measure.unit?.ref);
    if (!unit) {
        return undefined;
    }
    if (!measure.perUnit) {
        return unitOf(unit);
    }
    const per = resolveUnit(measure.perUnit.ref);
    return per ? perUnit(unit, per) : undefined;
}

/** A problem found while working out units: the operand node and what is wrong. */
export interface UnitProblem {
    readonly node: AstNode;
    readonly message: string;
}

/**
 * How many KPIs without a unit of their own are followed, each into the next one's formula, to
 * find a KPI's unit; past that it is unknown. Real chains are a few KPIs long.
 */
const MAX_KPI_CHAIN = 50;
/** How deep formulas are followed, through the KPIs they use: far beyond real ones, well within the stack. */
const MAX_INFERENCE_DEPTH = 1000;

/**
 * Works out the unit of formulas with the kernel's rules, and collects the operands whose units
 * do not mix. Results are memoised per inference run.
 */
export class UnitInference {

    private readonly memo = new Map<AstNode, UnitType>();
    private readonly inProgress = new Set<AstNode>();
    /** How deep `infer` is nested now. */
    private depth = 0;
    readonly problems: UnitProblem[] = [];

    /** The unit a KPI or variant states: its own `unit`, else (for a variant) its KPI's. */
    declaredUnit(measure: Kpi | Variant): CompoundUnit | undefined {
        return declaredUnit(measure);
    }

    /** The unit a KPI yields: its declared unit, or else its formula's. */
    kpiUnit(kpi: Kpi): UnitType {
        const declared = declaredUnit(kpi);
        if (declared) {
            return unitType(declared);
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
            return unit ? unitType(unitOf(unit)) : UNKNOWN;
        }
        if (isMeasureRef(expression)) {
            const target = expression.measure.ref;
            if (isMetric(target)) {
                const unit = resolveUnit(target.unit?.ref);
                return unit ? unitType(unitOf(unit)) : UNKNOWN;
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
            this.checkComparisons(expression.condition);
            const branches = [expression.whenTrue, expression.whenFalse];
            return this.outcome(sameUnit(branches.map(branch => this.inferPart(branch)), 'gives'), branches);
        }
        if (isFunctionCall(expression)) {
            this.checkComparisons(expression.filter);
            const fn = FORMULA_FUNCTIONS.get(expression.function);
            const types = expression.args.map(arg => this.infer(arg));
            return fn ? this.outcome(fn.unit(types), expression.args) : UNKNOWN;
        }
        if (isBinaryExpression(expression)) {
            const operands = [expression.left, expression.right];
            const [left, right] = operands.map(operand => this.inferPart(operand));
            switch (expression.operator) {
                case '+':
                case '-':
                    return this.outcome(sameUnit([left, right], expression.operator === '+' ? 'adds' : 'subtracts'), operands);
                case '*':
                    return this.outcome(productUnit(left, right), operands);
                case '/':
                    return this.outcome(quotientUnit(left, right), operands);
            }
        }
        return UNKNOWN;
    }

    /** Each comparison of a condition (an `if`'s, a `where`'s) compares two values in one unit. */
    private checkComparisons(predicate: Predicate | undefined): void {
        for (const { left, right } of comparisons(predicate)) {
            this.outcome(sameUnit([this.inferPart(left), this.inferPart(right)], 'compares'), [left, right]);
        }
    }

    private inferPart(expression: Expression | undefined): UnitType {
        return expression ? this.infer(expression) : UNKNOWN;
    }

    private outcome(outcome: UnitOutcome, operands: ReadonlyArray<Expression | undefined>): UnitType {
        const node = outcome.problem && operands[outcome.problem.operand];
        if (outcome.problem && node) {
            this.problems.push({ node, message: outcome.problem.message });
        }
        return outcome.type;
    }
}

/** Whether `node` is `ancestor` or inside it. */
export function isWithin(node: AstNode, ancestor: AstNode): boolean {
    for (let current: AstNode | undefined = node; current; current = current.$container) {
        if (current === ancestor) {
            return true;
        }
    }
    return false;
}

/** A KPI's or variant's formula, unit-wise: what it gives, and what is wrong with it. */
export interface FormulaUnits {
    /** The unit the formula gives. */
    readonly inferred: UnitType;
    /** The unit the KPI or variant states (its KPI's for a variant without one). */
    readonly declared: CompoundUnit | undefined;
    /** Operands inside this formula whose units do not mix (those of KPIs it uses are theirs). */
    readonly problems: readonly UnitProblem[];
    /** False when the formula gives a unit the declared one cannot state (`USD per hours` in `USD`). */
    readonly statable: boolean;
}

/**
 * The one unit check of a formula: the units/mismatch rule reports what it finds, the compiler
 * writes it into the model as the formula's `unitProblem`, and the evaluator refuses exactly
 * those formulas, so that whatever `kra check` accepts, `kra eval` computes.
 */
export function formulaUnits(definition: Kpi | Variant, formula: Expression, inference = new UnitInference()): FormulaUnits {
    const inferred = inference.infer(formula);
    const declared = declaredUnit(definition);
    const seen = new Set<AstNode>();
    const problems = inference.problems.filter(problem => {
        if (seen.has(problem.node) || !isWithin(problem.node, formula)) {
            return false;
        }
        seen.add(problem.node);
        return true;
    });
    return { inferred, declared, problems, statable: !declared || statableIn(inferred, declared) };
}

/** What `formulaUnits` found, in one sentence for the compiled model; null when nothing is wrong. */
export function formulaUnitProblem(units: FormulaUnits): string | null {
    if (units.problems.length > 0) {
        return `the formula ${units.problems[0].message}`;
    }
    if (!units.statable && units.declared) {
        return `the formula gives ${unitTypeText(units.inferred)}, which cannot be stated in ${unitText(units.declared)}, the KPI's unit`;
    }
    return null;
}
