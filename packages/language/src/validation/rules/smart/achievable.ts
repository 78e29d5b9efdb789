import type { Reference } from 'langium';
import {
    afterCadence, CADENCE_MONTHS, CHANGE_BASIS_OF_KEYWORD, CHANGE_BASIS_WORDS, COMPARATOR_OF_KEYWORD, COMPARATOR_WORDS, DIRECTION_OF_KEYWORD,
    DIRECTION_WORDS, fiscalStartMonth, formatPercent, formatQuantity, isCalendarDay, isoDate, meets, monthsBetween, parseIsoDate,
    periodRange, singleUnit, TARGET_GRAIN_MONTHS, wantedDirection
} from '@kra-lang/semantics';
import {
    isBand, isChange, isComparison, isVariant, isWindowedExpression,
    type Baseline, type Cadence, type Change, type Comparison, type Kpi, type Quantity, type Target, type Timing, type Unit, type Variant
} from '../../../generated/ast.js';
import { declaredUnit, resolveUnit, type ResolvedUnit } from '../../../formulas/units.js';
import { astNodes } from '../../../model/ast-walk.js';
import { organisationOf, reviewCadence } from '../../../model/queries.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise, sourceText } from '../../support/text.js';

/** A value in its unit's base (minutes become seconds, percent becomes ratio). */
interface Amount {
    readonly value: number;
    readonly unit: ResolvedUnit;
}

const PLAIN: ResolvedUnit = { id: '', base: '', kind: 'number', factor: 1 };

/** The unit a KPI or variant states, when it is one unit (not `USD per h`). */
function declaredOf(measure: Kpi | Variant): ResolvedUnit | undefined {
    const declared = declaredUnit(measure);
    return declared && singleUnit(declared);
}

/** A value in base units; a value without a unit is in the KPI's. Undefined when its unit does not resolve. */
function amount(value: number, unit: Reference<Unit> | undefined, declared: ResolvedUnit | undefined): Amount | undefined {
    const resolved = unit ? resolveUnit(unit.ref) : declared ?? PLAIN;
    return resolved ? { value: value * resolved.factor, unit: resolved } : undefined;
}

function quantityAmount(quantity: Quantity | undefined, declared: ResolvedUnit | undefined): Amount | undefined {
    return quantity ? amount(quantity.value, quantity.unit, declared) : undefined;
}

/** "85%", "330 s", "0.4 ratio": a base value shown in the unit the user wrote. */
function show(value: number, unit: ResolvedUnit, unitText: string): string {
    return formatQuantity(value / unit.factor, unitText, { significant: 3 });
}

function percent(fraction: number): string {
    return formatPercent(fraction * 100, { significant: 3 });
}

/** Counts and money are totals over a period: only a baseline over a period of the same length compares with them. */
function isTotal(unit: ResolvedUnit): boolean {
    return unit.kind === 'count' || unit.kind === 'currency';
}

/** The span a target has to move the KPI, in review periods of its cadence. */
interface Span {
    readonly periods: number;
    readonly cadence: Cadence;
    /** From when to when, when both are dates. */
    readonly from?: number;
    readonly to?: number;
}

/** Length of a period in whole months; undefined for none or a malformed one. */
function periodMonths(period: string | number | undefined, context: RuleContext): number | undefined {
    const range = periodRange(period, fiscalStart(context));
    return range ? Math.round(monthsBetween(range.start, range.end + 1)) : undefined;
}

/** The organisation's fiscal year's first month, for `FY2027` periods. */
function fiscalStart(context: RuleContext): number {
    return fiscalStartMonth(organisationOf(context.services, context.document.parseResult.value)?.fiscalYearStart);
}

/** Length of a target's period or grain in months; undefined for a deadline. */
function timingMonths(timing: Timing | undefined, context: RuleContext): number | undefined {
    return timing?.grain ? TARGET_GRAIN_MONTHS[timing.grain] : periodMonths(timing?.period, context);
}

