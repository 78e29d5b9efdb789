/**
 * The semantic diff of two compiled models: what a pull request changes in the organisation's
 * KRAs and KPIs, in the words HR reviewers use. Browser-safe: models in, changes out.
 */
import { weightTotal } from '@kra-lang/semantics';
import { formulaText } from '../formula-tree.js';
import type {
    Department, ExpressionNode, Kpi, Kra, KraModel, Metric, Objective, Owner, Role, SourceLocation, Target, Threshold
} from '../model.js';
import { compare, matchElements, nameOf, sameText, type Matching, type Rename, type Signals } from './match.js';
import type {
    ChangeContext, ChangeField, ChangeKind, DiffElementKind, DiffSummary, DiffValue, SemanticChange, SemanticDiff
} from './types.js';
import { direction, Lexicon, timing, weight } from './wording.js';

const KIND_ORDER: readonly ChangeKind[] = ['added', 'removed', 'renamed', 'changed'];
const ELEMENT_ORDER: readonly DiffElementKind[] = ['department', 'role', 'objective', 'metric', 'kra', 'kpi'];
const FIELD_ORDER: readonly ChangeField[] = [
    'title', 'department', 'parent', 'reports-to', 'perspective', 'alignment', 'deadline',
    'formula', 'unit', 'direction', 'baseline', 'target', 'threshold', 'owner', 'weight', 'kras', 'kra-weight', 'kpis', 'kpi-weight'
];

const ELEMENT_LABELS: Record<DiffElementKind, string> = {
    department: 'department', role: 'role', objective: 'objective', metric: 'metric', kra: 'KRA', kpi: 'KPI'
};

/** Compares two compiled models; `base` is the earlier version, `head` the proposed one. */
export function diffModels(base: KraModel, head: KraModel): SemanticDiff {
    return new ModelDiff(base, head).run();
}

type Index<T> = ReadonlyMap<string, T>;

function index<T extends { id: string }>(elements: readonly T[]): Index<T> {
    return new Map(elements.map(element => [element.id, element]));
}

interface Side {
    readonly model: KraModel;
    readonly departments: Index<Department>;
    readonly roles: Index<Role>;
    readonly objectives: Index<Objective>;
    readonly metrics: Index<Metric>;
    readonly kras: Index<Kra>;
    readonly kpis: Index<Kpi>;
}

function side(model: KraModel): Side {
    return {
        model,
        departments: index(model.departments),
        roles: index(model.roles),
        objectives: index(model.objectives),
        metrics: index(model.metrics),
        kras: index(model.kras),
        kpis: index(model.kpis)
    };
}

/** A change before its context, roles and message are filled in. */
interface Draft {
    kind: ChangeKind;
    element: DiffElementKind;
    id: string;
    previousId?: string;
    field?: ChangeField;
    key?: string;
    before?: unknown;
    after?: unknown;
    title: string;
    context: ChangeContext;
    roles: string[];
    detail: string;
}

class ModelDiff {
    private readonly base: Side;
    private readonly head: Side;
    private readonly words: Lexicon;
    private readonly drafts: Draft[] = [];
    private departments!: Matching;
    private roles!: Matching;
    private objectives!: Matching;
    private metrics!: Matching;
    private kras!: Matching;
    private kpis!: Matching;

    constructor(base: KraModel, head: KraModel) {
        this.base = side(base);
        this.head = side(head);
        this.words = new Lexicon([head, base]);
    }

    run(): SemanticDiff {
        this.match();
        this.departmentChanges();
        this.roleChanges();
        this.objectiveChanges();
        this.metricChanges();
        this.kraChanges();
        this.kpiChanges();
        return this.result();
    }

    // ---------------------------------------------------------------- matching

    private match(): void {
        const { base, head } = this;
        this.departments = matchElements(base.model.departments, head.model.departments, false, (b, h) => signals({
            title: sameText(b.title, h.title),
            content: sameText(b.description, h.description)
        }));
        this.roles = matchElements(base.model.roles, head.model.roles, false, (b, h) => signals({
            title: sameText(b.title, h.title),
            content: sameText(b.description, h.description) || sameNames(b.kras.map(use => use.kra), h.kras.map(use => use.kra))
        }));
        this.objectives = matchElements(base.model.objectives, head.model.objectives, false, (b, h) => signals({
            title: sameText(b.title, h.title),
            content: sameText(b.description, h.description)
        }));
        this.metrics = matchElements(base.model.metrics, head.model.metrics, false, (b, h) => signals({
            title: sameText(b.title, h.title),
            content: (b.sourceSystem !== null && b.sourceField !== null && b.sourceSystem === h.sourceSystem && b.sourceField === h.sourceField)
                || sameText(b.description, h.description)
        }));
        this.kras = matchElements(base.model.kras, head.model.kras, true, (b, h) => {
            const before = this.kraContainerKey(b, true);
            return nestedSignals(b.id, h.id, before, this.kraContainerKey(b, false), this.kraContainerKey(h, false), {
                title: sameText(b.title, h.title),
                content: sameText(b.description, h.description) || sameNames(b.kpis.map(use => use.kpi), h.kpis.map(use => use.kpi))
            });
        });
        this.kpis = matchElements(base.model.kpis, head.model.kpis, true, (b, h) => {
            const baseFormula = b.formula ? formulaText(this.mapTree(b.formula.tree, false)) : null;
            return nestedSignals(b.id, h.id, b.kra ?? '', b.kra === null ? '' : this.kras.toHead.get(b.kra) ?? b.kra, h.kra ?? '', {
                title: sameText(b.title, h.title),
                content: (baseFormula !== null && baseFormula === h.formula?.text) || sameText(b.description, h.description)
            });
        });
    }

