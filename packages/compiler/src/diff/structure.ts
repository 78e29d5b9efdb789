/**
 * The organisation's structure in the semantic diff: departments, roles (their KRAs and
 * weights), objectives and metrics.
 */
import type { Department, Metric, Role } from '../model.js';
import { measureText } from '../measure-text.js';
import type { ModelDiff, Side } from './diff.js';
import { titleOf } from './draft.js';
import type { ChangeContext } from './types.js';
import { weight } from './wording.js';

export function departmentChanges(d: ModelDiff): void {
    const context = (department: Department, version: Side) => d.departmentContext(
        department.parent === null ? null
            : version === d.head ? department.parent : d.departments.toHead.get(department.parent) ?? department.parent);
    d.lifecycle('department', d.departments, d.base.departments, d.head.departments, {
        context,
        added: department => `new department ${titleOf(department)}`,
        removed: department => `department ${titleOf(department)} removed`
    });
    for (const [before, after, rename] of d.pairs(d.departments, d.base.departments, d.head.departments)) {
        const own = d.departmentContext(after.id);
        const roles = d.rolesOf('department', after.id, d.head);
        const title = titleOf(after);
        d.titleField('department', after.id, before, after, rename, own, roles);
        const parentBefore = before.parent === null ? null : d.departments.toHead.get(before.parent) ?? before.parent;
        d.field({
            element: 'department', id: after.id, field: 'parent', before: parentBefore, after: after.parent, title, context: own, roles,
            detail: after.parent === null ? `${title} is no longer part of ${d.words.title('department', parentBefore ?? '')}`
                : `${title} is now part of ${d.words.title('department', after.parent)}${parentBefore === null ? '' : ` (was ${d.words.title('department', parentBefore)})`}`
        });
        d.ownerField('department', after.id, before.owner, after.owner, title, own, roles);
        kraWeights(d, 'department', before.id, after.id, own,
            version => version.model.kras.filter(kra => kra.declaredIn !== null && 'department' in kra.declaredIn
                && kra.declaredIn.department === (version === d.base ? before.id : after.id)).map(kra => ({ kra: kra.id, weight: kra.weight, via: 'own' })));
    }
}

/**
 * Weights of the KRAs of a role or department: weight changes, and KRAs carried or dropped (a
 * role's own KRA that comes or goes because the KRA was added, removed or moved is reported on
 * the KRA; a department's list always follows its KRAs).
 */
function kraWeights(d: ModelDiff, element: 'role' | 'department', baseId: string, headId: string, context: ChangeContext,
    usesOf: (version: Side) => Array<{ kra: string; weight: number | null; via: 'own' | 'carried' }>): void {
    const before = new Map(usesOf(d.base).map(use => [d.kras.toHead.get(use.kra) ?? use.kra, use]));
    const after = new Map(usesOf(d.head).map(use => [use.kra, use]));
    const sumBefore = element === 'role' ? d.roleWeightSum(d.base, baseId) : d.departmentWeightSum(d.base, baseId);
    const sumAfter = element === 'role' ? d.roleWeightSum(d.head, headId) : d.departmentWeightSum(d.head, headId);
    // The context names the role or department: "Team leader · … (KRA weights now sum to 105%)".
    const note = d.sumNote(sumBefore, sumAfter, 'KRA weights');
    const roles = element === 'role' ? [headId] : d.rolesOf('department', headId, d.head);
    const owner = context.title;
    for (const [kraId, use] of after) {
        const previous = before.get(kraId);
        const kraTitle = d.words.title('kra', kraId);
        if (!previous) {
            if (element === 'role' && !(use.via === 'own' && ownKraExplained(d, kraId, d.head))) {
                d.add({
                    kind: 'changed', element, id: headId, field: 'kras', key: kraId, before: null, after: { kra: kraId, weight: use.weight },
                    title: owner, context, roles,
                    detail: `now carries ${kraTitle}${use.weight === null ? '' : ` weighted ${weight(use.weight)}`}${note}`
                });
            }
            continue;
        }
        d.field({
            element, id: headId, field: 'kra-weight', key: kraId, before: previous.weight, after: use.weight, title: owner, context, roles,
            detail: `${kraTitle} weight ${weight(previous.weight)} → ${weight(use.weight)}${note}`
        });
    }
    for (const [kraId, use] of before) {
        if (!after.has(kraId) && element === 'role' && !(use.via === 'own' && ownKraExplained(d, use.kra, d.base))) {
            d.add({
                kind: 'changed', element, id: headId, field: 'kras', key: kraId, before: { kra: use.kra, weight: use.weight }, after: null,
                title: owner, context, roles,
                detail: `no longer carries ${d.words.title('kra', kraId)}${note}`
            });
        }
    }
}