/** When the baseline was measured: its `as of` date or the end of its period, else the organisation's effective date. */
function baselineDate(baseline: Baseline | undefined, context: RuleContext): number | undefined {
    const organisation = organisationOf(context.services, context.document.parseResult.value);
    return parseIsoDate(baseline?.asOf) ?? periodRange(baseline?.period, fiscalStart(context))?.end ?? parseIsoDate(organisation?.effective);
}

/**
 * Review periods between the baseline and the target's due date. A target `each <grain>`
 * holds from its first such period on, so the change has one grain to happen.
 */
function spanTo(kpi: Kpi, timing: Timing | undefined, context: RuleContext): Span | undefined {
    const cadence = reviewCadence(kpi, context.services);
    if (!cadence || !timing) {
        return undefined;
    }
    if (timing.grain) {
        return { periods: TARGET_GRAIN_MONTHS[timing.grain] / CADENCE_MONTHS[cadence], cadence };
    }
    const from = baselineDate(kpi.baseline, context);
    const to = parseIsoDate(timing.deadline) ?? periodRange(timing.period, fiscalStart(context))?.end;
    if (from === undefined || to === undefined) {
        return undefined;
    }
    // Tenths of a period: a quarter from 30 September to 31 December is one period, not 1.01.
    return { periods: Math.round(monthsBetween(from, to) / CADENCE_MONTHS[cadence] * 10) / 10, cadence, from, to };
}

function spanText(span: Span): string {
    const count = Number(Math.max(1, span.periods).toPrecision(2));
    const periods = count === 1 ? 'one review period' : `${count} review periods`;
    const dates = span.from !== undefined && span.to !== undefined ? `, ${isoDate(span.from)} to ${isoDate(span.to)}` : '';
    return `${periods} (reviewed ${span.cadence}${dates})`;
}

/** The first date by which a change of `change` (a fraction) fits the limit of `max` per period. */
function dateFor(span: Span, change: number, max: number): string | undefined {
    if (span.from === undefined || max <= 0) {
        return undefined;
    }
    const periods = Math.ceil(change / max);
    const date = afterCadence(span.from, span.cadence, periods);
    // A pace so slow that the date lies beyond the calendar (±273,790 years) has no date.
    return isCalendarDay(date) ? isoDate(date) : undefined;
}

/**
 * Whether a relative change says something about pace. Not for counts (a count target is often a
 * total to reach: "6 new clients by March"), scores (NPS has no true zero: -6 to +5 is a modest
 * gain, not 183%), growth rates (formulas over an earlier period: 3% to 12% growth is not a
 * 300% change of anything), band KPIs, or a baseline at or below zero.
 */
function hasMeaningfulPace(kpi: Kpi, unit: ResolvedUnit, baseline: number): boolean {
    return unit.kind !== 'count' && unit.kind !== 'score' && baseline > 0 && kpi.direction !== 'within' && !hasWindow(kpi);
}

function hasWindow(measure: Kpi | Variant): boolean {
    let result = WINDOWED.get(measure);
    if (result === undefined) {
        const formula = measure.formula ?? (isVariant(measure) ? measure.$container.formula : undefined);
        result = formula !== undefined && astNodes(formula).some(isWindowedExpression);
        WINDOWED.set(measure, result);
    }
    return result;
}

/** hasWindow per KPI or variant: asked several times for each; a new parse makes new nodes. */
const WINDOWED = new WeakMap<Kpi | Variant, boolean>();

/** Whether a value is a share (percent or ratio) of a KPI that cannot go beyond 0–100%. */
function isImpossibleShare(measure: Kpi | Variant, value: Amount): boolean {
    const compound = declaredUnit(measure);
    return value.unit.kind === 'ratio' && (!compound || singleUnit(compound)?.kind === 'ratio') && !hasWindow(measure)
        && (value.value < -1e-9 || value.value > 1 + 1e-9);
}