    /** `department:ops` or `role:agent` or '' for a KRA, in base ids (raw) or mapped to head ids. */
    private kraContainerKey(kra: Kra, raw: boolean): string {
        const declaredIn = kra.declaredIn;
        if (declaredIn === null) {
            return '';
        }
        if ('department' in declaredIn) {
            return `department:${raw ? declaredIn.department : this.departments.toHead.get(declaredIn.department) ?? declaredIn.department}`;
        }
        return `role:${raw ? declaredIn.role : this.roles.toHead.get(declaredIn.role) ?? declaredIn.role}`;
    }

    /** The base tree with renamed metrics (and, once matched, KPIs) under their head ids. */
    private mapTree(node: ExpressionNode, withKpis = true): ExpressionNode {
        switch (node.kind) {
            case 'metric':
                return { ...node, id: this.metrics.toHead.get(node.id) ?? node.id };
            case 'kpi':
                return { ...node, id: withKpis ? this.kpis.toHead.get(node.id) ?? node.id : node.id };
            case 'number':
                return node;
            case 'negate':
                return { ...node, operand: this.mapTree(node.operand, withKpis) };
            case 'binary':
                return { ...node, left: this.mapTree(node.left, withKpis), right: this.mapTree(node.right, withKpis) };
            case 'call':
                return { ...node, args: node.args.map(arg => this.mapTree(arg, withKpis)) };
            case 'if':
                return {
                    ...node,
                    condition: { ...node.condition, left: this.mapTree(node.condition.left, withKpis), right: this.mapTree(node.condition.right, withKpis) },
                    then: this.mapTree(node.then, withKpis),
                    else: this.mapTree(node.else, withKpis)
                };
            case 'window':
                return { ...node, expression: this.mapTree(node.expression, withKpis) };
        }
    }

    private mapOwner(owner: Owner | null): Owner | null {
        return owner !== null && 'role' in owner ? { role: this.roles.toHead.get(owner.role) ?? owner.role } : owner;
    }

    // ---------------------------------------------------------------- context

    private organisation(): ChangeContext {
        return { kind: 'organisation', id: null, title: 'Organisation' };
    }

    private departmentContext(id: string | null): ChangeContext {
        return id === null ? this.organisation() : { kind: 'department', id, title: this.words.title('department', id) };
    }

    private roleContext(id: string): ChangeContext {
        return { kind: 'role', id, title: this.words.title('role', id) };
    }

    private kraContext(kra: Kra): ChangeContext {
        const declaredIn = kra.declaredIn;
        if (declaredIn === null) {
            return this.organisation();
        }
        return 'department' in declaredIn ? this.departmentContext(declaredIn.department) : this.roleContext(declaredIn.role);
    }

    private kpiContext(kpi: Kpi, version: Side): ChangeContext {
        const kraId = kpi.kra ?? kpi.usedBy[0];
        const kra = kraId === undefined ? undefined : version.kras.get(kraId);
        return kra ? this.kraContext(kra) : this.organisation();
    }

    /** Roles whose appraisal includes the element, in a version. */
    private rolesOf(element: DiffElementKind, id: string, version: Side): string[] {
        const roles = version.model.roles;
        switch (element) {
            case 'kpi':
                return roles.filter(role => role.kras.some(use => use.kpis.some(kpi => kpi.kpi === id))).map(role => role.id);
            case 'kra':
                return roles.filter(role => role.kras.some(use => use.kra === id)).map(role => role.id);
            case 'role':
                return [id];
            case 'department':
                return roles.filter(role => role.department === id).map(role => role.id);
            case 'metric': {
                const kpis = new Set(version.model.kpis.filter(kpi => kpi.dependencies.metrics.includes(id)).map(kpi => kpi.id));
                return roles.filter(role => role.kras.some(use => use.kpis.some(kpi => kpis.has(kpi.kpi)))).map(role => role.id);
            }
            case 'objective':
                return [];
        }
    }

    // ---------------------------------------------------------------- weight sums

    private kpiWeightSum(version: Side, kraId: string): number | null {
        return sum(version.kras.get(kraId)?.kpis.map(use => use.weight) ?? []);
    }

    private roleWeightSum(version: Side, roleId: string): number | null {
        return sum(version.roles.get(roleId)?.kras.map(use => use.weight) ?? []);
    }

