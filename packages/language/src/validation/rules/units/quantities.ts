/**
 * Helpers shared by the units/*, formula/* and targets/* rules: which KPI a definition belongs
 * to, the values a KPI states (targets, thresholds, baseline, benchmark) and where a formula
 * operand sits in the text.
 */
import { AstUtils, type AstNode } from 'langium';
import type { Range } from 'vscode-languageserver-types';
import {
    isBand, isBinaryExpression, isComparison, isKpi,
    type Expression, type Kpi, type Quantity, type Threshold, type Variant
} from '../../../generated/ast.js';
import { compatibleUnits, singleUnit, unitFactor, unitOf, type CompoundUnit } from '@kra-lang/semantics';
import { declaredUnit, resolveUnit } from '../../../formulas/units.js';

/** A KPI or one of its variants: each has its own formula, unit, targets and thresholds. */
export type Definition = Kpi | Variant;

/** The KPI a definition belongs to; a variant takes its direction and the like from it. */
export function kpiOf(definition: Definition): Kpi {
    return isKpi(definition) ? definition : definition.$container;
}

/** The unit a definition states (`unit seconds`, `unit USD per h`): its own, else (for a variant) its KPI's. */
export function statedUnit(definition: Definition): CompoundUnit | undefined {
    return declaredUnit(definition);
}

/** `%` and other hundredths of a ratio. */
export function isPercentUnit(unit: CompoundUnit | undefined): boolean {
    const single = unit && singleUnit(unit);
    return single?.kind === 'ratio' && single.factor === 0.01;
}

/** `ratio` itself: values from 0 to 1. */
export function isWholeRatioUnit(unit: CompoundUnit | undefined): boolean {
    const single = unit && singleUnit(unit);
    return single?.kind === 'ratio' && single.factor === 1;
}

/** A value a definition states, and the field it is written in (as the user writes it). */
export interface StatedValue {
    readonly quantity: Quantity;
    readonly field: 'target' | 'thresholds' | 'baseline' | 'benchmark';
}

/** Every quantity a definition states for the KPI's own values (not weights, not changes). */
export function statedValues(definition: Definition): StatedValue[] {
    const values: StatedValue[] = [];
    if (isKpi(definition)) {
        if (definition.baseline?.value) {
            values.push({ quantity: definition.baseline.value, field: 'baseline' });
        }
        if (definition.benchmark) {
            values.push({ quantity: definition.benchmark, field: 'benchmark' });
        }
    }
    for (const target of definition.targets) {
        const goal = target.goal;
        if (isComparison(goal) && goal.value) {
            values.push({ quantity: goal.value, field: 'target' });
        } else if (isBand(goal)) {
            values.push(...[goal.low, goal.high].filter(Boolean).map(quantity => ({ quantity, field: 'target' as const })));
        }
        // Later stages keep the comparator, so they are values of the same kind; not after a change.
        if (!goal || isComparison(goal) || isBand(goal)) {
            for (const stage of target.stages) {
                if (stage.value) {
                    values.push({ quantity: stage.value, field: 'target' });
                }
            }
        }
    }
    for (const threshold of definition.thresholds) {
        values.push(...thresholdQuantities(threshold).map(quantity => ({ quantity, field: 'thresholds' as const })));
    }
    return values;
}

function thresholdQuantities(threshold: Threshold): Quantity[] {
    const condition = threshold.condition;
    if (isComparison(condition)) {
        return condition.value ? [condition.value] : [];
    }
    if (isBand(condition)) {
        return [condition.low, condition.high].filter(Boolean);
    }
    return [];
}

/**
 * A quantity in the base unit of the KPI's unit (seconds, ratio, USD), so that `6 min` and
 * `360 s` compare. A plain number is in the KPI's unit. Undefined when the units do not mix.
 */
export function baseValue(quantity: Quantity | undefined, kpiUnit: CompoundUnit | undefined): number | undefined {
    if (!quantity || typeof quantity.value !== 'number') {
        return undefined;
    }
    if (!quantity.unit) {
        return quantity.value * (kpiUnit ? unitFactor(kpiUnit) : 1);
    }
    const unit = resolveUnit(quantity.unit.ref);
    if (!unit || (kpiUnit && !compatibleUnits(unitOf(unit), kpiUnit))) {
        return undefined;
    }
    return quantity.value * unit.factor;
}

/** The text as written (`85%`, `at least 360 s`), for messages. */
export function textOf(node: AstNode | undefined): string {
    if (!node) {
        return '';
    }
    if (isBinaryExpression(node)) {
        const range = expressionRange(node);
        const document = AstUtils.getDocument(node);
        return range ? document.textDocument.getText(range).replace(/\s+/g, ' ') : '';
    }
    return node.$cstNode?.text.replace(/\s+/g, ' ') ?? '';
}

/**
 * Where a formula operand is written. Operands of one infix chain (`a + b * c`) share the
 * chain's syntax node, so a binary expression spans from its left operand to its right one.
 */
export function expressionRange(expression: Expression | undefined): Range | undefined {
    if (!expression) {
        return undefined;
    }
    if (isBinaryExpression(expression)) {
        const start = expressionRange(expression.left);
        const end = expressionRange(expression.right);
        return start && end ? { start: start.start, end: end.end } : undefined;
    }
    return expression.$cstNode?.range;
}