/**
 * Whether a KRA declared in a role comes into (or leaves) the role's list because the KRA
 * itself was added, removed or moved: that is reported on the KRA. `kraId` is an id of
 * `version`. (A department's KRA list always follows its KRAs' declarations.)
 */
function ownKraExplained(d: ModelDiff, kraId: string, version: Side): boolean {
    const kra = version.kras.get(kraId);
    if (!kra || kra.declaredIn === null || !('role' in kra.declaredIn)) {
        return false;
    }
    const isHead = version === d.head;
    const otherId = isHead ? d.kras.toBase.get(kraId) : d.kras.toHead.get(kraId);
    const other = otherId === undefined ? undefined : (isHead ? d.base : d.head).kras.get(otherId);
    if (!other) {
        return true;
    }
    const [baseKra, headKra] = isHead ? [other, kra] : [kra, other];
    return d.kraContainerKey(baseKra, false) !== d.kraContainerKey(headKra, true);
}

export function roleChanges(d: ModelDiff): void {
    const context = (role: Role, version: Side) => d.departmentContext(
        role.department === null ? null
            : version === d.head ? role.department : d.departments.toHead.get(role.department) ?? role.department);
    d.lifecycle('role', d.roles, d.base.roles, d.head.roles, {
        context,
        added: role => `new role ${titleOf(role)}${role.kras.length > 0 ? ` with ${role.kras.length} KRA${role.kras.length === 1 ? '' : 's'}` : ''}`,
        removed: role => `role ${titleOf(role)} removed`,
        moved: (before, after) => {
            const from = context(before, d.base);
            const to = context(after, d.head);
            return from.id !== to.id ? `moved from ${from.title} to ${to.title}` : undefined;
        }
    });
    for (const [before, after, rename] of d.pairs(d.roles, d.base.roles, d.head.roles)) {
        const own = d.roleContext(after.id);
        const roles = [after.id];
        const title = titleOf(after);
        d.titleField('role', after.id, before, after, rename, own, roles);
        const departmentBefore = before.department === null ? null : d.departments.toHead.get(before.department) ?? before.department;
        if (!(rename && !rename.signals.implied)) {
            d.field({
                element: 'role', id: after.id, field: 'department', before: departmentBefore, after: after.department, title, context: own, roles,
                detail: `${title} moved from ${departmentBefore === null ? 'no department' : d.words.title('department', departmentBefore)} to ${after.department === null ? 'no department' : d.words.title('department', after.department)}`
            });
        }
        const reportsBefore = before.reportsTo === null ? null : d.roles.toHead.get(before.reportsTo) ?? before.reportsTo;
        d.field({
            element: 'role', id: after.id, field: 'reports-to', before: reportsBefore, after: after.reportsTo, title, context: own, roles,
            detail: `${title} reports to ${reportsBefore === null ? 'nobody' : d.words.title('role', reportsBefore)} → ${after.reportsTo === null ? 'nobody' : d.words.title('role', after.reportsTo)}`
        });
        d.field({
            element: 'role', id: after.id, field: 'rating-scale', before: before.ratingScale, after: after.ratingScale, title, context: own, roles,
            detail: `${title} rated on ${d.words.scale(before.ratingScale)} → ${d.words.scale(after.ratingScale)}`
        });
        kraWeights(d, 'role', before.id, after.id, own, version => (version === d.base ? before : after).kras);
    }
}

