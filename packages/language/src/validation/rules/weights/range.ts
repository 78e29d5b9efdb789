import type { CarriedKra, Kpi, Kra, MeasuredBy } from '../../../generated/ast.js';
import { isCarriedKra, isMeasuredBy } from '../../../generated/ast.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise, weightPercent, weightText } from '../../support/weight-value.js';

/** "KRA 'ops.service'", or "Role 'agent', `carries ops.service`" for a weight on a line. */
function subject(node: Kra | Kpi | CarriedKra | MeasuredBy): string {
    const owner = capitalise(describe(node));
    if (isCarriedKra(node)) {
        return `${owner}, \`carries ${node.kra?.$refText ?? ''}\``;
    }
    if (isMeasuredBy(node)) {
        return `${owner}, \`measured by ${node.kpi?.$refText ?? ''}\``;
    }
    return owner;
}

function checkWeight(node: Kra | Kpi | CarriedKra | MeasuredBy, context: RuleContext): void {
    const weight = node.weight;
    if (!weight || typeof weight.value !== 'number') {
        return;
    }
    // On a `carries` or `measured by` line the weight is written `weighted 30%`.
    const field = isCarriedKra(node) || isMeasuredBy(node) ? 'weighted' : 'weight';
    // As written, read from the syntax tree only for a message (a released one is parsed again to read it).
    const text = () => `${field} ${weightText(weight)}`;
    if (weight.unit && !weight.unit.ref) {
        return; // an unknown unit: the linker reports it
    }
    const percent = weightPercent(weight);
    if (percent === undefined) {
        context.report({
            node: weight,
            property: 'unit',
            message: `${subject(node)}: \`${text()}\` is in ${weight.unit?.ref?.name ?? 'a unit'}, which is not a share. `
                + `A weight is a percentage of the score it counts towards: write it in percent, e.g. \`${field} ${weight.value}%\`.`
        });
    } else if (percent === 0) {
        context.report({
            node: weight,
            property: 'value',
            message: `${subject(node)}: \`${text()}\` gives it no share of the score, so it cannot count. `
                + `Give it a positive share (e.g. \`${field} 10%\`), or remove it if it should not be scored.`
        });
    } else if (percent < 0) {
        context.report({
            node: weight,
            property: 'value',
            message: `${subject(node)}: \`${text()}\` is negative, but a weight is a share of 100%. `
                + `Write a positive share, e.g. \`${field} ${Number(Math.abs(percent).toFixed(2))}%\`.`
        });
    } else if (percent > 100 + 1e-9) {
        context.report({
            node: weight,
            property: 'value',
            message: `${subject(node)}: \`${text()}\` is more than the whole score (100%). `
                + `Write its share of 100%, e.g. \`${field} 50%\`${weight.unit ? '' : '; a plain number is read as percent'}.`
        });
    }
}

export const weightsRange = defineRule({
    id: 'weights/range',
    summary: 'A weight that is zero, negative, over 100%, or not a percentage or ratio.',
    severity: 'error',
    category: 'fast',
    local: true,
    checks: {
        Kra: checkWeight,
        Kpi: checkWeight,
        CarriedKra: checkWeight,
        MeasuredBy: checkWeight
    }
});
