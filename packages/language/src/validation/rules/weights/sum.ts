import type { AstNode } from 'langium';
import type { CarriedKra, Department, Kpi, Kra, MeasuredBy, Quantity, Role } from '../../../generated/ast.js';
import { isCarriedKra, isKraFile, isMeasuredBy } from '../../../generated/ast.js';
import { kpisOfKra, krasOfRole } from '../../../model/queries.js';
import { describe, kindLabel } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise, percentLabel, weightPercent, weightText } from './weight-value.js';

/** One weighted part of a whole: a KRA of a role or department, or a KPI of a KRA. */
interface Part {
    readonly name: string;
    readonly weight: Quantity | undefined;
    /** The weight comes from a top-level KRA's or KPI's own declaration, not the `carries`/`measured by` line. */
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
 * A part adopted by a `carries` or `measured by` line. Its weight is the line's. Without one,
 * the weight written on the declaration counts only when that declaration stands at the top
 * level: a KRA inside a department (or a KPI inside a KRA) is weighted for that container, and
 * its share there says nothing about its share here. (krasOfRole and kpisOfKra fall back to it
 * regardless, so the weight is worked out here.)
 */
function adoptedPart(node: Kra | Kpi, line: CarriedKra | MeasuredBy, keyword: string, reference: string, property: string): Part {
    const declaredHere = line.weight;
    const home = node.$container;
    const topLevel = isKraFile(home);
    const weight = declaredHere ?? (topLevel ? node.weight : undefined);
    const elsewhere = !declaredHere && !topLevel && node.weight
        ? ` (the ${weightText(node.weight)} on the ${kindLabel(node.$type)} is its share in ${describe(home)}, not here)`
        : '';
    return {
        name: node.name, weight, inherited: !declaredHere && !!weight, node: line, property,
        lacking: `\`${keyword} ${reference}\` gives no weight${elsewhere}`,
        fix: percent => `write \`${keyword} ${reference} weight ${percent}\``
    };
}

function roleWhole(role: Role): Whole {
    return {
        owner: role,
        kind: 'KRA',
        parts: krasOfRole(role).map(({ kra, source }) => isCarriedKra(source)
            ? adoptedPart(kra, source, 'carries', source.kra.$refText, 'kra')
            : ownPart(kra, kra.weight)),
        inheritedNote: 'A `carries` line without a weight takes the weight written on the top-level KRA itself; give the line a weight to make the KRA\'s share in this role explicit.'
    };
}

function departmentWhole(department: Department): Whole {
    return { owner: department, kind: 'KRA', parts: department.kras.map(kra => ownPart(kra, kra.weight)), inheritedNote: '' };
}

function kraWhole(kra: Kra): Whole {
    return {
        owner: kra,
        kind: 'KPI',
        parts: kpisOfKra(kra).map(({ kpi, source }) => isMeasuredBy(source)
            ? adoptedPart(kpi, source, 'measured by', source.kpi.$refText, 'kpi')
            : ownPart(kpi, kpi.weight)),
        inheritedNote: 'A `measured by` line without a weight takes the weight written on the top-level KPI itself; give the line a weight to make the KPI\'s share in this KRA explicit.'
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
    if (missing.length > 0) {
        const left = 100 - givenTotal;
        for (const part of missing) {
            const advice = left > tolerance
                ? `${capitalise(part.fix(percentLabel(left / missing.length)))}${missing.length > 1 ? ` (what is left of 100 %, shared among the ${missing.length} ${kind}s without one).` : ' (what is left of 100 %).'}`
                : `The weights given already add up to ${percentLabel(givenTotal)}: lower them to make room, then give this ${kind} its share.`;
            context.report({
                node: part.node,
                property: part.property,
                message: `${capitalise(describe(owner))}: ${part.lacking}, while the other ${kind}s here have one; `
                    + `the weights can only add up to 100 % when every ${kind} has one. ${advice}`
            });
        }
        return;
    }
    if (given.some(value => value === undefined)) {
        return; // a weight in a unit that is not a share: weights/range reports it
    }
    const total = givenTotal;
    if (Math.abs(total - 100) <= tolerance) {
        return;
    }
    const listed = parts.map((part, index) => `${part.name} ${percentLabel(given[index]!)}${part.inherited ? ` (the ${kind}'s own weight)` : ''}`).join(', ');
    const points = Number(Math.abs(total - 100).toFixed(2));
    const advice = `${total > 100 ? 'Lower' : 'Raise'} one of them by ${points} ${points === 1 ? 'point' : 'points'}.`;
    const looksLikeRatios = parts.every(part => !part.weight!.unit) && Math.abs(total - 1) <= 0.05;
    const ratioHint = 'The weights look like ratios: write them in percent (`weight 30 %`) or with their unit (`weight 0.3 ratio`).';
    const inheritedNote = parts.some(part => part.inherited) ? ` ${whole.inheritedNote}` : '';
    context.report({
        node: owner,
        property: 'name',
        message: `${capitalise(describe(owner))}: ${kind} weights add up to ${percentLabel(total)} (${listed}); they must add up to 100 %. ${looksLikeRatios ? ratioHint : advice}${inheritedNote}`,
        data: { total, expected: 100 }
    });
}

export const weightsSum = defineRule({
    id: 'weights/sum',
    summary: 'The KRA weights of a role or department, or the KPI weights of a KRA, do not add up to 100 %.',
    severity: 'error',
    category: 'fast',
    options: {
        tolerance: {
            type: 'number', description: 'How far, in percentage points, the weights may miss 100 %.',
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
