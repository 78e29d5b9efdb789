/**
 * The KPI part of the semantic diff: KPIs coming, going and moving, and every field that
 * changes how a KPI is computed or judged, its client variants included.
 */
import { formulaText } from '../formula-tree.js';
import type { Formula, Kpi, Target, Threshold, Variant } from '../model.js';
import type { ModelDiff, Side } from './diff.js';
import { json, pairUp, summaryOf, titleOf } from './draft.js';
import type { ChangeContext } from './types.js';
import { cadence, direction, timing, weight } from './wording.js';

/** What every change to one KPI (or variant) shares. */
interface Subject {
    element: 'kpi' | 'variant';
    id: string;
    title: string;
    context: ChangeContext;
    roles: string[];
}

export function kpiChanges(d: ModelDiff): void {
    const inKra = (kpi: Kpi) => (kpi.kra === null ? '' : ` in ${d.words.title('kra', kpi.kra)}`);
    d.lifecycle('kpi', d.kpis, d.base.kpis, d.head.kpis, {
        context: (kpi, version) => d.kpiContext(kpi, version),
        added: kpi => `new KPI ${titleOf(kpi)}${inKra(kpi)}${kpi.weight === null ? '' : ` weighted ${weight(kpi.weight)}`}`
            + (kpi.kra === null ? '' : d.kraSumNote(d.kras.toBase.get(kpi.kra), kpi.kra)),
        removed: kpi => `KPI ${titleOf(kpi)} removed${kpi.kra === null ? '' : ` from ${d.words.title('kra', kpi.kra)}`}`
            + (kpi.kra === null ? '' : d.kraSumNote(kpi.kra, d.kras.toHead.get(kpi.kra))),
        moved: (before, after) => {
            const from = before.kra === null ? null : d.kras.toHead.get(before.kra) ?? before.kra;
            if (from === after.kra) {
                return undefined;
            }
            const where = (kra: string | null) => (kra === null ? 'the top level' : d.words.title('kra', kra));
            return `moved from ${where(from)} to ${where(after.kra)}`;
        }
    });
    for (const [before, after, rename] of d.pairs(d.kpis, d.base.kpis, d.head.kpis)) {
        const context = d.kpiContext(after, d.head);
        const roles = d.rolesOf('kpi', after.id, d.head);
        const title = titleOf(after);
        const subject: Subject = { element: 'kpi', id: after.id, title, context, roles };
        d.titleField('kpi', after.id, before, after, rename, context, roles);
        definition(d, before, after, subject);
        d.field({
            ...subject, field: 'direction', before: before.direction, after: after.direction,
            detail: `${title} direction ${direction(before.direction)} → ${direction(after.direction)}`
        });
        d.field({
            ...subject, field: 'baseline', before: before.baseline, after: after.baseline,
            detail: `${title} baseline ${d.words.baseline(before.baseline)} → ${d.words.baseline(after.baseline)}`
        });
        d.field({
            ...subject, field: 'benchmark', before: before.benchmark, after: after.benchmark,
            detail: `${title} benchmark ${benchmark(d, before.benchmark)} → ${benchmark(d, after.benchmark)}`
        });
        targets(d, before.targets, after.targets, subject);
        thresholds(d, before.thresholds, after.thresholds, subject);
        d.field({
            ...subject, field: 'frequency', before: before.frequency, after: after.frequency,
            detail: `${title} measured ${cadence(before.frequency)} → ${cadence(after.frequency)}`
        });
        d.field({
            ...subject, field: 'data-source', before: before.dataSource, after: after.dataSource,
            detail: `${title} data source ${before.dataSource ?? 'not stated'} → ${after.dataSource ?? 'not stated'}`
        });
        if (!inheritsPerspective(before, d.base) || !inheritsPerspective(after, d.head)) {
            d.field({
                ...subject, field: 'perspective', before: before.perspective, after: after.perspective,
                detail: `${title} perspective ${d.words.perspective(before.perspective)} → ${d.words.perspective(after.perspective)}`
            });
        }
        d.field({
            ...subject, field: 'review', before: before.review, after: after.review,
            detail: `${title} reviewed ${cadence(before.review)} → ${cadence(after.review)}`
        });
        d.ownerField('kpi', after.id, before.owner, after.owner, title, context, roles);
        kpiWeight(d, before, after, subject);
        variants(d, before, after, subject);
    }
}

/**
 * A KPI that states no perspective has its KRA's; a change of the KRA's perspective is reported
 * on the KRA, not again on each of its KPIs.
 */
function inheritsPerspective(kpi: Kpi, version: Side): boolean {
    return kpi.kra !== null && version.kras.get(kpi.kra)?.perspective === kpi.perspective;
}

/** The canonical text of a formula, base-version names mapped to their head ids. */
function formulaOf(d: ModelDiff, formula: Formula | null, isBase: boolean): string | null {
    return formula === null ? null : formulaText(isBase ? d.mapTree(formula.tree) : formula.tree);
}

/** Formula and unit: what the number is. */
function definition(d: ModelDiff, before: Kpi | Variant, after: Kpi | Variant, subject: Subject): void {
    const { title } = subject;
    const formulaBefore = formulaOf(d, before.formula, true);
    const formulaAfter = formulaOf(d, after.formula, false);
    d.field({
        ...subject, field: 'formula', before: formulaBefore, after: formulaAfter,
        detail: formulaBefore === null ? `${title} formula added: ${formulaAfter}`
            : formulaAfter === null ? `${title} formula removed (was ${formulaBefore})`
                : `${title} formula ${formulaBefore} → ${formulaAfter}`
    });
    d.field({
        ...subject, field: 'unit', before: before.unit?.text ?? null, after: after.unit?.text ?? null,
        detail: `${title} unit ${d.words.unit(before.unit?.text ?? null)} → ${d.words.unit(after.unit?.text ?? null)}`
    });
}