    private departmentWeightSum(version: Side, departmentId: string): number | null {
        return sum(version.model.kras
            .filter(kra => kra.declaredIn !== null && 'department' in kra.declaredIn && kra.declaredIn.department === departmentId)
            .map(kra => kra.weight));
    }

    /**
     * ` (KPI weights in Service performance now sum to 105%)` when the sum changed; nothing
     * when the container is new or gone (`undefined`): its sum is not news.
     */
    private sumNote(before: number | null | undefined, after: number | null | undefined, what: string): string {
        if (before === undefined || after === undefined || before === after || after === null) {
            return '';
        }
        return ` (${what} now sum to ${weight(after)})`;
    }

    /** The note for a KRA's KPI weights, base and head ids given (either may be missing). */
    private kraSumNote(baseKra: string | undefined, headKra: string | undefined): string {
        const before = baseKra === undefined ? undefined : this.kpiWeightSum(this.base, baseKra);
        const after = headKra === undefined ? undefined : this.kpiWeightSum(this.head, headKra);
        const title = this.words.title('kra', headKra ?? baseKra ?? '');
        return this.sumNote(before, after, `KPI weights in ${title}`);
    }

    private containerSumNote(kra: Kra, version: Side): string {
        const declaredIn = kra.declaredIn;
        if (declaredIn === null) {
            return '';
        }
        const isHead = version === this.head;
        if ('department' in declaredIn) {
            const id = declaredIn.department;
            const baseId = isHead ? this.departments.toBase.get(id) : id;
            const headId = isHead ? id : this.departments.toHead.get(id);
            return this.sumNote(baseId === undefined ? undefined : this.departmentWeightSum(this.base, baseId),
                headId === undefined ? undefined : this.departmentWeightSum(this.head, headId),
                'KRA weights');
        }
        const id = declaredIn.role;
        const baseId = isHead ? this.roles.toBase.get(id) : id;
        const headId = isHead ? id : this.roles.toHead.get(id);
        return this.sumNote(baseId === undefined ? undefined : this.roleWeightSum(this.base, baseId),
            headId === undefined ? undefined : this.roleWeightSum(this.head, headId),
            'KRA weights');
    }

    // ---------------------------------------------------------------- recording

    private add(draft: Omit<Draft, 'roles'> & { roles?: string[] }): void {
        this.drafts.push({ ...draft, roles: draft.roles ?? [] });
    }

    /** Added, removed and (reported) renamed elements of one kind. */
    private lifecycle<T extends { id: string; title: string | null }>(
        element: DiffElementKind, matching: Matching, base: Index<T>, head: Index<T>,
        describe: {
            context: (element: T, version: Side) => ChangeContext;
            added: (element: T) => string;
            removed: (element: T) => string;
            moved?: (before: T, after: T) => string | undefined;
        }
    ): void {
        const label = ELEMENT_LABELS[element];
        for (const id of matching.added) {
            const after = head.get(id)!;
            this.add({
                kind: 'added', element, id, after: summaryOf(after), title: titleOf(after),
                context: describe.context(after, this.head), roles: this.rolesOf(element, id, this.head),
                detail: describe.added(after)
            });
        }
        for (const id of matching.removed) {
            const before = base.get(id)!;
            this.add({
                kind: 'removed', element, id, before: summaryOf(before), title: titleOf(before),
                context: describe.context(before, this.base), roles: this.rolesOf(element, id, this.base),
                detail: describe.removed(before)
            });
        }
        for (const rename of matching.renames) {
            if (rename.signals.implied) {
                continue;
            }
            const before = base.get(rename.base)!;
            const after = head.get(rename.head)!;
            const titleChanged = titleOf(before) !== titleOf(after);
            const nameChanged = nameOf(rename.base) !== nameOf(rename.head);
            const moved = describe.moved?.(before, after);
            let detail = titleChanged ? `${label} ${titleOf(before)} renamed to ${titleOf(after)}` : `${label} ${titleOf(after)}`;
            if (moved) {
                detail += `${titleChanged ? ',' : ''} ${moved}`;
            } else if (!titleChanged) {
                detail += ' renamed';
            }
            if (nameChanged) {
                detail += ` (id ${nameOf(rename.base)} → ${nameOf(rename.head)})`;
            }
            this.add({
                kind: 'renamed', element, id: rename.head, previousId: rename.base,
                before: { id: rename.base, title: before.title }, after: { id: rename.head, title: after.title },
                title: titleOf(after), context: describe.context(after, this.head),
                roles: this.rolesOf(element, rename.head, this.head), detail
            });
        }
    }

    /** Pairs of elements present in both versions: [base, head, rename or undefined]. */
    private pairs<T>(matching: Matching, base: Index<T>, head: Index<T>): Array<[T, T, Rename | undefined]> {
        const renames = new Map(matching.renames.map(rename => [rename.base, rename]));
        return [...matching.toHead].map(([baseId, headId]): [T, T, Rename | undefined] => [base.get(baseId)!, head.get(headId)!, renames.get(baseId)])
            .sort((a, b) => compare((a[1] as { id: string }).id, (b[1] as { id: string }).id));
    }