export function objectiveChanges(d: ModelDiff): void {
    d.lifecycle('objective', d.objectives, d.base.objectives, d.head.objectives, {
        context: () => d.organisation(),
        added: objective => `new objective ${titleOf(objective)}${objective.deadline ? ` by ${objective.deadline}` : ''}`,
        removed: objective => `objective ${titleOf(objective)} removed`
    });
    for (const [before, after, rename] of d.pairs(d.objectives, d.base.objectives, d.head.objectives)) {
        const context = d.organisation();
        const title = titleOf(after);
        d.titleField('objective', after.id, before, after, rename, context, []);
        d.ownerField('objective', after.id, before.owner, after.owner, title, context, []);
        d.field({
            element: 'objective', id: after.id, field: 'deadline', before: before.deadline, after: after.deadline, title, context,
            detail: `${title} deadline ${before.deadline ?? 'none'} → ${after.deadline ?? 'none'}`
        });
        d.field({
            element: 'objective', id: after.id, field: 'perspective', before: before.perspective, after: after.perspective, title, context,
            detail: `${title} perspective ${d.words.perspective(before.perspective)} → ${d.words.perspective(after.perspective)}`
        });
    }
}

export function metricChanges(d: ModelDiff): void {
    d.lifecycle('metric', d.metrics, d.base.metrics, d.head.metrics, {
        context: () => d.organisation(),
        added: metric => `new metric ${titleOf(metric)}${metric.sourceSystem ? ` from ${metric.sourceSystem}` : ''}`,
        removed: metric => `metric ${titleOf(metric)} removed`
    });
    for (const [before, after, rename] of d.pairs(d.metrics, d.base.metrics, d.head.metrics)) {
        const context = d.organisation();
        const roles = d.rolesOf('metric', after.id, d.head);
        const title = titleOf(after);
        d.titleField('metric', after.id, before, after, rename, context, roles);
        const base = { element: 'metric' as const, id: after.id, title, context, roles };
        d.field({
            ...base, field: 'unit', before: before.unit, after: after.unit,
            detail: `${title} unit ${d.words.unit(before.unit)} → ${d.words.unit(after.unit)}`
        });
        const sourceBefore = { system: before.sourceSystem, field: before.sourceField };
        const sourceAfter = { system: after.sourceSystem, field: after.sourceField };
        d.field({
            ...base, field: 'data-source', before: sourceBefore, after: sourceAfter,
            detail: `${title} comes from ${dataSource(sourceBefore)} → ${dataSource(sourceAfter)}`
        });
        d.field({
            ...base, field: 'additivity', before: before.additive, after: after.additive,
            detail: `${title} ${additivity(before.additive)} → ${additivity(after.additive)}`
        });
        d.field({
            ...base, field: 'aggregation', before: before.aggregation, after: after.aggregation,
            detail: `${title} aggregated by ${before.aggregation ?? 'default'} → ${after.aggregation ?? 'default'}`
        });
        const measure = (metric: Metric) => metric.measure ? measureText(metric.measure) : null;
        d.field({
            ...base, field: 'measure', before: measure(before), after: measure(after),
            detail: `${title} measured as ${measure(before) ?? '(aggregated data)'} → ${measure(after) ?? '(aggregated data)'}`
        });
        d.field({
            ...base, field: 'missing-as', before: before.missingAs, after: after.missingAs,
            detail: `${title} empty data cells ${emptyCells(before.missingAs)} → ${emptyCells(after.missingAs)}`
        });
        d.ownerField('metric', after.id, before.owner, after.owner, title, context, roles);
    }
}

/** What an empty data cell of a metric means (`missing as zero`). */
function emptyCells(missingAs: string | null | undefined): string {
    return missingAs === 'zero' ? 'count as zero' : 'are missing data';
}

/** `Genesys Cloud (interactions.tTalk)`, or `no stated source`. */
function dataSource(source: { system: string | null; field: string | null }): string {
    if (source.system === null && source.field === null) {
        return 'no stated source';
    }
    return `${source.system ?? 'an unnamed system'}${source.field === null ? '' : ` (${source.field})`}`;
}

function additivity(additive: boolean | null): string {
    return additive === null ? 'additivity not stated' : additive ? 'additive' : 'non-additive';
}
