/**
 * Quantities and unit algebra: the one definition of what a unit is, how units combine in a
 * formula, which units can be added, compared or stated for one another, and how a value
 * converts. The checker, the compiler, the evaluator, the SQL generator and the editor features
 * all use it, so that `kra check` and `kra eval` cannot disagree about units.
 *
 * A declared unit reduces to a base unit: `minutes` is 60 × `seconds`, `percent` is 0.01 ×
 * `ratio`. A compound unit is a product of declared units with integer powers: `USD per hours`
 * is USD¹·hours⁻¹, `talk * talk` gives seconds². Values are computed in base units, so a unit's
 * factor (the product of its units' factors) converts a value into it.
 *
 * The rules (docs/language.md, "How units combine"):
 * - `ratio` and `score` units have no dimension: `85%` of a number of seconds is seconds, and a
 *   score (NPS, an index) is a free-scale number that any ratio can be stated as.
 * - Units of kind `count` count items. Beside a unit that has a dimension (time, money, a kind
 *   of the organisation's own), a count drops out: `seconds / calls` is seconds per call, stated
 *   in `seconds`; `AHT * calls` is seconds. A quotient of counts is a number per item that can be
 *   stated in its numerator's count (`calls / shifts` in `calls`, or `calls per shift`) or as a
 *   share (`resolved / issues` in `%`). The generic `count` stands for any count.
 * - Everything else must match base for base and power for power: `USD per hours` is not `USD`,
 *   and `seconds²` is not `seconds`.
 */

/** A declared unit, reduced to its base. The compiled model's `units[]` entries are such values. */
export interface UnitDefinition {
    /** The unit's id (`minutes`, `percent`, `calls`). */
    readonly id: string;
    /** The base unit's id (`seconds`, `ratio`, `calls`); the unit's own id for a base unit. */
    readonly base: string;
    /** What the base measures: `count`, `ratio`, `score`, `time`, `currency` or a kind of the organisation's own. */
    readonly kind: string;
    /** How many base units one of this unit is. */
    readonly factor: number;
    /** The short name written after numbers (`%`, `s`), if any. */
    readonly symbol?: string | null;
}

/** One declared unit raised to a power: hours⁻¹ in `USD per hours`. */
export interface UnitTerm {
    readonly unit: UnitDefinition;
    readonly power: number;
}

/**
 * A unit as a product of declared units with non-zero powers, numerator terms first. No terms
 * is the plain ratio: what is left when everything cancels (`seconds / minutes`).
 */
export interface CompoundUnit {
    readonly terms: readonly UnitTerm[];
}

/** The built-in units the algebra itself produces: `count()` gives a count, a cancelled quotient a ratio. */
export const RATIO_UNIT: UnitDefinition = { id: 'ratio', base: 'ratio', kind: 'ratio', factor: 1, symbol: null };
export const COUNT_UNIT: UnitDefinition = { id: 'count', base: 'count', kind: 'count', factor: 1, symbol: null };

/** Kinds without a dimension of their own. */
const DIMENSIONLESS_KINDS: ReadonlySet<string> = new Set(['ratio', 'score']);

export function isDimensionlessKind(kind: string): boolean {
    return DIMENSIONLESS_KINDS.has(kind);
}

/** A declared unit as a compound of one term. */
export function unitOf(unit: UnitDefinition): CompoundUnit {
    return { terms: [{ unit, power: 1 }] };
}

/** `numerator per denominator` (`USD per hours`, `calls per agent`). */
export function perUnit(numerator: UnitDefinition, denominator: UnitDefinition | undefined): CompoundUnit {
    return denominator ? divideUnits(unitOf(numerator), unitOf(denominator)) : unitOf(numerator);
}

/** The declared unit when the compound is one unit to the first power, else undefined. */
export function singleUnit(unit: CompoundUnit): UnitDefinition | undefined {
    return unit.terms.length === 1 && unit.terms[0].power === 1 ? unit.terms[0].unit : undefined;
}

/**
 * Whether the unit is a ratio: no dimension, not a score (`ratio`, `percent`, a cancelled
 * quotient), or a quotient of counts that counts as many items as it divides by (`resolved /
 * issues`, `count per count`): a share.
 */
export function isRatioUnit(unit: CompoundUnit): boolean {
    if (unit.terms.length === 0 || (unit.terms.length === 1 && unit.terms[0].power === 1 && unit.terms[0].unit.kind === 'ratio')) {
        return true;
    }
    return isCountUnit(unit) && unit.terms.some(term => term.power < 0) && unit.terms.reduce((sum, term) => sum + term.power, 0) === 0;
}

/** Whether every term of the unit is a count (`calls`, `calls per shift`). */
export function isCountUnit(unit: CompoundUnit): boolean {
    return unit.terms.length > 0 && unit.terms.every(term => term.unit.kind === 'count');
}