    /** A field that changed from `before` to `after` (compared as JSON). */
    private field(draft: Omit<Draft, 'kind' | 'roles'> & { roles?: string[] }): void {
        if (json(draft.before) === json(draft.after)) {
            return;
        }
        this.add({ ...draft, kind: 'changed' });
    }

    private titleField(element: DiffElementKind, id: string, before: { title: string | null }, after: { title: string | null },
        rename: Rename | undefined, context: ChangeContext, roles: string[]): void {
        if (rename && !rename.signals.implied) {
            return; // the rename reports the new title
        }
        if ((before.title ?? '') !== (after.title ?? '')) {
            this.add({
                kind: 'changed', element, id, field: 'title', before: before.title, after: after.title, title: after.title ?? id, context, roles,
                detail: `${ELEMENT_LABELS[element]} ${before.title ?? id} retitled ${after.title ?? id}`
            });
        }
    }

    // ---------------------------------------------------------------- departments

    private departmentChanges(): void {
        const context = (department: Department, version: Side) => this.departmentContext(
            department.parent === null ? null
                : version === this.head ? department.parent : this.departments.toHead.get(department.parent) ?? department.parent);
        this.lifecycle('department', this.departments, this.base.departments, this.head.departments, {
            context,
            added: department => `new department ${titleOf(department)}`,
            removed: department => `department ${titleOf(department)} removed`
        });
        for (const [before, after, rename] of this.pairs(this.departments, this.base.departments, this.head.departments)) {
            const own = this.departmentContext(after.id);
            const roles = this.rolesOf('department', after.id, this.head);
            const title = titleOf(after);
            this.titleField('department', after.id, before, after, rename, own, roles);
            const parentBefore = before.parent === null ? null : this.departments.toHead.get(before.parent) ?? before.parent;
            this.field({
                element: 'department', id: after.id, field: 'parent', before: parentBefore, after: after.parent, title, context: own, roles,
                detail: after.parent === null ? `${title} is no longer part of ${this.words.title('department', parentBefore ?? '')}`
                    : `${title} is now part of ${this.words.title('department', after.parent)}${parentBefore === null ? '' : ` (was ${this.words.title('department', parentBefore)})`}`
            });
            this.ownerField('department', after.id, before.owner, after.owner, title, own, roles);
            this.kraWeights('department', before.id, after.id, own,
                version => version.model.kras.filter(kra => kra.declaredIn !== null && 'department' in kra.declaredIn
                    && kra.declaredIn.department === (version === this.base ? before.id : after.id)).map(kra => ({ kra: kra.id, weight: kra.weight, via: 'own' })));
        }
    }

    private ownerField(element: DiffElementKind, id: string, before: Owner | null, after: Owner | null, title: string, context: ChangeContext, roles: string[]): void {
        const mapped = this.mapOwner(before);
        this.field({
            element, id, field: 'owner', before: mapped, after, title, context, roles,
            detail: `${title} owner ${this.words.owner(mapped)} → ${this.words.owner(after)}`
        });
    }

    /**
     * Weights of the KRAs of a role or department: weight changes, and KRAs carried or dropped
     * (own KRAs that come or go are reported as KRAs added or removed).
     */
    private kraWeights(element: 'role' | 'department', baseId: string, headId: string, context: ChangeContext,
        usesOf: (version: Side) => Array<{ kra: string; weight: number | null; via: 'own' | 'carried' }>): void {
        const before = new Map(usesOf(this.base).map(use => [this.kras.toHead.get(use.kra) ?? use.kra, use]));
        const after = new Map(usesOf(this.head).map(use => [use.kra, use]));
        const sumBefore = element === 'role' ? this.roleWeightSum(this.base, baseId) : this.departmentWeightSum(this.base, baseId);
        const sumAfter = element === 'role' ? this.roleWeightSum(this.head, headId) : this.departmentWeightSum(this.head, headId);
        // The context names the role or department: "Team leader · … (KRA weights now sum to 105%)".
        const note = this.sumNote(sumBefore, sumAfter, 'KRA weights');
        const roles = element === 'role' ? [headId] : this.rolesOf('department', headId, this.head);
        const owner = context.title;
        for (const [kraId, use] of after) {
            const previous = before.get(kraId);
            const kraTitle = this.words.title('kra', kraId);
            if (!previous) {
                if (use.via === 'carried') {
                    this.add({
                        kind: 'changed', element, id: headId, field: 'kras', key: kraId, before: null, after: { kra: kraId, weight: use.weight },
                        title: owner, context, roles,
                        detail: `now carries ${kraTitle}${use.weight === null ? '' : ` weighted ${weight(use.weight)}`}${note}`
                    });
                }
                continue;
            }
            this.field({
                element, id: headId, field: 'kra-weight', key: kraId, before: previous.weight, after: use.weight, title: owner, context, roles,
                detail: `${kraTitle} weight ${weight(previous.weight)} → ${weight(use.weight)}${note}`
            });
        }
        for (const [kraId, use] of before) {
            if (!after.has(kraId) && use.via === 'carried') {
                this.add({
                    kind: 'changed', element, id: headId, field: 'kras', key: kraId, before: { kra: use.kra, weight: use.weight }, after: null,
                    title: owner, context, roles,
                    detail: `no longer carries ${this.words.title('kra', kraId)}${note}`
                });
            }
        }
    }