/** (b) A share (percent or ratio) outside 0–100%. */
function checkRange(measure: Kpi | Variant, quantity: Quantity | undefined, role: string, context: RuleContext): void {
    const value = quantityAmount(quantity, declaredOf(measure));
    if (!quantity || !value || !isImpossibleShare(measure, value)) {
        return;
    }
    const ratio = value.unit.factor === 1;
    const side = value.value < 0 ? `below ${ratio ? '0' : '0%'}` : `above ${ratio ? '1' : '100%'}`;
    let fix: string;
    if (ratio && quantity.value > 1 && quantity.value <= 100) {
        fix = `A ratio runs from 0 to 1: write \`${quantity.value}%\` or \`${quantity.value / 100}\`.`;
    } else {
        fix = 'Write the share between 0% and 100%. If the formula multiplies a ratio by 100, drop the `* 100`: `unit %` already shows a ratio as a percent. '
            + 'If this KPI really can go beyond (attainment against a plan), make it a `score` or suppress this with a reason.';
    }
    context.report({
        node: quantity,
        property: 'value',
        message: `${capitalise(describe(quantity))}: the ${role} ${sourceText(quantity)} is ${side}, but a share stays between 0% and 100% (0 and 1 as a ratio), so it can never be reached. ${fix}`
    });
}

function checkComparison(
    kpi: Kpi, target: Target, comparator: Comparison['comparator'], quantity: Quantity, timing: Timing | undefined,
    lastStage: boolean, context: RuleContext
): void {
    const declared = declaredOf(kpi);
    const baseline = quantityAmount(kpi.baseline?.value, declared);
    const goal = quantityAmount(quantity, declared);
    // Incompatible units are the units rules' business; impossible shares are reported as such.
    if (!kpi.baseline || !baseline || !goal || goal.unit.base !== baseline.unit.base
        || isImpossibleShare(kpi, baseline) || isImpossibleShare(kpi, goal)) {
        return;
    }
    // Totals over periods of different lengths (a year's revenue, a half-year's target) do not compare.
    const months = timingMonths(timing, context);
    if (isTotal(goal.unit) && (months === undefined || months !== periodMonths(kpi.baseline.period, context))) {
        return;
    }
    // Message parts, worked out only for a target that is reported (most are not).
    const what = () => capitalise(describe(target));
    const unitText = quantity.unit?.$refText ?? kpi.unit?.$refText ?? '';
    const kind = COMPARATOR_OF_KEYWORD[comparator];
    const words = COMPARATOR_WORDS[kind];
    const text = () => `${words} ${sourceText(quantity)}${timing ? ` ${sourceText(timing)}` : ''}`;
    const baselineText = () => sourceText(kpi.baseline!.value);
    const direction = kpi.direction === 'within' || !kpi.direction ? undefined : DIRECTION_OF_KEYWORD[kpi.direction];
    const higher = direction === 'higher-is-better';
    // A client's contract sets its floor, not a stretch goal; `exactly` pins a value such as zero breaches.
    const stretchable = !target.client && kind !== 'exactly' && kpi.direction !== 'within'
        && (direction === undefined || direction === wantedDirection(kind));
    if (stretchable && meets(kind, baseline.value, goal.value)) {
        const worse = direction === 'higher-is-better' ? goal.value < baseline.value : direction === 'lower-is-better' ? goal.value > baseline.value : false;
        if (worse && direction) {
            context.report({
                node: quantity,
                property: 'value',
                message: `${what()}: the target \`${text()}\` is ${higher ? 'below' : 'above'} the baseline ${baselineText()}, though ${DIRECTION_WORDS[direction]}, so it accepts a ${higher ? 'fall' : 'rise'} from where the KPI already is. `
                    + `Set it ${higher ? 'above' : 'below'} ${baselineText()}, or correct the direction if ${higher ? 'lower' : 'higher'} values are in fact better.`
            });
        } else if (lastStage) {
            context.report({
                node: quantity,
                property: 'value',
                message: `${what()}: the baseline ${baselineText()} already meets the target \`${text()}\`: there is no stretch, so the target rewards standing still. `
                    + `Set it beyond the baseline (${wantedDirection(kind) === 'higher-is-better' ? 'above' : 'below'} ${baselineText()}), or update the baseline if it is out of date.`
            });
        }
        return;
    }
    if (!hasMeaningfulPace(kpi, goal.unit, baseline.value)) {
        return;
    }
    const span = spanTo(kpi, timing, context);
    const max = Number(context.options.maxChangePerPeriod) / 100;
    if (!span) {
        return;
    }
    const change = Math.abs(goal.value - baseline.value) / baseline.value;
    const perPeriod = change / Math.max(1, span.periods);
    if (perPeriod <= max) {
        return;
    }
    const up = goal.value > baseline.value;
    const reachable = baseline.value * (1 + Math.sign(goal.value - baseline.value) * max * Math.max(1, span.periods));
    const reach = show(reachable, goal.unit, unitText);
    const when = timing ? sourceText(timing) : '';
    const until = dateFor(span, change, max);
    let fix: string;
    if (!up && reachable <= 0) {
        fix = 'check the baseline and the target, or give the target more time.';
    } else if (timing?.grain) {
        fix = `start at about \`${words} ${reach} ${when}\` and tighten it once that is met.`;
    } else if (until) {
        fix = `aim for about ${reach} ${when}, or stage it: \`target ${words} ${reach} ${when}, ${sourceText(quantity)} by ${until}\`.`;
    } else {
        fix = `aim for about ${reach} ${when}, or give it more time.`;
    }
    context.report({
        node: quantity,
        property: 'value',
        message: `${what()}: the target \`${text()}\` asks for a ${percent(change)} ${up ? 'rise' : 'fall'} from the baseline ${baselineText()} in ${spanText(span)}: `
            + `${percent(perPeriod)} per review period, more than the ${percent(max)} that counts as achievable. To make it achievable, ${fix}`,
        data: { changePerPeriod: perPeriod * 100, maxChangePerPeriod: max * 100 }
    });
}