/**
 * Merges terms of one unit, cancels bases whose powers add up to zero (`minutes / seconds` is a
 * ratio), and drops what has no say beside a dimension: count terms beside a unit with a
 * dimension (`seconds / calls` is seconds), except what a rate counts (`calls / hours` is calls
 * per hours), counts below the line beside a score or ratio
 * (`points / audits` is points), ratio and score terms beside counts (`85% * calls` is calls).
 * Counts never cancel: `count / count` is a number per item (calls per agent) as well as a
 * share, and stays `count per count` so that it can be stated as either.
 */
function normalise(terms: readonly UnitTerm[]): CompoundUnit {
    const byKey = new Map<string, UnitTerm>();
    for (const term of terms) {
        const counted = term.unit.kind === 'count';
        const key = counted ? `${term.unit.id}/${term.power > 0 ? '+' : '-'}` : term.unit.id;
        const existing = byKey.get(key);
        byKey.set(key, { unit: existing?.unit ?? term.unit, power: (existing?.power ?? 0) + term.power });
    }
    const basePower = new Map<string, number>();
    for (const term of byKey.values()) {
        if (term.unit.kind !== 'count') {
            basePower.set(term.unit.base, (basePower.get(term.unit.base) ?? 0) + term.power);
        }
    }
    // Several units of one base (`minutes * seconds`): the first stands for the base's net power.
    const seenBase = new Set<string>();
    let merged = [...byKey.values()].flatMap(term => {
        if (term.unit.kind === 'count') {
            return [term];
        }
        const power = basePower.get(term.unit.base)!;
        if (power === 0 || seenBase.has(term.unit.base)) {
            return [];
        }
        seenBase.add(term.unit.base);
        return [{ unit: term.unit, power }];
    });
    const dimensional = merged.some(term => !isDimensionlessKind(term.unit.kind) && term.unit.kind !== 'count');
    const dimensionless = merged.some(term => isDimensionlessKind(term.unit.kind));
    if (dimensional) {
        // A rate keeps what it counts (`calls / hours` is calls per hours); otherwise counts are
        // the items a quantity is per (`seconds / calls`) or spread over (`aht * calls`).
        const rate = merged.every(term => term.unit.kind === 'count' || isDimensionlessKind(term.unit.kind) || term.power < 0);
        merged = merged.filter(term => !isDimensionlessKind(term.unit.kind) && (term.unit.kind !== 'count' || (rate && term.power > 0)));
    } else if (dimensionless && !merged.some(term => term.unit.kind === 'count' && term.power > 0)) {
        // A score or ratio per item (audit points per audit) is a score or ratio.
        merged = merged.filter(term => term.unit.kind !== 'count');
    } else if (merged.some(term => !isDimensionlessKind(term.unit.kind))) {
        merged = merged.filter(term => !isDimensionlessKind(term.unit.kind));
    }
    if (merged.every(term => isDimensionlessKind(term.unit.kind)) && (merged.length > 1 || merged[0]?.power !== 1)) {
        // Only ratios and scores, multiplied together: a ratio.
        merged = [];
    }
    return { terms: [...merged.filter(term => term.power > 0), ...merged.filter(term => term.power < 0)] };
}

export function multiplyUnits(a: CompoundUnit, b: CompoundUnit): CompoundUnit {
    return normalise([...a.terms, ...b.terms]);
}

export function divideUnits(a: CompoundUnit, b: CompoundUnit): CompoundUnit {
    return normalise([...a.terms, ...b.terms.map(term => ({ unit: term.unit, power: -term.power }))]);
}

/** How many base units one of the compound is: the product of its units' factors to their powers. */
export function unitFactor(unit: CompoundUnit): number {
    return unit.terms.reduce((factor, term) => factor * term.unit.factor ** term.power, 1);
}

/**
 * The unit's dimensions: the measured ones (time, money, a kind of the organisation's own) with
 * their net powers, and the counted items above and below the line. Ratios and scores have none.
 */
function dimensions(unit: CompoundUnit): { measured: Map<string, number>; items: Map<string, number>; per: Map<string, number> } {
    const measured = new Map<string, number>();
    const items = new Map<string, number>();
    const per = new Map<string, number>();
    for (const term of unit.terms) {
        if (isDimensionlessKind(term.unit.kind)) {
            continue;
        }
        const into = term.unit.kind !== 'count' ? measured : term.power > 0 ? items : per;
        into.set(term.unit.base, (into.get(term.unit.base) ?? 0) + term.power);
    }
    for (const [base, power] of measured) {
        if (power === 0) {
            measured.delete(base);
        }
    }
    return { measured, items, per };
}