    // ---------------------------------------------------------------- roles

    private roleChanges(): void {
        const context = (role: Role, version: Side) => this.departmentContext(
            role.department === null ? null
                : version === this.head ? role.department : this.departments.toHead.get(role.department) ?? role.department);
        this.lifecycle('role', this.roles, this.base.roles, this.head.roles, {
            context,
            added: role => `new role ${titleOf(role)}${role.kras.length > 0 ? ` with ${role.kras.length} KRA${role.kras.length === 1 ? '' : 's'}` : ''}`,
            removed: role => `role ${titleOf(role)} removed`,
            moved: (before, after) => {
                const from = context(before, this.base);
                const to = context(after, this.head);
                return from.id !== to.id ? `moved from ${from.title} to ${to.title}` : undefined;
            }
        });
        for (const [before, after, rename] of this.pairs(this.roles, this.base.roles, this.head.roles)) {
            const own = this.roleContext(after.id);
            const roles = [after.id];
            const title = titleOf(after);
            this.titleField('role', after.id, before, after, rename, own, roles);
            const departmentBefore = before.department === null ? null : this.departments.toHead.get(before.department) ?? before.department;
            if (!(rename && !rename.signals.implied)) {
                this.field({
                    element: 'role', id: after.id, field: 'department', before: departmentBefore, after: after.department, title, context: own, roles,
                    detail: `${title} moved from ${departmentBefore === null ? 'no department' : this.words.title('department', departmentBefore)} to ${after.department === null ? 'no department' : this.words.title('department', after.department)}`
                });
            }
            const reportsBefore = before.reportsTo === null ? null : this.roles.toHead.get(before.reportsTo) ?? before.reportsTo;
            this.field({
                element: 'role', id: after.id, field: 'reports-to', before: reportsBefore, after: after.reportsTo, title, context: own, roles,
                detail: `${title} reports to ${reportsBefore === null ? 'nobody' : this.words.title('role', reportsBefore)} → ${after.reportsTo === null ? 'nobody' : this.words.title('role', after.reportsTo)}`
            });
            this.kraWeights('role', before.id, after.id, own, version => (version === this.base ? before : after).kras);
        }
    }

    // ---------------------------------------------------------------- objectives and metrics

    private objectiveChanges(): void {
        this.lifecycle('objective', this.objectives, this.base.objectives, this.head.objectives, {
            context: () => this.organisation(),
            added: objective => `new objective ${titleOf(objective)}${objective.deadline ? ` by ${objective.deadline}` : ''}`,
            removed: objective => `objective ${titleOf(objective)} removed`
        });
        for (const [before, after, rename] of this.pairs(this.objectives, this.base.objectives, this.head.objectives)) {
            const context = this.organisation();
            const title = titleOf(after);
            this.titleField('objective', after.id, before, after, rename, context, []);
            this.ownerField('objective', after.id, before.owner, after.owner, title, context, []);
            this.field({
                element: 'objective', id: after.id, field: 'deadline', before: before.deadline, after: after.deadline, title, context,
                detail: `${title} deadline ${before.deadline ?? 'none'} → ${after.deadline ?? 'none'}`
            });
        }
    }

    private metricChanges(): void {
        this.lifecycle('metric', this.metrics, this.base.metrics, this.head.metrics, {
            context: () => this.organisation(),
            added: metric => `new metric ${titleOf(metric)}${metric.sourceSystem ? ` from ${metric.sourceSystem}` : ''}`,
            removed: metric => `metric ${titleOf(metric)} removed`
        });
        for (const [before, after, rename] of this.pairs(this.metrics, this.base.metrics, this.head.metrics)) {
            const context = this.organisation();
            const roles = this.rolesOf('metric', after.id, this.head);
            const title = titleOf(after);
            this.titleField('metric', after.id, before, after, rename, context, roles);
            this.field({
                element: 'metric', id: after.id, field: 'unit', before: before.unit, after: after.unit, title, context, roles,
                detail: `${title} unit ${this.words.unit(before.unit)} → ${this.words.unit(after.unit)}`
            });
        }
    }

    // ---------------------------------------------------------------- KRAs