function checkChange(kpi: Kpi, target: Target, change: Change, context: RuleContext): void {
    const what = capitalise(describe(target));
    // As written, read from the syntax tree only for a message (a released one is parsed again to read it).
    const text = () => `${sourceText(change)}${target.timing ? ` ${sourceText(target.timing)}` : ''}`;
    const direction = kpi.direction === 'within' ? undefined : kpi.direction;
    // Band KPIs aim to stay in range; a client's contract sets its own floor.
    if (!target.client && kpi.direction !== 'within') {
        if ((direction === 'higher' && change.change < 0) || (direction === 'lower' && change.change > 0)) {
            context.report({
                node: change,
                property: 'change',
                message: `${what}: the target \`${text()}\` asks for a ${change.change < 0 ? 'fall' : 'rise'}, though ${direction} is better. `
                    + `Use a ${direction === 'higher' ? 'positive' : 'negative'} change (e.g. \`${direction === 'higher' ? '+' : '-'}${Math.abs(change.change) || 10}${change.unit?.$refText ?? '%'} ${CHANGE_BASIS_WORDS[CHANGE_BASIS_OF_KEYWORD[change.basis]]}\`), or correct the direction.`
            });
            return;
        }
        if (change.change === 0 && change.basis === 'baseline') {
            const sign = direction === 'higher' ? '+' : '-';
            context.report({
                node: change,
                property: 'change',
                message: `${what}: the target \`${text()}\` keeps the KPI at its baseline: there is no stretch, so the target rewards standing still. `
                    + `Ask for an improvement, e.g. \`target ${sign}10% from baseline${target.timing ? ` ${sourceText(target.timing)}` : ''}\`.`
            });
            return;
        }
    }
    if (change.unit && !change.unit.ref) {
        return;
    }
    const changeUnit = change.unit ? resolveUnit(change.unit.ref) : undefined;
    let relative: number;
    /** The largest change that fits the limit, written like the user's (a fraction of the base). */
    let largest: (fraction: number) => string;
    if (changeUnit?.kind === 'ratio') {
        // `%` on a change is relative to the base value.
        relative = Math.abs(change.change) * changeUnit.factor;
        largest = fraction => percent(change.change < 0 ? Math.min(fraction, 1) : fraction);
    } else {
        const declared = declaredOf(kpi);
        const step = amount(change.change, change.unit, declared);
        const baseline = quantityAmount(kpi.baseline?.value, declared);
        if (!step || !baseline || step.unit.base !== baseline.unit.base || !hasMeaningfulPace(kpi, step.unit, baseline.value)) {
            return;
        }
        relative = Math.abs(step.value) / baseline.value;
        const unitText = change.unit?.$refText ?? kpi.unit?.$refText ?? '';
        largest = fraction => show(fraction * baseline.value, step.unit, unitText);
    }
    const cadence = reviewCadence(kpi, context.services);
    if (!cadence) {
        return;
    }
    let span: Span | undefined;
    switch (change.basis) {
        case 'year':
            span = { periods: 12 / CADENCE_MONTHS[cadence], cadence };
            break;
        case 'period':
            span = { periods: (timingMonths(target.timing, context) ?? CADENCE_MONTHS[cadence]) / CADENCE_MONTHS[cadence], cadence };
            break;
        case 'baseline':
            span = spanTo(kpi, target.timing, context);
            break;
    }
    const max = Number(context.options.maxChangePerPeriod) / 100;
    if (!span || relative / Math.max(1, span.periods) <= max) {
        return;
    }
    const perPeriod = relative / Math.max(1, span.periods);
    const limit = `${change.change < 0 ? '-' : '+'}${largest(max * Math.max(1, span.periods))} ${CHANGE_BASIS_WORDS[CHANGE_BASIS_OF_KEYWORD[change.basis]]}`;
    const more = change.basis === 'baseline' ? ', or move the deadline later' : '';
    context.report({
        node: change,
        property: 'change',
        message: `${what}: the target \`${text()}\` asks for a ${percent(relative)} change in ${spanText(span)}: `
            + `${percent(perPeriod)} per review period, more than the ${percent(max)} that counts as achievable. `
            + `Ask for at most about \`${limit}\`${more}.`,
        data: { changePerPeriod: perPeriod * 100, maxChangePerPeriod: max * 100 }
    });
}