function sameMap(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
    return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

/** The generic `count` stands for any count of the same power: `calls` is a count. */
function sameItems(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
    if (sameMap(a, b)) {
        return true;
    }
    const total = (map: ReadonlyMap<string, number>) => [...map.values()].reduce((sum, power) => sum + power, 0);
    const generic = (map: ReadonlyMap<string, number>) => map.size === 1 && map.has(COUNT_UNIT.base);
    return (generic(a) || generic(b)) && total(a) === total(b);
}

/**
 * Whether values in one unit can be added to, compared with, or stated as values in the other.
 * Symmetric: a sum, a comparison and a KPI stated in a unit follow the same rule.
 */
export function compatibleUnits(a: CompoundUnit, b: CompoundUnit): boolean {
    const left = dimensions(a);
    const right = dimensions(b);
    if (left.measured.size > 0 || right.measured.size > 0) {
        // Counts drop out beside a dimension: seconds per call is stated in seconds.
        return sameMap(left.measured, right.measured);
    }
    if (sameMap(left.items, right.items) && sameMap(left.per, right.per)) {
        return true;
    }
    const none = (side: typeof left) => side.items.size === 0 && side.per.size === 0;
    // A quotient of counts is a share as well: resolved issues over issues, stated in %.
    if ((left.per.size > 0 && none(right)) || (right.per.size > 0 && none(left))) {
        return true;
    }
    // And a number per item, stated in the items counted: calls per shift, in calls.
    return sameItems(left.items, right.items);
}

function termText(term: UnitTerm, power: number, name: (unit: UnitDefinition) => string): string {
    return power === 1 ? name(term.unit) : `${name(term.unit)}^${power}`;
}

/** Items over the same items (`count per count`): a share, which reads as a ratio. */
function isShareOfLikeItems(unit: CompoundUnit): boolean {
    const net = new Map<string, number>();
    for (const term of unit.terms) {
        net.set(term.unit.id, (net.get(term.unit.id) ?? 0) + term.power);
    }
    return isCountUnit(unit) && [...net.values()].every(power => power === 0);
}

function compoundText(unit: CompoundUnit, name: (unit: UnitDefinition) => string, per = ' per '): string {
    if (unit.terms.length === 0 || isShareOfLikeItems(unit)) {
        return name(RATIO_UNIT);
    }
    const numerator = unit.terms.filter(term => term.power > 0).map(term => termText(term, term.power, name));
    const denominator = unit.terms.filter(term => term.power < 0).map(term => termText(term, -term.power, name));
    const top = numerator.length > 0 ? numerator.join(' * ') : '1';
    return denominator.length > 0 ? `${top}${per}${denominator.join(' * ')}` : top;
}

/**
 * The unit as KRA Lang writes it, by unit ids: `seconds`, `USD per hours`, `seconds^2`; `ratio`
 * for no terms and for items over the same items (`count per count`).
 */
export function unitText(unit: CompoundUnit): string {
    return compoundText(unit, definition => definition.id);
}

/** The unit as it follows a number (`%`, `s`, `USD/h`): symbols where units declare them. */
export function unitSymbol(unit: CompoundUnit): string {
    const single = singleUnit(unit);
    if (single) {
        return single.symbol ?? single.id;
    }
    return compoundText(unit, definition => definition.symbol ?? definition.id, '/');
}

/** The plain form of a compound unit: unit ids with powers, as the compiled model carries it. */
export interface UnitTermValue {
    readonly unit: string;
    readonly power: number;
}

export function unitTerms(unit: CompoundUnit): UnitTermValue[] {
    return unit.terms.map(term => ({ unit: term.unit.id, power: term.power }));
}

/**
 * The compound unit of plain terms, with the units looked up by id; undefined when one is not
 * known. The compiled model states units this way, so readers of it never parse unit text.
 */
export function unitFromTerms(terms: readonly UnitTermValue[], lookup: (id: string) => UnitDefinition | undefined): CompoundUnit | undefined {
    const resolved: UnitTerm[] = [];
    for (const term of terms) {
        const unit = lookup(term.unit);
        if (!unit) {
            return undefined;
        }
        resolved.push({ unit, power: term.power });
    }
    return { terms: resolved };
}

/**
 * The unit as a KPI can declare it after `unit`: one unit (`seconds`), or one unit per another
 * (`USD per hours`); undefined for what the language cannot write (`seconds^2`).
 */
export function declarableText(unit: CompoundUnit): string | undefined {
    if (unit.terms.length === 0 || isShareOfLikeItems(unit)) {
        return RATIO_UNIT.id;
    }
    const [first, second] = unit.terms;
    if (unit.terms.length === 1 && first.power === 1) {
        return first.unit.id;
    }
    if (unit.terms.length === 2 && first.power === 1 && second.power === -1) {
        return `${first.unit.id} per ${second.unit.id}`;
    }
    return undefined;
}