    private kraChanges(): void {
        const weightNote = (kra: Kra, version: Side) => {
            const declaredIn = kra.declaredIn;
            if (declaredIn === null || kra.weight === null) {
                return '';
            }
            return ` weighted ${weight(kra.weight)}${this.containerSumNote(kra, version)}`;
        };
        this.lifecycle('kra', this.kras, this.base.kras, this.head.kras, {
            context: kra => this.kraContext(kra),
            added: kra => `new KRA ${titleOf(kra)}${weightNote(kra, this.head)}`,
            removed: kra => `KRA ${titleOf(kra)} removed${this.containerSumNote(kra, this.base)}`,
            moved: (before, after) => {
                const from = this.kraContainerKey(before, false);
                const to = this.kraContainerKey(after, false);
                return from !== to ? `moved from ${this.kraContext(before).title} to ${this.kraContext(after).title}` : undefined;
            }
        });
        for (const [before, after, rename] of this.pairs(this.kras, this.base.kras, this.head.kras)) {
            const context = this.kraContext(after);
            const roles = this.rolesOf('kra', after.id, this.head);
            const title = titleOf(after);
            this.titleField('kra', after.id, before, after, rename, context, roles);
            this.ownerField('kra', after.id, before.owner, after.owner, title, context, roles);
            this.field({
                element: 'kra', id: after.id, field: 'perspective', before: before.perspective, after: after.perspective, title, context, roles,
                detail: `${title} perspective ${before.perspective ?? 'none'} → ${after.perspective ?? 'none'}`
            });
            const alignBefore = this.mapAlignment(before.alignsTo);
            this.field({
                element: 'kra', id: after.id, field: 'alignment', before: alignBefore, after: after.alignsTo, title, context, roles,
                detail: `${title} aligns to ${this.alignmentWords(alignBefore)} → ${this.alignmentWords(after.alignsTo)}`
            });
            if (after.declaredIn === null && before.declaredIn === null) {
                this.field({
                    element: 'kra', id: after.id, field: 'weight', before: before.weight, after: after.weight, title, context, roles,
                    detail: `${title} weight ${weight(before.weight)} → ${weight(after.weight)}`
                });
            }
            this.kpiWeights(before, after, context, roles);
        }
    }

    private mapAlignment(alignsTo: Kra['alignsTo']): Kra['alignsTo'] {
        if (alignsTo === null) {
            return null;
        }
        return 'objective' in alignsTo
            ? { objective: this.objectives.toHead.get(alignsTo.objective) ?? alignsTo.objective }
            : { kra: this.kras.toHead.get(alignsTo.kra) ?? alignsTo.kra };
    }

    private alignmentWords(alignsTo: Kra['alignsTo']): string {
        if (alignsTo === null) {
            return 'nothing';
        }
        return 'objective' in alignsTo ? this.words.title('objective', alignsTo.objective) : this.words.title('kra', alignsTo.kra);
    }

    /** KPI weights within a KRA, and KPIs adopted (`measured by`) or dropped. */
    private kpiWeights(before: Kra, after: Kra, context: ChangeContext, roles: string[]): void {
        const uses = new Map(before.kpis.map(use => [this.kpis.toHead.get(use.kpi) ?? use.kpi, use]));
        const note = this.kraSumNote(before.id, after.id);
        const kraTitle = titleOf(after);
        for (const use of after.kpis) {
            const previous = uses.get(use.kpi);
            const kpiTitle = this.words.title('kpi', use.kpi);
            if (!previous) {
                if (use.via === 'measured-by') {
                    this.add({
                        kind: 'changed', element: 'kra', id: after.id, field: 'kpis', key: use.kpi, before: null, after: { kpi: use.kpi, weight: use.weight },
                        title: kraTitle, context, roles,
                        detail: `${kraTitle} now measured by ${kpiTitle}${use.weight === null ? '' : ` weighted ${weight(use.weight)}`}${note}`
                    });
                }
                continue;
            }
            this.field({
                element: 'kra', id: after.id, field: 'kpi-weight', key: use.kpi, before: previous.weight, after: use.weight, title: kraTitle, context, roles,
                detail: `${kpiTitle} weight in ${kraTitle} ${weight(previous.weight)} → ${weight(use.weight)}${note}`
            });
        }
        const current = new Set(after.kpis.map(use => use.kpi));
        for (const [kpiId, use] of uses) {
            if (!current.has(kpiId) && use.via === 'measured-by') {
                this.add({
                    kind: 'changed', element: 'kra', id: after.id, field: 'kpis', key: kpiId, before: { kpi: use.kpi, weight: use.weight }, after: null,
                    title: kraTitle, context, roles,
                    detail: `${kraTitle} no longer measured by ${this.words.title('kpi', kpiId)}${note}`
                });
            }
        }
    }

    // ---------------------------------------------------------------- KPIs

