import type { Kpi, Kra } from '../../../generated/ast.js';
import { declarableText, isRatioUnit, singleUnit, type CompoundUnit } from '@kra-lang/semantics';
import { UnitInference } from '../../../formulas/units.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise } from '../../support/text.js';

/**
 * The unit to suggest for a formula's result. A unit of factor 1 is its own base, which is
 * named in full (`seconds`, not its symbol `s`); a multiple keeps the name it was written with.
 */
function unitName(unit: CompoundUnit): string | undefined {
    const single = singleUnit(unit);
    if (single) {
        return single.factor === 1 ? single.base : single.id;
    }
    // A share of counts (resolved issues over issues) reads best as a ratio, shown in %.
    return isRatioUnit(unit) ? 'ratio' : declarableText(unit);
}

function checkKpi(kpi: Kpi, context: RuleContext): void {
    const what = () => capitalise(describe(kpi));
    if (!kpi.formula) {
        context.report({
            node: kpi,
            property: 'name',
            message: `${what()} has no formula, so nobody can compute it the same way twice. `
                + 'Add a `formula` over metrics or other KPIs, e.g. `formula safe_ratio(resolved_first_contact, issues_raised)`.'
        });
    }
    if (!kpi.unit) {
        // Without a declared unit, the KPI's unit is its formula's (guarded against cycles).
        const inferred = new UnitInference().kpiUnit(kpi);
        const unit = inferred.type === 'unit' ? unitName(inferred.unit) : undefined;
        if (inferred.type === 'unit' && unit) {
            const percent = unit === 'ratio' ? '; `unit %` shows it as a percent' : '';
            context.report({
                node: kpi,
                property: 'name',
                message: `${what()} has no unit, so its targets and thresholds cannot be read or checked. Add \`unit ${unit}\` (the formula gives ${unit}${percent}).`,
                data: { suggestedUnit: unit }
            });
        } else {
            context.report({
                node: kpi,
                property: 'name',
                message: `${what()} has no unit, so its targets and thresholds cannot be read or checked. `
                    + 'Add the unit of its result, e.g. `unit %` for a share, `unit seconds` for a duration, `unit USD` for money, `unit count` for a number of things.'
            });
        }
    }
}

function checkKra(kra: Kra, context: RuleContext): void {
    // An unresolved `measured by` is reported as such; the KRA still means to have a KPI.
    if (kra.kpis.length === 0 && kra.measuredBy.length === 0) {
        context.report({
            node: kra,
            property: 'name',
            message: `${capitalise(describe(kra))} has no KPI, so it cannot be measured or appraised. `
                + 'Add a `kpi` inside it (`kpi fcr "First contact resolution" { … }`), or use one declared elsewhere: `measured by operations.service.fcr weighted 50%`.'
        });
    }
}

export const measurable = defineRule({
    id: 'smart/measurable',
    summary: 'A KPI lacks a formula or a unit, or a KRA has no KPI to measure it.',
    severity: 'error',
    category: 'fast',
    local: true,
    fix: 'automatic',
    checks: {
        Kpi: checkKpi,
        Kra: checkKra
    }
});
