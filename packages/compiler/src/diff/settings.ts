/**
 * The organisation-wide part of the semantic diff: the organisation's settings, rating scales,
 * units, perspectives and clients. They are matched by id: a new id is a removal and an
 * addition.
 */
import type { Client, Kpi, Perspective, RatingLevel, RatingScale, SourceLocation, Unit } from '../model.js';
import type { ModelDiff, Side } from './diff.js';
import { pairUp, summaryOf, titleOf } from './draft.js';
import { formatNumber as number } from '@kra-lang/semantics';
import type { DiffElementKind } from './types.js';

export function settingsChanges(d: ModelDiff): void {
    organisationChanges(d);
    ratingScaleChanges(d);
    unitChanges(d);
    perspectiveChanges(d);
    clientChanges(d);
}

/** Roles appraised on at least one KPI that passes `test`, in a version. */
function rolesOnKpis(version: Side, test: (kpi: Kpi) => boolean): string[] {
    const kpis = new Set(version.model.kpis.filter(test).map(kpi => kpi.id));
    return version.model.roles.filter(role => role.kras.some(use => use.kpis.some(kpi => kpis.has(kpi.kpi)))).map(role => role.id);
}

function allRoles(version: Side): string[] {
    return version.model.roles.map(role => role.id);
}

function organisationChanges(d: ModelDiff): void {
    const before = d.base.model.organisation;
    const after = d.head.model.organisation;
    const context = d.organisation();
    if (before === null || after === null) {
        const present = after ?? before;
        if (present !== null) {
            d.add({
                kind: after ? 'added' : 'removed', element: 'organisation', id: present.id,
                before: before ? summaryOf(before) : null, after: after ? summaryOf(after) : null, title: titleOf(present), context,
                roles: allRoles(after ? d.head : d.base),
                detail: after ? `new organisation ${titleOf(after)}` : `organisation ${titleOf(present)} removed`, source: present.source
            });
        }
        return;
    }
    const title = titleOf(after);
    const subject = { element: 'organisation' as const, id: after.id, title, context, source: after.source };
    if (before.id !== after.id) {
        d.add({
            ...subject, kind: 'renamed', previousId: before.id, before: summaryOf(before), after: summaryOf(after),
            detail: `organisation ${titleOf(before)}${before.title !== after.title ? ` renamed to ${title}` : ' renamed'} (id ${before.id} → ${after.id})`
        });
    } else if ((before.title ?? '') !== (after.title ?? '')) {
        d.add({ ...subject, kind: 'changed', field: 'title', before: before.title, after: after.title, detail: `organisation ${titleOf(before)} retitled ${title}` });
    }
    const everyone = allRoles(d.head);
    d.field({ ...subject, field: 'version', before: before.version, after: after.version, detail: `${title} version ${before.version ?? 'none'} → ${after.version ?? 'none'}` });
    d.field({
        ...subject, field: 'effective', before: before.effective, after: after.effective, roles: everyone,
        detail: `${title} effective from ${before.effective ?? 'not stated'} → ${after.effective ?? 'not stated'}`
    });
    d.field({
        ...subject, field: 'fiscal-year-start', before: before.fiscalYearStart, after: after.fiscalYearStart, roles: everyone,
        detail: `${title} fiscal year starts in ${before.fiscalYearStart ?? 'not stated'} → ${after.fiscalYearStart ?? 'not stated'}`
    });
    d.field({
        ...subject, field: 'review', before: before.review, after: after.review,
        detail: `${title} reviewed ${before.review ?? 'not stated'} → ${after.review ?? 'not stated'}`
    });
    d.field({
        ...subject, field: 'currency', before: before.currency, after: after.currency, roles: everyone,
        detail: `${title} currency ${before.currency ?? 'none'} → ${after.currency ?? 'none'}`
    });
    d.field({
        ...subject, field: 'rating-scale', before: before.ratingScale, after: after.ratingScale,
        roles: d.head.model.roles.filter(role => role.ratingScale === null).map(role => role.id),
        detail: `${title} rates roles on ${before.ratingScale === null ? 'no scale' : d.words.scale(before.ratingScale)} → ${after.ratingScale === null ? 'no scale' : d.words.scale(after.ratingScale)}`
    });
}

/** Elements of one kind paired by id: added, removed, and pairs present in both. */
function byId<T extends { id: string; title: string | null }>(
    d: ModelDiff, element: DiffElementKind, label: string, base: readonly T[], head: readonly T[],
    describe: { roles: (item: T, version: Side) => string[]; source: (item: T) => SourceLocation | null; added?: (item: T) => string }
): Array<[T, T]> {
    const pairs: Array<[T, T]> = [];
    for (const [b, a] of pairUp(base, head, item => item.id)) {
        if (a && b) {
            pairs.push([b, a]);
            continue;
        }
        const item = (a ?? b)!;
        d.add({
            kind: a ? 'added' : 'removed', element, id: item.id, before: b ? summaryOf(b) : null, after: a ? summaryOf(a) : null,
            title: titleOf(item), context: d.organisation(), roles: describe.roles(item, a ? d.head : d.base),
            detail: a ? `new ${label} ${titleOf(item)}${describe.added?.(item) ?? ''}` : `${label} ${titleOf(item)} removed`,
            source: describe.source(item)
        });
    }
    for (const [b, a] of pairs) {
        if ((b.title ?? '') !== (a.title ?? '')) {
            d.add({
                kind: 'changed', element, id: a.id, field: 'title', before: b.title, after: a.title, title: titleOf(a), context: d.organisation(),
                roles: describe.roles(a, d.head), detail: `${label} ${titleOf(b)} retitled ${titleOf(a)}`, source: describe.source(a)
            });
        }
    }
    return pairs;
}