    private kpiChanges(): void {
        const inKra = (kpi: Kpi) => (kpi.kra === null ? '' : ` in ${this.words.title('kra', kpi.kra)}`);
        this.lifecycle('kpi', this.kpis, this.base.kpis, this.head.kpis, {
            context: (kpi, version) => this.kpiContext(kpi, version),
            added: kpi => `new KPI ${titleOf(kpi)}${inKra(kpi)}${kpi.weight === null ? '' : ` weighted ${weight(kpi.weight)}`}`
                + (kpi.kra === null ? '' : this.kraSumNote(this.kras.toBase.get(kpi.kra), kpi.kra)),
            removed: kpi => `KPI ${titleOf(kpi)} removed${kpi.kra === null ? '' : ` from ${this.words.title('kra', kpi.kra)}`}`
                + (kpi.kra === null ? '' : this.kraSumNote(kpi.kra, this.kras.toHead.get(kpi.kra))),
            moved: (before, after) => {
                const from = before.kra === null ? null : this.kras.toHead.get(before.kra) ?? before.kra;
                if (from === after.kra) {
                    return undefined;
                }
                const where = (kra: string | null) => (kra === null ? 'the top level' : this.words.title('kra', kra));
                return `moved from ${where(from)} to ${where(after.kra)}`;
            }
        });
        for (const [before, after, rename] of this.pairs(this.kpis, this.base.kpis, this.head.kpis)) {
            const context = this.kpiContext(after, this.head);
            const roles = this.rolesOf('kpi', after.id, this.head);
            const title = titleOf(after);
            const base = { element: 'kpi' as const, id: after.id, title, context, roles };
            this.titleField('kpi', after.id, before, after, rename, context, roles);
            const formulaBefore = before.formula ? formulaText(this.mapTree(before.formula.tree)) : null;
            const formulaAfter = after.formula?.text ?? null;
            this.field({
                ...base, field: 'formula', before: formulaBefore, after: formulaAfter,
                detail: formulaBefore === null ? `${title} formula added: ${formulaAfter}`
                    : formulaAfter === null ? `${title} formula removed (was ${formulaBefore})`
                        : `${title} formula ${formulaBefore} → ${formulaAfter}`
            });
            this.field({
                ...base, field: 'unit', before: before.unit, after: after.unit,
                detail: `${title} unit ${this.words.unit(before.unit)} → ${this.words.unit(after.unit)}`
            });
            this.field({
                ...base, field: 'direction', before: before.direction, after: after.direction,
                detail: `${title} direction ${direction(before.direction)} → ${direction(after.direction)}`
            });
            this.field({
                ...base, field: 'baseline', before: before.baseline, after: after.baseline,
                detail: `${title} baseline ${this.words.baseline(before.baseline)} → ${this.words.baseline(after.baseline)}`
            });
            this.targets(before.targets, after.targets, base);
            this.thresholds(before.thresholds, after.thresholds, base);
            this.ownerField('kpi', after.id, before.owner, after.owner, title, context, roles);
        }
    }

    private targets(before: readonly Target[], after: readonly Target[],
        base: { element: 'kpi'; id: string; title: string; context: ChangeContext; roles: string[] }): void {
        const keyOf = (target: Target) => `${target.client ?? ''}|${target.goal.kind}`;
        const pairs = pairUp(before, after, keyOf, target => target.client ?? '');
        for (const [b, a] of pairs) {
            const target = (a ?? b)!;
            const client = this.words.client(target.client);
            let detail: string;
            if (b && a) {
                const sameKind = b.goal.kind === a.goal.kind;
                const simple = json(b.timing) === json(a.timing) && b.stages.length === 0 && a.stages.length === 0;
                detail = simple
                    ? `${base.title} target${client} ${this.words.goal(b.goal, !sameKind)} → ${this.words.goal(a.goal, !sameKind)}${timing(a.timing)}`
                    : `${base.title} target${client} ${this.words.target(b, !sameKind)} → ${this.words.target(a, !sameKind)}`;
            } else if (a) {
                detail = `${base.title} new target${client}: ${this.words.target(a)}`;
            } else {
                detail = `${base.title} target${client} removed (was ${this.words.target(b!)})`;
            }
            this.field({ ...base, field: 'target', key: keyOf(a ?? b!), before: b ?? null, after: a ?? null, detail });
        }
    }

    private thresholds(before: readonly Threshold[], after: readonly Threshold[],
        base: { element: 'kpi'; id: string; title: string; context: ChangeContext; roles: string[] }): void {
        for (const [b, a] of pairUp(before, after, threshold => threshold.status)) {
            const status = (a ?? b)!.status;
            const detail = b && a
                ? `${base.title} ${status} threshold ${this.words.condition(b.condition)} → ${this.words.condition(a.condition)}`
                : a ? `${base.title} new ${status} threshold: ${this.words.condition(a.condition)}`
                    : `${base.title} ${status} threshold removed (was ${this.words.condition(b!.condition)})`;
            this.field({ ...base, field: 'threshold', key: status, before: b ?? null, after: a ?? null, detail });
        }
    }

    // ---------------------------------------------------------------- result

