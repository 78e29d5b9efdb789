import { CHANGE_BASIS_OF_KEYWORD, CHANGE_BASIS_WORDS, compatibleUnits, declarableText, unitOf, unitText, type CompoundUnit } from '@kra-lang/semantics';
import { isChange, isVariant, type Expression, type Variant } from '../../../generated/ast.js';
import { formulaUnits, resolveUnit, UnitInference } from '../../../formulas/units.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';
import { expressionRange, statedUnit, statedValues, textOf, type Definition } from './quantities.js';

/** How a message names a unit: as the user would write it after `unit`. */
function named(unit: CompoundUnit): string {
    return `\`${unitText(unit)}\``;
}

function check(definition: Definition, context: RuleContext): void {
    if (definition.formula) {
        checkFormula(definition, definition.formula, context);
    }
    // The unit the KPI's values are stated in, as `kra eval` states them: the declared one, else
    // the one its formula gives (smart/measurable asks for a declared unit).
    const declared = statedUnit(definition);
    const formula = definition.formula ?? (isVariant(definition) ? definition.$container.formula : undefined);
    const inferred = !declared && formula ? new UnitInference().infer(formula) : undefined;
    const stated = declared ?? (inferred?.type === 'unit' ? inferred.unit : undefined);
    if (!stated) {
        return;
    }
    const measuredIn = declared ? `the KPI is measured in ${named(stated)}` : `the KPI's formula gives ${named(stated)} (it declares no unit)`;
    const fix = declared ? 'fix the KPI\'s \'unit\'' : 'declare the KPI\'s \'unit\'';
    for (const { quantity, field } of statedValues(definition)) {
        const resolved = quantity.unit && resolveUnit(quantity.unit.ref);
        const unit = resolved ? unitOf(resolved) : undefined;
        if (unit && !compatibleUnits(unit, stated)) {
            context.report({
                node: quantity,
                message: `${describe(definition)}: the value \`${textOf(quantity)}\` in '${field}' is in ${named(unit)}, but ${measuredIn}. `
                    + `Write it in ${named(stated)} (a plain number is taken in the KPI's unit), or ${fix}.`
            });
        }
    }
    for (const target of definition.targets) {
        const goal = target.goal;
        const resolved = isChange(goal) && goal.unit ? resolveUnit(goal.unit.ref) : undefined;
        // A change in % (or another ratio) is relative to the base value, so it fits any KPI.
        if (isChange(goal) && resolved && resolved.kind !== 'ratio' && !compatibleUnits(unitOf(resolved), stated)) {
            context.report({
                node: goal,
                property: 'unit',
                message: `${describe(definition)}: the target's change \`${textOf(goal)}\` is in ${named(unitOf(resolved))}, but ${measuredIn}. `
                    + `State the change in ${named(stated)}, or as a relative change in %: \`target ${goal.change < 0 ? '-' : '+'}<n>% ${CHANGE_BASIS_WORDS[CHANGE_BASIS_OF_KEYWORD[goal.basis]]}\`.`
            });
        }
    }
    if (isVariant(definition)) {
        checkInherited(definition, stated, context);
    }
}

/**
 * A variant without targets (or thresholds) of its own is appraised on its KPI's, read in the
 * variant's unit: one in a unit the variant is not measured in cannot be met or missed.
 */
function checkInherited(variant: Variant, stated: CompoundUnit, context: RuleContext): void {
    const kpi = variant.$container;
    const inherited = statedValues(kpi).filter(({ field }) => (field === 'target' && variant.targets.length === 0)
        || (field === 'thresholds' && variant.thresholds.length === 0));
    const changes = variant.targets.length > 0 ? [] : kpi.targets.map(target => target.goal).filter(isChange);
    const units = [
        // The texts as written, read from the syntax tree only for a message (a released one is parsed again to read it).
        ...inherited.map(({ quantity, field }) => ({ text: () => textOf(quantity), field, unit: quantity.unit && resolveUnit(quantity.unit.ref) })),
        ...changes.map(goal => ({ text: () => textOf(goal), field: 'target' as const, unit: goal.unit && resolveUnit(goal.unit.ref) }))
            .filter(change => change.unit?.kind !== 'ratio')
    ];
    const wrong = units.find(value => value.unit && !compatibleUnits(unitOf(value.unit), stated));
    if (wrong?.unit) {
        context.report({
            node: variant,
            property: 'name',
            message: `${describe(variant)} takes its KPI's ${wrong.field === 'target' ? 'targets' : 'thresholds'}, and \`${wrong.text()}\` is in ${named(unitOf(wrong.unit))}, but the variant is measured in ${named(stated)}. `
                + `Give the variant its own '${wrong.field === 'target' ? 'target' : 'thresholds'}' in ${named(stated)}, or state the KPI's as plain numbers.`
        });
    }
}

function checkFormula(definition: Definition, formula: Expression, context: RuleContext): void {
    const { inferred: result, declared, problems, statable } = formulaUnits(definition, formula);
    for (const problem of problems) {
        context.report({
            node: problem.node,
            range: expressionRange(problem.node as Expression),
            message: `${describe(definition)}: the formula ${problem.message} (at \`${textOf(problem.node)}\`). `
                + 'Put both sides in one unit: convert one of them (e.g. multiply by a conversion metric), or check that the right metric is referenced.'
        });
    }
    if (!declared || result.type !== 'unit' || statable) {
        return;
    }
    const declarable = declarableText(result.unit);
    const suggestion = declarable === 'ratio' ? 'unit %' : declarable && `unit ${declarable}`;
    context.report({
        node: definition,
        property: definition.unit ? 'unit' : 'formula',
        message: `${describe(definition)}: the formula gives a value in ${named(result.unit)}, but the 'unit' is ${named(declared)}. `
            + (suggestion
                ? `Declare the unit the formula gives (\`${suggestion}\`), or fix the formula so that it gives ${named(declared)}.`
                : `No unit can be declared for ${named(result.unit)}: fix the formula so that it gives ${named(declared)}.`),
        data: suggestion && definition.unit ? { suggestedUnit: suggestion.slice('unit '.length) } : undefined
    });
}

export const mismatch = defineRule({
    id: 'units/mismatch',
    summary: 'A formula mixes units that do not mix, gives a unit the KPI\'s declared unit cannot state (`USD per hours` stated in `USD`, `seconds^2` in `seconds`), or a target, threshold, baseline or benchmark is in a unit the KPI is not measured in.',
    severity: 'error',
    category: 'fast',
    local: true,
    fix: 'suggestion',
    checks: {
        Kpi: check,
        Variant: check
    }
});
