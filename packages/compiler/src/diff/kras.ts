/**
 * The KRA part of the semantic diff: KRAs coming, going and moving, their fields, and the KPIs
 * they are measured by with their weights.
 */
import type { Kra } from '../model.js';
import type { ModelDiff, Side } from './diff.js';
import { titleOf } from './draft.js';
import type { ChangeContext } from './types.js';
import { cadence, weight } from './wording.js';

/**
 * Whether a KPI declared in a KRA comes into (or leaves) the KRA's list because the KPI itself
 * was added, removed or moved: that is reported on the KPI. `kpiId` is an id of `version`.
 */
function ownKpiExplained(d: ModelDiff, kpiId: string, version: Side): boolean {
    const kpi = version.kpis.get(kpiId);
    if (!kpi || kpi.kra === null) {
        return false;
    }
    const isHead = version === d.head;
    const otherId = isHead ? d.kpis.toBase.get(kpiId) : d.kpis.toHead.get(kpiId);
    const other = otherId === undefined ? undefined : (isHead ? d.base : d.head).kpis.get(otherId);
    if (!other) {
        return true;
    }
    const [baseKpi, headKpi] = isHead ? [other, kpi] : [kpi, other];
    return (baseKpi.kra === null ? null : d.kras.toHead.get(baseKpi.kra) ?? baseKpi.kra) !== headKpi.kra;
}

export function kraChanges(d: ModelDiff): void {
    const weightNote = (kra: Kra, version: Side) => {
        const declaredIn = kra.declaredIn;
        if (declaredIn === null || kra.weight === null) {
            return '';
        }
        return ` weighted ${weight(kra.weight)}${d.containerSumNote(kra, version)}`;
    };
    d.lifecycle('kra', d.kras, d.base.kras, d.head.kras, {
        context: kra => d.kraContext(kra),
        added: kra => `new KRA ${titleOf(kra)}${weightNote(kra, d.head)}`,
        removed: kra => `KRA ${titleOf(kra)} removed${d.containerSumNote(kra, d.base)}`,
        moved: (before, after) => {
            const from = d.kraContainerKey(before, false);
            const to = d.kraContainerKey(after, false);
            return from !== to ? `moved from ${d.kraContext(before).title} to ${d.kraContext(after).title}` : undefined;
        }
    });
    for (const [before, after, rename] of d.pairs(d.kras, d.base.kras, d.head.kras)) {
        const context = d.kraContext(after);
        const roles = d.rolesOf('kra', after.id, d.head);
        const title = titleOf(after);
        d.titleField('kra', after.id, before, after, rename, context, roles);
        d.ownerField('kra', after.id, before.owner, after.owner, title, context, roles);
        d.field({
            element: 'kra', id: after.id, field: 'perspective', before: before.perspective, after: after.perspective, title, context, roles,
            detail: `${title} perspective ${before.perspective ?? 'none'} → ${after.perspective ?? 'none'}`
        });
        const alignBefore = mapAlignment(d, before.alignsTo);
        d.field({
            element: 'kra', id: after.id, field: 'alignment', before: alignBefore, after: after.alignsTo, title, context, roles,
            detail: `${title} aligns to ${alignmentWords(d, alignBefore)} → ${alignmentWords(d, after.alignsTo)}`
        });
        d.field({
            element: 'kra', id: after.id, field: 'review', before: before.review, after: after.review, title, context, roles,
            detail: `${title} reviewed ${cadence(before.review)} → ${cadence(after.review)}`
        });
        if (after.declaredIn === null && before.declaredIn === null) {
            d.field({
                element: 'kra', id: after.id, field: 'weight', before: before.weight, after: after.weight, title, context, roles,
                detail: `${title} weight ${weight(before.weight)} → ${weight(after.weight)}`
            });
        }
        ownKraWeight(d, before, after);
        kpiWeights(d, before, after, context, roles);
    }
}

/**
 * The weight of a KRA declared in a role is also the role's weight for it, reported on the
 * role (as roleChanges does from the role's list; the same change is kept once).
 */
function ownKraWeight(d: ModelDiff, before: Kra, after: Kra): void {
    if (before.declaredIn === null || !('role' in before.declaredIn) || after.declaredIn === null || !('role' in after.declaredIn)) {
        return;
    }
    const baseRole = before.declaredIn.role;
    const headRole = after.declaredIn.role;
    if ((d.roles.toHead.get(baseRole) ?? baseRole) !== headRole) {
        return;
    }
    const note = d.sumNote(d.roleWeightSum(d.base, baseRole), d.roleWeightSum(d.head, headRole), 'KRA weights');
    d.field({
        element: 'role', id: headRole, field: 'kra-weight', key: after.id, before: before.weight, after: after.weight,
        title: d.words.title('role', headRole), context: d.roleContext(headRole), roles: [headRole],
        detail: `${titleOf(after)} weight ${weight(before.weight)} → ${weight(after.weight)}${note}`
    });
}

function mapAlignment(d: ModelDiff, alignsTo: Kra['alignsTo']): Kra['alignsTo'] {
    if (alignsTo === null) {
        return null;
    }
    return 'objective' in alignsTo
        ? { objective: d.objectives.toHead.get(alignsTo.objective) ?? alignsTo.objective }
        : { kra: d.kras.toHead.get(alignsTo.kra) ?? alignsTo.kra };
}

function alignmentWords(d: ModelDiff, alignsTo: Kra['alignsTo']): string {
    if (alignsTo === null) {
        return 'nothing';
    }
    return 'objective' in alignsTo ? d.words.title('objective', alignsTo.objective) : d.words.title('kra', alignsTo.kra);
}

/** KPI weights within a KRA, and KPIs adopted (`measured by`) or dropped. */
function kpiWeights(d: ModelDiff, before: Kra, after: Kra, context: ChangeContext, roles: string[]): void {
    const uses = new Map(before.kpis.map(use => [d.kpis.toHead.get(use.kpi) ?? use.kpi, use]));
    const note = d.kraSumNote(before.id, after.id);
    const kraTitle = titleOf(after);
    for (const use of after.kpis) {
        const previous = uses.get(use.kpi);
        const kpiTitle = d.words.title('kpi', use.kpi);
        if (!previous) {
            if (!(use.via === 'own' && ownKpiExplained(d, use.kpi, d.head))) {
                d.add({
                    kind: 'changed', element: 'kra', id: after.id, field: 'kpis', key: use.kpi, before: null, after: { kpi: use.kpi, weight: use.weight },
                    title: kraTitle, context, roles,
                    detail: `${kraTitle} now measured by ${kpiTitle}${use.weight === null ? '' : ` weighted ${weight(use.weight)}`}${note}`
                });
            }
            continue;
        }
        d.field({
            element: 'kra', id: after.id, field: 'kpi-weight', key: use.kpi, before: previous.weight, after: use.weight, title: kraTitle, context, roles,
            detail: `${kpiTitle} weight in ${kraTitle} ${weight(previous.weight)} → ${weight(use.weight)}${note}`
        });
    }
    const current = new Set(after.kpis.map(use => use.kpi));
    for (const [kpiId, use] of uses) {
        if (!current.has(kpiId) && !(use.via === 'own' && ownKpiExplained(d, use.kpi, d.base))) {
            d.add({
                kind: 'changed', element: 'kra', id: after.id, field: 'kpis', key: kpiId, before: { kpi: use.kpi, weight: use.weight }, after: null,
                title: kraTitle, context, roles,
                detail: `${kraTitle} no longer measured by ${d.words.title('kpi', kpiId)}${note}`
            });
        }
    }
}