    private result(): SemanticDiff {
        const departmentOfContext = (context: ChangeContext): string => {
            if (context.kind === 'department') {
                return context.title;
            }
            if (context.kind === 'role' && context.id !== null) {
                const role = this.head.roles.get(context.id) ?? this.base.roles.get(context.id);
                return role?.department ? this.words.title('department', role.department) : '';
            }
            return '';
        };
        const contextKey = (context: ChangeContext): string[] => context.kind === 'organisation' ? ['0']
            : context.kind === 'department' ? ['1', context.title, ''] : ['1', departmentOfContext(context), context.title];
        const sourceOf = (draft: Draft): SourceLocation | null => {
            const version = draft.kind === 'removed' ? this.base : this.head;
            const indexes: Record<DiffElementKind, Index<{ source: SourceLocation }>> = {
                department: version.departments, role: version.roles, objective: version.objectives,
                metric: version.metrics, kra: version.kras, kpi: version.kpis
            };
            const source = indexes[draft.element].get(draft.id)?.source;
            return source ? { file: source.file, line: source.line } : null;
        };
        const changes: SemanticChange[] = this.drafts.map(draft => ({
            kind: draft.kind,
            element: draft.element,
            id: draft.id,
            previousId: draft.previousId ?? null,
            field: draft.field ?? null,
            key: draft.key ?? null,
            before: toValue(draft.before),
            after: toValue(draft.after),
            title: draft.title,
            context: draft.context,
            roles: [...draft.roles].sort(),
            detail: draft.detail,
            message: `${draft.context.title} · ${draft.detail}`,
            source: sourceOf(draft)
        }));
        changes.sort((a, b) =>
            KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
            || compareLists(contextKey(a.context), contextKey(b.context))
            || compare(a.context.id ?? '', b.context.id ?? '')
            || compare(a.source?.file ?? '', b.source?.file ?? '')
            || (a.source?.line ?? 0) - (b.source?.line ?? 0)
            || ELEMENT_ORDER.indexOf(a.element) - ELEMENT_ORDER.indexOf(b.element)
            || compare(a.id, b.id)
            // Parts of one field (targets, weights) stay in the order the element lists them.
            || (a.field === null || b.field === null ? 0 : FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field)));
        const count = (kind: ChangeKind) => changes.filter(change => change.kind === kind).length;
        const summary: DiffSummary = {
            added: count('added'), removed: count('removed'), renamed: count('renamed'), changed: count('changed'), total: changes.length
        };
        return { summary, changes };
    }
}

// -------------------------------------------------------------------- helpers

function signals(partial: { title: boolean; content: boolean }): Signals {
    return { name: false, context: false, implied: false, ...partial };
}

/** Signals of nested elements: `before` is the base container key, `mapped` the same with renames applied. */
function nestedSignals(baseId: string, headId: string, before: string, mapped: string, after: string,
    partial: { title: boolean; content: boolean }): Signals {
    const name = nameOf(baseId) === nameOf(headId);
    const context = mapped === after;
    return { name, context, ...partial, implied: name && context && before !== mapped };
}

/** The same non-empty set of names (last id segments). */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
    if (a.length === 0) {
        return false;
    }
    const names = (ids: readonly string[]) => [...new Set(ids.map(nameOf))].sort().join(',');
    return names(a) === names(b);
}

function titleOf(element: { id: string; title: string | null }): string {
    return element.title ?? element.id;
}

/** What an added or removed element's JSON shows: its id and title. */
function summaryOf(element: { id: string; title: string | null }): DiffValue {
    return { id: element.id, title: element.title };
}

function json(value: unknown): string {
    return JSON.stringify(value ?? null);
}

function toValue(value: unknown): DiffValue {
    return value === undefined ? null : JSON.parse(JSON.stringify(value)) as DiffValue;
}

function sum(weights: ReadonlyArray<number | null>): number | null {
    return weightTotal(weights).total;
}

function compareLists(a: readonly string[], b: readonly string[]): number {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const result = compare(a[i] ?? '', b[i] ?? '');
        if (result !== 0) {
            return result;
        }
    }
    return 0;
}

/**
 * Pairs list items of two versions by key (in order within a key); left-overs with the same
 * `loose` key (a target's client) pair next, so a target that changed comparator is one change.
 */
function pairUp<T>(before: readonly T[], after: readonly T[], key: (item: T) => string, loose?: (item: T) => string): Array<[T | undefined, T | undefined]> {
    const pairs: Array<[T | undefined, T | undefined]> = [];
    const remaining = [...after];
    const unmatched: T[] = [];
    for (const item of before) {
        const index = remaining.findIndex(candidate => key(candidate) === key(item));
        if (index >= 0) {
            pairs.push([item, remaining.splice(index, 1)[0]]);
        } else {
            unmatched.push(item);
        }
    }
    for (const item of unmatched) {
        const index = loose ? remaining.findIndex(candidate => loose(candidate) === loose(item)) : -1;
        pairs.push(index >= 0 ? [item, remaining.splice(index, 1)[0]] : [item, undefined]);
    }
    for (const item of remaining) {
        pairs.push([undefined, item]);
    }
    return pairs;
}