function benchmark(d: ModelDiff, value: Kpi['benchmark']): string {
    return value === null ? 'none' : `${d.words.quantity(value.value)}${value.source === null ? '' : ` from "${value.source}"`}`;
}

/**
 * A KPI's weight in the KRA it is declared in is also that KRA's weight for it, reported on
 * the KRA (the same change from the KRA's list is kept once); a top-level KPI's on the KPI.
 */
function kpiWeight(d: ModelDiff, before: Kpi, after: Kpi, subject: Subject): void {
    if (after.kra === null || before.kra === null) {
        if (after.kra === before.kra) {
            d.field({
                ...subject, field: 'weight', before: before.weight, after: after.weight,
                detail: `${subject.title} weight ${weight(before.weight)} → ${weight(after.weight)}`
            });
        }
        return;
    }
    if ((d.kras.toHead.get(before.kra) ?? before.kra) !== after.kra) {
        return;
    }
    const kra = d.head.kras.get(after.kra);
    const kraTitle = kra ? titleOf(kra) : after.kra;
    d.field({
        element: 'kra', id: after.kra, field: 'kpi-weight', key: after.id, before: before.weight, after: after.weight,
        title: kraTitle, context: subject.context, roles: d.rolesOf('kra', after.kra, d.head),
        detail: `${subject.title} weight in ${kraTitle} ${weight(before.weight)} → ${weight(after.weight)}${d.kraSumNote(before.kra, after.kra)}`
    });
}

/** Variants, paired by name (a variant's id is its KPI's id and its name). */
function variants(d: ModelDiff, before: Kpi, after: Kpi, kpi: Subject): void {
    for (const [b, a] of pairUp(before.variants, after.variants, variant => variant.name)) {
        const variant = (a ?? b)!;
        const title = `${kpi.title} variant ${titleOf(variant)}`;
        const subject: Subject = { ...kpi, element: 'variant', id: (a ?? b)!.id, title };
        if (!a || !b) {
            d.add({
                ...subject, kind: a ? 'added' : 'removed', before: b ? summaryOf(b) : null, after: a ? summaryOf(a) : null,
                detail: a ? `${kpi.title} new variant ${titleOf(a)}${variantSummary(d, a)}` : `${kpi.title} variant ${titleOf(b!)} removed`,
                source: variant.source
            });
            continue;
        }
        const withSource = { ...subject, source: a.source };
        if ((b.title ?? '') !== (a.title ?? '')) {
            d.add({
                ...withSource, kind: 'changed', field: 'title', before: b.title, after: a.title,
                detail: `${kpi.title} variant ${titleOf(b)} retitled ${titleOf(a)}`
            });
        }
        definition(d, b, a, withSource);
        targets(d, b.targets, a.targets, withSource);
        thresholds(d, b.thresholds, a.thresholds, withSource);
    }
}

/** ` (target for Globex Retail at least 85% each month)`: the first target of a new variant. */
function variantSummary(d: ModelDiff, variant: Variant): string {
    const first = variant.targets[0];
    return first ? ` (target${d.words.client(first.client)} ${d.words.target(first)})` : '';
}

function targets(d: ModelDiff, before: readonly Target[], after: readonly Target[], subject: Subject & { source?: Variant['source'] }): void {
    const keyOf = (target: Target) => `${target.client ?? ''}|${target.goal.kind}`;
    for (const [b, a] of pairUp(before, after, keyOf, target => target.client ?? '')) {
        const target = (a ?? b)!;
        const client = d.words.client(target.client);
        let detail: string;
        if (b && a) {
            const sameKind = b.goal.kind === a.goal.kind;
            const simple = json(b.timing) === json(a.timing) && b.stages.length === 0 && a.stages.length === 0;
            detail = simple
                ? `${subject.title} target${client} ${d.words.goal(b.goal, !sameKind)} → ${d.words.goal(a.goal, !sameKind)}${timing(a.timing)}`
                : `${subject.title} target${client} ${d.words.target(b, !sameKind)} → ${d.words.target(a, !sameKind)}`;
        } else if (a) {
            detail = `${subject.title} new target${client}: ${d.words.target(a)}`;
        } else {
            detail = `${subject.title} target${client} removed (was ${d.words.target(b!)})`;
        }
        d.field({ ...subject, field: 'target', key: keyOf(a ?? b!), before: b ?? null, after: a ?? null, detail });
    }
}

function thresholds(d: ModelDiff, before: readonly Threshold[], after: readonly Threshold[], subject: Subject & { source?: Variant['source'] }): void {
    for (const [b, a] of pairUp(before, after, threshold => threshold.status)) {
        const status = (a ?? b)!.status;
        const detail = b && a
            ? `${subject.title} ${status} threshold ${d.words.condition(b.condition)} → ${d.words.condition(a.condition)}`
            : a ? `${subject.title} new ${status} threshold: ${d.words.condition(a.condition)}`
                : `${subject.title} ${status} threshold removed (was ${d.words.condition(b!.condition)})`;
        d.field({ ...subject, field: 'threshold', key: status, before: b ?? null, after: a ?? null, detail });
    }
}