function checkMeasure(measure: Kpi | Variant, context: RuleContext): void {
    const shares = !hasWindow(measure);
    if (shares && !isVariant(measure)) {
        checkRange(measure, measure.baseline?.value, 'baseline', context);
    }
    for (const target of measure.targets) {
        const goal = target.goal;
        if (shares) {
            const values = isComparison(goal) ? [goal.value] : isBand(goal) ? [goal.low, goal.high] : [];
            [...values, ...target.stages.map(stage => stage.value)].forEach(value => checkRange(measure, value, 'target', context));
        }
        // Baselines and directions are the KPI's; a variant's definition may differ, so only its shares are checked.
        if (isVariant(measure)) {
            continue;
        }
        if (isChange(goal)) {
            checkChange(measure, target, goal, context);
        } else if (isComparison(goal)) {
            checkComparison(measure, target, goal.comparator, goal.value, target.timing, target.stages.length === 0, context);
            target.stages.forEach((stage, index) =>
                checkComparison(measure, target, goal.comparator, stage.value, stage.timing, index === target.stages.length - 1, context));
        }
    }
}

export const achievable = defineRule({
    id: 'smart/achievable',
    summary: 'A target that cannot be reached or asks for nothing: too big a change per review period, a share outside 0–100%, the wrong side of the baseline, or one the baseline already meets.',
    severity: 'warning',
    category: 'fast',
    options: {
        maxChangePerPeriod: {
            type: 'number',
            description: 'Largest plausible change of a KPI per review period, in percent of the baseline.',
            default: 50,
            minimum: 0,
            limit: 'maxChangePerPeriod'
        }
    },
    checks: {
        Kpi: checkMeasure,
        Variant: checkMeasure
    }
});
