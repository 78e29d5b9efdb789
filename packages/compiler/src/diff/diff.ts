/**
 * The semantic diff of two compiled models: what a pull request changes in the organisation's
 * KRAs and KPIs, in the words HR reviewers use. Browser-safe: models in, changes out.
 */
import { weightTotal } from '@kra-lang/semantics';
import { formulaText } from '../formula-tree.js';
import type {
    Department, ExpressionNode, Kpi, Kra, KraModel, Metric, Objective, Owner, PredicateNode, Role, SourceLocation
} from '../model.js';
import { json, summaryOf, titleOf, toValue, type Draft, type DraftInput, type FieldDraft } from './draft.js';
import { kpiChanges } from './kpis.js';
import { kraChanges } from './kras.js';
import { compare, matchElements, nameOf, sameText, type Matching, type Rename, type Signals } from './match.js';
import { settingsChanges } from './settings.js';
import { departmentChanges, metricChanges, objectiveChanges, roleChanges } from './structure.js';
import type {
    ChangeContext, ChangeField, ChangeKind, DiffElementKind, DiffSummary, SemanticChange, SemanticDiff
} from './types.js';
import { Lexicon, weight } from './wording.js';

const KIND_ORDER: readonly ChangeKind[] = ['added', 'removed', 'renamed', 'changed'];
const ELEMENT_ORDER: readonly DiffElementKind[] = [
    'organisation', 'rating-scale', 'unit', 'perspective', 'client', 'department', 'role', 'objective', 'metric', 'kra', 'kpi', 'variant'
];
const FIELD_ORDER: readonly ChangeField[] = [
    'title', 'version', 'effective', 'fiscal-year-start', 'currency', 'symbol', 'dimension', 'conversion', 'contract', 'method', 'level',
    'department', 'parent', 'reports-to', 'rating-scale', 'perspective', 'alignment', 'deadline',
    'formula', 'unit', 'direction', 'baseline', 'benchmark', 'target', 'threshold', 'frequency', 'data-source', 'measure', 'additivity', 'aggregation', 'missing-as',
    'review', 'owner', 'weight', 'kras', 'kra-weight', 'kpis', 'kpi-weight'
];

export const ELEMENT_LABELS: Record<DiffElementKind, string> = {
    organisation: 'organisation', 'rating-scale': 'rating scale', unit: 'unit', perspective: 'perspective', client: 'client',
    department: 'department', role: 'role', objective: 'objective', metric: 'metric', kra: 'KRA', kpi: 'KPI', variant: 'variant'
};

/** Compares two compiled models; `base` is the earlier version, `head` the proposed one. */
export function diffModels(base: KraModel, head: KraModel): SemanticDiff {
    return new ModelDiff(base, head).run();
}

export type Index<T> = ReadonlyMap<string, T>;

function index<T extends { id: string }>(elements: readonly T[]): Index<T> {
    return new Map(elements.map(element => [element.id, element]));
}

/** One version of the workspace, its elements indexed by id. */
export interface Side {
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

/**
 * The state of one comparison, shared by its parts, which compare the elements: structure.ts
 * departments, roles, objectives and metrics; kras.ts KRAs; kpis.ts KPIs and their variants;
 * settings.ts the organisation, rating scales, units, perspectives and clients.
 */
export class ModelDiff {
    readonly base: Side;
    readonly head: Side;
    readonly words: Lexicon;
    readonly drafts: Draft[] = [];
    departments!: Matching;
    roles!: Matching;
    objectives!: Matching;
    metrics!: Matching;
    kras!: Matching;
    kpis!: Matching;

    constructor(base: KraModel, head: KraModel) {
        this.base = side(base);
        this.head = side(head);
        this.words = new Lexicon([head, base]);
    }

    run(): SemanticDiff {
        this.match();
        departmentChanges(this);
        roleChanges(this);
        objectiveChanges(this);
        metricChanges(this);
        kraChanges(this);
        kpiChanges(this);
        settingsChanges(this);
        return this.result();
    }

    // ---------------------------------------------------------------- matching

    match(): void {
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
    kraContainerKey(kra: Kra, raw: boolean): string {
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
    mapTree(node: ExpressionNode, withKpis = true): ExpressionNode {
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
                return node.filter
                    ? { ...node, args: node.args.map(arg => this.mapTree(arg, withKpis)), filter: this.mapPredicate(node.filter, withKpis) }
                    : { ...node, args: node.args.map(arg => this.mapTree(arg, withKpis)) };
            case 'if':
                return {
                    ...node,
                    condition: this.mapPredicate(node.condition, withKpis),
                    then: this.mapTree(node.then, withKpis),
                    else: this.mapTree(node.else, withKpis)
                };
            case 'window':
                return { ...node, expression: this.mapTree(node.expression, withKpis) };
        }
    }

    private mapPredicate(predicate: PredicateNode, withKpis: boolean): PredicateNode {
        switch (predicate.kind) {
            case 'compare':
                return { ...predicate, left: this.mapTree(predicate.left, withKpis), right: this.mapTree(predicate.right, withKpis) };
            case 'not':
                return { ...predicate, operand: this.mapPredicate(predicate.operand, withKpis) };
            case 'and':
            case 'or':
                return { ...predicate, operands: predicate.operands.map(operand => this.mapPredicate(operand, withKpis)) };
        }
    }

    mapOwner(owner: Owner | null): Owner | null {
        return owner !== null && 'role' in owner ? { role: this.roles.toHead.get(owner.role) ?? owner.role } : owner;
    }

    // ---------------------------------------------------------------- context

    organisation(): ChangeContext {
        return { kind: 'organisation', id: null, title: 'Organisation' };
    }

    departmentContext(id: string | null): ChangeContext {
        return id === null ? this.organisation() : { kind: 'department', id, title: this.words.title('department', id) };
    }

    roleContext(id: string): ChangeContext {
        return { kind: 'role', id, title: this.words.title('role', id) };
    }

    kraContext(kra: Kra): ChangeContext {
        const declaredIn = kra.declaredIn;
        if (declaredIn === null) {
            return this.organisation();
        }
        return 'department' in declaredIn ? this.departmentContext(declaredIn.department) : this.roleContext(declaredIn.role);
    }

    kpiContext(kpi: Kpi, version: Side): ChangeContext {
        const kraId = kpi.kra ?? kpi.usedBy[0];
        const kra = kraId === undefined ? undefined : version.kras.get(kraId);
        return kra ? this.kraContext(kra) : this.organisation();
    }

    /** Roles whose appraisal includes the element, in a version. */
    rolesOf(element: DiffElementKind, id: string, version: Side): string[] {
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
            default:
                // Objectives appraise nobody; organisation-wide elements and variants say who they touch themselves.
                return [];
        }
    }

