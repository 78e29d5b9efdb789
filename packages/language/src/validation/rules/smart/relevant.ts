import type { Kpi, Kra } from '../../../generated/ast.js';
import { AstUtils } from 'langium';
import { isKpi, isKra, isMeasureRef } from '../../../generated/ast.js';
import { krasUsingKpi } from '../../../model/queries.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise } from '../../support/text.js';

function checkKra(kra: Kra, context: RuleContext): void {
    // An `aligns to` that does not resolve is reported as an unresolved reference.
    if (kra.alignsTo) {
        return;
    }
    const objectives = context.services.shared.workspace.IndexManager.allElements('Objective')
        .map(objective => objective.name).toArray()
        .sort((a, b) => a.localeCompare(b, 'en')); // the index's order is the order files finished loading
    const example = objectives.length > 0
        ? `\`aligns to ${objectives[0]}\`${objectives.length > 1 ? ` (objectives in this workspace: ${objectives.slice(0, 5).join(', ')}${objectives.length > 5 ? ', …' : ''})` : ''}`
        : '`aligns to <objective>` (declare the objective first: `objective delight "Delight customers on every contact" { … }`)';
    context.report({
        node: kra,
        property: 'name',
        message: `${capitalise(describe(kra))} aligns to nothing, so nobody can tell which goal of the organisation it serves. `
            + `Add ${example}, or align it to a parent KRA by its qualified name, e.g. \`aligns to operations.service\`.`
    });
}

/** Whether a formula uses the KPI: a KPI that feeds another KPI is an intermediate result, not a stray metric. */
function feedsAFormula(kpi: Kpi, context: RuleContext): boolean {
    const { References } = context.services.references;
    const documents = context.services.shared.workspace.LangiumDocuments;
    const locator = context.services.workspace.AstNodeLocator;
    return References.findReferences(kpi, { includeDeclaration: false }).some(reference => {
        const document = documents.getDocument(reference.sourceUri);
        const node = document && locator.getAstNode(document.parseResult.value, reference.sourcePath);
        return isMeasureRef(node) && AstUtils.getContainerOfType(node, isKpi) !== kpi;
    });
}

function checkKpi(kpi: Kpi, context: RuleContext): void {
    if (isKra(kpi.$container) || krasUsingKpi(kpi, context.services).length > 0 || feedsAFormula(kpi, context)) {
        return;
    }
    context.report({
        node: kpi,
        property: 'name',
        message: `${capitalise(describe(kpi))} belongs to no KRA: it is declared at the top level and no KRA uses it with \`measured by\`, so it counts toward nobody's result. `
            + `Add \`measured by ${kpi.name} weighted …%\` to the KRA it shows progress on, move it inside that KRA, or delete it if nobody needs it.`
    });
}

export const relevant = defineRule({
    id: 'smart/relevant',
    summary: 'A KRA aligns to no objective or parent KRA, or a KPI belongs to no KRA.',
    severity: 'warning',
    // Whether a KPI is used needs the references of the whole workspace.
    category: 'slow',
    checks: {
        Kra: checkKra,
        Kpi: checkKpi
    }
});