/** Roles rated on a scale: those that name it, and those that use the organisation's when it is this one. */
function rolesRatedOn(version: Side, scale: string): string[] {
    const fallback = version.model.organisation?.ratingScale ?? null;
    return version.model.roles.filter(role => (role.ratingScale ?? fallback) === scale).map(role => role.id);
}

function ratingScaleChanges(d: ModelDiff): void {
    const pairs = byId<RatingScale>(d, 'rating-scale', 'rating scale', d.base.model.ratingScales, d.head.model.ratingScales, {
        roles: (scale, version) => rolesRatedOn(version, scale.id),
        source: scale => scale.source,
        added: scale => ` with ${scale.levels.length} level${scale.levels.length === 1 ? '' : 's'}`
    });
    for (const [before, after] of pairs) {
        const title = titleOf(after);
        const subject = { element: 'rating-scale' as const, id: after.id, title, context: d.organisation(), roles: rolesRatedOn(d.head, after.id), source: after.source };
        d.field({ ...subject, field: 'method', before: before.method, after: after.method, detail: `${title} ${before.method} → ${after.method}` });
        // Levels pair by their number, then by their label (a level renumbered).
        for (const [b, a] of pairUp(before.levels, after.levels, level => String(level.value), level => level.label)) {
            const level = (a ?? b)!;
            const detail = b && a
                ? b.value === a.value && b.label === a.label
                    ? `${title} level ${number(a.value)} ${a.label} from ${d.words.quantity(b.from)} → ${d.words.quantity(a.from)}`
                    : `${title} ${levelWords(d, b)} → ${levelWords(d, a)}`
                : a ? `${title} new ${levelWords(d, a)}` : `${title} ${levelWords(d, b!)} removed`;
            d.field({ ...subject, field: 'level', key: String(level.value), before: b ?? null, after: a ?? null, detail });
        }
    }
}

/** `level 3 Meets expectations from 95%`. */
function levelWords(d: ModelDiff, level: RatingLevel): string {
    return `level ${number(level.value)} ${level.label} from ${d.words.quantity(level.from)}`;
}

/** Roles appraised on KPIs stated in the unit, or computed from metrics in it. */
function rolesOnUnit(version: Side, unit: string): string[] {
    const metrics = new Set(version.model.metrics.filter(metric => metric.unit === unit).map(metric => metric.id));
    return rolesOnKpis(version, kpi => kpi.unit?.terms.some(term => term.unit === unit) || kpi.dependencies.metrics.some(metric => metrics.has(metric)));
}

function unitChanges(d: ModelDiff): void {
    const pairs = byId<Unit>(d, 'unit', 'unit', d.base.model.units, d.head.model.units, {
        roles: (unit, version) => rolesOnUnit(version, unit.id),
        source: () => null,
        added: unit => unit.base === unit.id ? ` (${unit.kind})` : ` = ${number(unit.factor)} ${d.words.symbol(unit.base)}`
    });
    for (const [before, after] of pairs) {
        const title = titleOf(after);
        const subject = { element: 'unit' as const, id: after.id, title, context: d.organisation(), roles: rolesOnUnit(d.head, after.id), source: null };
        d.field({
            ...subject, field: 'symbol', before: before.symbol, after: after.symbol,
            detail: `unit ${title} symbol ${before.symbol ?? 'none'} → ${after.symbol ?? 'none'}`
        });
        d.field({ ...subject, field: 'dimension', before: before.kind, after: after.kind, detail: `unit ${title} measures ${before.kind} → ${after.kind}` });
        const conversion = (unit: Unit) => ({ base: unit.base, factor: unit.factor });
        d.field({
            ...subject, field: 'conversion', before: conversion(before), after: conversion(after),
            detail: `unit ${title} = ${number(before.factor)} ${d.words.symbol(before.base)} → ${number(after.factor)} ${d.words.symbol(after.base)}`
        });
    }
}

function perspectiveChanges(d: ModelDiff): void {
    byId<Perspective>(d, 'perspective', 'perspective', d.base.model.perspectives, d.head.model.perspectives, {
        roles: (perspective, version) => rolesOnKpis(version, kpi => kpi.perspective === perspective.id),
        source: () => null
    });
}

/** Roles appraised on KPIs with a target for the client, in the KPI or one of its variants. */
function rolesOnClient(version: Side, client: string): string[] {
    return rolesOnKpis(version, kpi => [kpi, ...kpi.variants].some(definition => definition.targets.some(target => target.client === client)));
}

function clientChanges(d: ModelDiff): void {
    const pairs = byId<Client>(d, 'client', 'client', d.base.model.clients, d.head.model.clients, {
        roles: (client, version) => rolesOnClient(version, client.id),
        source: client => client.source
    });
    for (const [before, after] of pairs) {
        const title = titleOf(after);
        d.field({
            element: 'client', id: after.id, title, context: d.organisation(), roles: rolesOnClient(d.head, after.id), source: after.source,
            field: 'contract', before: before.contract, after: after.contract,
            detail: `${title} contract ${before.contract === null ? 'none' : `"${before.contract}"`} → ${after.contract === null ? 'none' : `"${after.contract}"`}`
        });
    }
}
