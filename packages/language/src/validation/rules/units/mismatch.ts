import { CHANGE_BASIS_OF_KEYWORD, CHANGE_BASIS_WORDS } from '@kra-lang/semantics';
import type { AstNode } from 'langium';
import { isBinaryExpression, isChange, isFunctionCall, isIfExpression, isWindowedExpression, type Expression } from '../../../generated/ast.js';
import { resolveUnit, UnitInference, type ResolvedUnit } from '../../../formulas/units.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';
import { agrees, expressionRange, isWithin, statedUnit, statedValues, textOf, type Definition } from './quantities.js';

/** How a message names a unit: as the user would write it after `unit`. */
function named(unit: ResolvedUnit): string {
    return `\`${unit.name}\``;
}

function check(definition: Definition, context: RuleContext): void {
    const declared = statedUnit(definition);
    if (definition.formula) {
        checkFormula(definition, definition.formula, declared, context);
    }
    if (!declared) {
        return; // smart/measurable asks for a unit; without one there is nothing to compare with
    }
    for (const { quantity, field } of statedValues(definition)) {
        const unit = quantity.unit && resolveUnit(quantity.unit.ref);
        if (unit && !agrees(unit, declared)) {
            context.report({
                node: quantity,
                message: `${describe(definition)}: the value \`${textOf(quantity)}\` in '${field}' is in ${named(unit)}, but the KPI is measured in ${named(declared)}. `
                    + `Write it in ${named(declared)} (a plain number is taken in the KPI's unit), or fix the KPI's 'unit'.`
            });
        }
    }
    for (const target of definition.targets) {
        const goal = target.goal;
        const unit = isChange(goal) && goal.unit ? resolveUnit(goal.unit.ref) : undefined;
        // A change in % (or another ratio) is relative to the base value, so it fits any KPI.
        if (isChange(goal) && unit && unit.kind !== 'ratio' && !agrees(unit, declared)) {
            context.report({
                node: goal,
                property: 'unit',
                message: `${describe(definition)}: the target's change \`${textOf(goal)}\` is in ${named(unit)}, but the KPI is measured in ${named(declared)}. `
                    + `State the change in ${named(declared)}, or as a relative change in %: \`target ${goal.change < 0 ? '-' : '+'}<n>% ${CHANGE_BASIS_WORDS[CHANGE_BASIS_OF_KEYWORD[goal.basis]]}\`.`
            });
        }
    }
}



function unitOf(node: AstNode | undefined, inference: UnitInference): ResolvedUnit | undefined {
    const type = node && inference.infer(node as Expression);
    return type?.type === 'unit' ? type.unit : undefined;
}

function quotientOfCounts(formula: Expression, inference: UnitInference): boolean {
    if (isIfExpression(formula)) {
        return quotientOfCounts(formula.whenTrue, inference) || quotientOfCounts(formula.whenFalse, inference);
    }
    if (isWindowedExpression(formula)) {
        return quotientOfCounts(formula.expression, inference);
    }
    const [numerator, denominator] = isFunctionCall(formula) && formula.function === 'safe_ratio' ? formula.args
        : isBinaryExpression(formula) && formula.operator === '/' ? [formula.left, formula.right] : [];
    const a = unitOf(numerator, inference);
    const b = unitOf(denominator, inference);
    return !!a && !!b && a.kind === 'count' && b.kind === 'count';
}

function checkFormula(definition: Definition, formula: Expression, declared: ResolvedUnit | undefined, context: RuleContext): void {
    const inference = new UnitInference();
    const result = inference.infer(formula);
    const reported = new Set<AstNode>();
    for (const problem of inference.problems) {
        // Problems inside other KPIs' formulas are theirs to report.
        if (reported.has(problem.node) || !isWithin(problem.node, formula)) {
            continue;
        }
        reported.add(problem.node);
        context.report({
            node: problem.node,
            range: expressionRange(problem.node as Expression),
            message: `${describe(definition)}: the formula ${problem.message} (at \`${textOf(problem.node)}\`). `
                + 'Put both sides in one unit: convert one of them (e.g. multiply by a conversion metric), or check that the right metric is referenced.'
        });
    }
    if (!declared || result.type !== 'unit' || agrees(result.unit, declared)
        || (declared.kind === 'ratio' && quotientOfCounts(formula, inference))) {
        return;
    }
    const suggestion = result.unit.kind === 'ratio' ? '`unit %`' : `\`unit ${result.unit.name}\``;
    context.report({
        node: definition,
        property: definition.unit ? 'unit' : 'formula',
        message: `${describe(definition)}: the formula gives a value in ${named(result.unit)}, but the 'unit' is ${named(declared)}. `
            + `Declare the unit the formula gives (${suggestion}), or fix the formula so that it gives ${named(declared)}.`
    });
}

export const mismatch = defineRule({
    id: 'units/mismatch',
    summary: 'A formula mixes units that do not mix, gives another unit than the KPI declares, or a target, threshold, baseline or benchmark is in a unit the KPI is not measured in.',
    severity: 'error',
    category: 'fast',
    checks: {
        Kpi: check,
        Variant: check
    }
});
