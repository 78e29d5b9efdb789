import type { AstNode } from 'langium';
import type { CarriedKra, Department, Kpi, Kra, MeasuredBy, Quantity, Role } from '../../../generated/ast.js';
import { isCarriedKra, isMeasuredBy } from '../../../generated/ast.js';
import { kpisOfKra, krasOfRole } from '../../../model/queries.js';
import { describe, kindLabel } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise, percentLabel, weightPercent } from '../../support/weight-value.js';

/** One weighted part of a whole: a KRA of a role or department, or a KPI of a KRA. */
interface Part {
    readonly name: string;
    readonly weight: Quantity | undefined;
    /** The weight comes from the KRA's or KPI's declaration, not from its `carries`/`measured by` line. */
    readonly inherited: boolean;
    /** Where a missing weight is reported, what lacks it, and the change that fixes it. */
    readonly node: AstNode;
    readonly property: string;
    readonly lacking: string;
    readonly fix: (percent: string) => string;
}

interface Whole {
    readonly owner: Role | Department | Kra;
    /** 'KRA' or 'KPI': what the parts are. */
    readonly kind: string;
    readonly parts: readonly Part[];
    /** What an inherited weight means here, said once after the list. */
    readonly inheritedNote: string;
}

function ownPart(node: Kra | Kpi, weight: Quantity | undefined): Part {
    return {
        name: node.name, weight, inherited: false, node, property: 'name',
        lacking: `${kindLabel(node.$type)} '${node.name}' has no weight`,
        fix: percent => `add \`weight ${percent}\` to it`
    };
}

/**
 * A part adopted by a `carries` or `measured by` line. Its weight is the line's or, as the
 * language defines it (krasOfRole, kpisOfKra), the one written on the declaration.
 */
function adoptedPart(node: Kra | Kpi, weight: Quantity | undefined, line: CarriedKra | MeasuredBy, keyword: string, reference: string, property: string): Part {
    return {
        name: node.name, weight, inherited: !line.weight && !!weight, node: line, property,
        lacking: `\`${keyword} ${reference}\` gives no weight, and ${kindLabel(node.$type)} '${node.name}' has none of its own`,
        fix: percent => `write \`${keyword} ${reference} weighted ${percent}\``
    };
}

function roleWhole(role: Role): Whole {
    return {
        owner: role,
        kind: 'KRA',
        parts: krasOfRole(role).map(({ kra, weight, source }) => isCarriedKra(source)
            ? adoptedPart(kra, weight, source, 'carries', source.kra.$refText, 'kra')
            : ownPart(kra, kra.weight)),
        inheritedNote: 'A `carries` line without `weighted` takes the weight written on a top-level KRA itself; add `weighted <share>` to the line to set the KRA\'s share in this role.'
    };
}

function departmentWhole(department: Department): Whole {
    return { owner: department, kind: 'KRA', parts: department.kras.map(kra => ownPart(kra, kra.weight)), inheritedNote: '' };
}

function kraWhole(kra: Kra): Whole {
    return {
        owner: kra,
        kind: 'KPI',
        parts: kpisOfKra(kra).map(({ kpi, weight, source }) => isMeasuredBy(source)
            ? adoptedPart(kpi, weight, source, 'measured by', source.kpi.$refText, 'kpi')
            : ownPart(kpi, kpi.weight)),
        inheritedNote: 'A `measured by` line without `weighted` takes the weight written on a top-level KPI itself; add `weighted <share>` to the line to set the KPI\'s share in this KRA.'
    };
}

function check(whole: Whole, context: RuleContext): void {
    const { owner, kind, parts } = whole;
    const weighted = parts.filter(part => part.weight);
    if (weighted.length === 0) {
        return; // no weights at all: the parts count equally, which is a choice, not a mistake
    }
    const tolerance = Number(context.options.tolerance);
    const given = weighted.map(part => weightPercent(part.weight!));
    const givenTotal = given.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    const missing = parts.filter(part => !part.weight);
    const inheritedNote = parts.some(part => part.inherited) ? ` ${whole.inheritedNote}` : '';
    if (missing.length > 0) {
        const left = 100 - givenTotal;
        // A weight in a unit that is no share (weights/range) leaves the remainder unknown.
        const known = given.every(value => value !== undefined);
        const advice = (part: Part): string => {
            if (!known) {
                return `${capitalise(part.fix('<share>%'))}.`;
            }
            if (left <= tolerance) {
                return `The weights given already add up to ${percentLabel(givenTotal)}: lower them to make room, then give this ${kind} its share.`;
            }
            const share = missing.length > 1 ? `what is left of 100%, shared among the ${missing.length} ${kind}s without one` : 'what is left of 100%';
            return `${capitalise(part.fix(percentLabel(left / missing.length)))} (${share}).`;
        };
        for (const part of missing) {
            context.report({
                node: part.node,
                property: part.property,
                message: `${capitalise(describe(owner))}: ${part.lacking}, while the other ${kind}s here have one; `
                    + `the weights can only add up to 100% when every ${kind} has one. ${advice(part)}${inheritedNote}`
            });
        }
        return;
    }
    if (given.some(value => value === undefined || value < 0 || value > 100)) {
        return; // a weight that is no share at all: weights/range reports it, and a sum would only add noise
    }
    const total = givenTotal;
    if (Math.abs(total - 100) <= tolerance) {
        return;
    }
    const listed = parts.map((part, index) => `${part.name} ${percentLabel(given[index]!)}${part.inherited ? ' (written on the ' + kind + ')' : ''}`).join(', ');
    const points = Number(Math.abs(total - 100).toFixed(2));
    const advice = `${total > 100 ? 'Lower' : 'Raise'} one of them by ${points} ${points === 1 ? 'point' : 'points'}.`;
    const looksLikeRatios = parts.every(part => !part.weight!.unit) && Math.abs(total - 1) <= 0.05;
    const ratioHint = 'The weights look like ratios: write them in percent (`30%`) or with their unit (`0.3 ratio`).';
    context.report({
        node: owner,
        property: 'name',
        message: `${capitalise(describe(owner))}: ${kind} weights add up to ${percentLabel(total)} (${listed}); they must add up to 100%. ${looksLikeRatios ? ratioHint : advice}${inheritedNote}`,
        data: { total, expected: 100 }
    });
}

export const weightsSum = defineRule({
    id: 'weights/sum',
    summary: 'The KRA weights of a role or department, or the KPI weights of a KRA, do not add up to 100%.',
    severity: 'error',
    category: 'fast',
    local: true,
    fix: 'suggestion',
    options: {
        tolerance: {
            type: 'number', description: 'How far, in percentage points, the weights may miss 100%.',
            default: 0.5, minimum: 0, limit: 'weightTolerance'
        }
    },
    checks: {
        Role(role, context) {
            // An unresolved `carries` hides a weight; the linker already reports it.
            if (role.carries.every(carried => carried.kra?.ref)) {
                check(roleWhole(role), context);
            }
        },
        Department(department, context) {
            check(departmentWhole(department), context);
        },
        Kra(kra, context) {
            if (kra.measuredBy.every(measured => measured.kpi?.ref)) {
                check(kraWhole(kra), context);
            }
        }
    }
});