    // ---------------------------------------------------------------- weight sums

    kpiWeightSum(version: Side, kraId: string): number | null {
        return sum(version.kras.get(kraId)?.kpis.map(use => use.weight) ?? []);
    }

    roleWeightSum(version: Side, roleId: string): number | null {
        return sum(version.roles.get(roleId)?.kras.map(use => use.weight) ?? []);
    }

    departmentWeightSum(version: Side, departmentId: string): number | null {
        return sum(version.model.kras
            .filter(kra => kra.declaredIn !== null && 'department' in kra.declaredIn && kra.declaredIn.department === departmentId)
            .map(kra => kra.weight));
    }

    /**
     * ` (KPI weights in Service performance now sum to 105%)` when the sum changed; nothing
     * when the container is new or gone (`undefined`): its sum is not news.
     */
    sumNote(before: number | null | undefined, after: number | null | undefined, what: string): string {
        if (before === undefined || after === undefined || before === after || after === null) {
            return '';
        }
        return ` (${what} now sum to ${weight(after)})`;
    }

    /** The note for a KRA's KPI weights, base and head ids given (either may be missing). */
    kraSumNote(baseKra: string | undefined, headKra: string | undefined): string {
        const before = baseKra === undefined ? undefined : this.kpiWeightSum(this.base, baseKra);
        const after = headKra === undefined ? undefined : this.kpiWeightSum(this.head, headKra);
        const title = this.words.title('kra', headKra ?? baseKra ?? '');
        return this.sumNote(before, after, `KPI weights in ${title}`);
    }

    containerSumNote(kra: Kra, version: Side): string {
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

    add(draft: DraftInput): void {
        this.drafts.push({ ...draft, roles: draft.roles ?? [] });
    }

    /** Added, removed and (reported) renamed elements of one kind. */
    lifecycle<T extends { id: string; title: string | null }>(
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
    pairs<T>(matching: Matching, base: Index<T>, head: Index<T>): Array<[T, T, Rename | undefined]> {
        const renames = new Map(matching.renames.map(rename => [rename.base, rename]));
        return [...matching.toHead].map(([baseId, headId]): [T, T, Rename | undefined] => [base.get(baseId)!, head.get(headId)!, renames.get(baseId)])
            .sort((a, b) => compare((a[1] as { id: string }).id, (b[1] as { id: string }).id));
    }

    /** A field that changed from `before` to `after` (compared as JSON). */
    field(draft: FieldDraft): void {
        if (json(draft.before) === json(draft.after)) {
            return;
        }
        this.add({ ...draft, kind: 'changed' });
    }

    titleField(element: DiffElementKind, id: string, before: { title: string | null }, after: { title: string | null },
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

    /** An owner, with a renamed role followed. */
    ownerField(element: DiffElementKind, id: string, before: Owner | null, after: Owner | null, title: string, context: ChangeContext, roles: string[]): void {
        const mapped = this.mapOwner(before);
        this.field({
            element, id, field: 'owner', before: mapped, after, title, context, roles,
            detail: `${title} owner ${this.words.owner(mapped)} → ${this.words.owner(after)}`
        });
    }

    // ---------------------------------------------------------------- result

    result(): SemanticDiff {
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
            if (draft.source !== undefined) {
                return draft.source === null ? null : { file: draft.source.file, line: draft.source.line };
            }
            const version = draft.kind === 'removed' ? this.base : this.head;
            const indexes: Partial<Record<DiffElementKind, Index<{ source: SourceLocation }>>> = {
                department: version.departments, role: version.roles, objective: version.objectives,
                metric: version.metrics, kra: version.kras, kpi: version.kpis
            };
            const source = indexes[draft.element]?.get(draft.id)?.source;
            return source ? { file: source.file, line: source.line } : null;
        };
        // A weight stated in two places of the model (a role's own KRA, a KRA's own KPI) is
        // compared in both; when both moved, that is one change.
        const seen = new Set<string>();
        const drafts = this.drafts.filter(draft => {
            const key = json([draft.kind, draft.element, draft.id, draft.field ?? null, draft.key ?? null, draft.before ?? null, draft.after ?? null]);
            return !seen.has(key) && Boolean(seen.add(key));
        });
        const changes: SemanticChange[] = drafts.map(draft => ({
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

