import { COMPARATOR_WORDS, DIRECTION_OF_KEYWORD, DIRECTION_WORDS } from '@kra-lang/semantics';
import {
    isBand, isChange, isComparison, isKpi, isOtherwise,
    type Band, type Kpi, type Target, type Threshold
} from '../../../generated/ast.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';
import { baseValue, kpiOf, statedUnit, textOf, type Definition } from '../units/quantities.js';


function timingText(target: Target): string {
    return target.timing ? ` ${textOf(target.timing)}` : '';
}

/** The band the KPI states somewhere (green threshold, else a band target; a variant's, else its KPI's), for suggestions. */
function statedBand(definition: Definition): string {
    for (const source of new Set([definition, kpiOf(definition)])) {
        const green = source.thresholds.find(t => t.status === 'green' && isBand(t.condition));
        const band = (green?.condition as Band | undefined) ?? source.targets.map(t => t.goal).find(isBand);
        if (band?.low && band.high) {
            return `between ${textOf(band.low)} and ${textOf(band.high)}`;
        }
    }
    return 'between <low> and <high>';
}

function checkBand(band: Band, definition: Definition, where: string, context: RuleContext): void {
    const unit = statedUnit(definition);
    const low = baseValue(band.low, unit);
    const high = baseValue(band.high, unit);
    if (low !== undefined && high !== undefined && low > high) {
        context.report({
            node: band,
            message: `${describe(definition)}: the ${where} band \`${textOf(band)}\` runs backwards; the low value comes first. Write \`between ${textOf(band.high)} and ${textOf(band.low)}\`.`
        });
    }
}

/** Band KPIs: band targets; green a band, amber a wider band around it, red `otherwise`. */
function checkBandKpi(definition: Definition, context: RuleContext): void {
    for (const target of definition.targets) {
        const goal = target.goal;
        if (isComparison(goal) || isChange(goal)) {
            context.report({
                node: target,
                property: 'goal',
                message: `${describe(definition)} is \`within band is better\`, but its target \`${textOf(goal)}\` is one-sided: it cannot say that too high is as bad as too low. `
                    + `Give the healthy band: \`target ${statedBand(definition)}${timingText(target)}\`.`
            });
        }
    }
    const kpi = kpiOf(definition);
    if (isKpi(definition) && [kpi, ...kpi.variants].every(d => d.targets.length === 0)) {
        context.report({
            node: kpi,
            property: 'direction',
            message: `${describe(kpi)} is \`within band is better\` but has no target, so the healthy band is not stated. Add one: \`target ${statedBand(kpi)} each month\`.`
        });
    }
    const green = definition.thresholds.find(t => t.status === 'green');
    const greenBand = green && isBand(green.condition) ? green.condition : undefined;
    for (const threshold of definition.thresholds) {
        checkBandThreshold(threshold, greenBand, definition, context);
    }
}

function aroundGreen(green: Band | undefined): string {
    return green?.low && green.high
        ? `a low at most ${textOf(green.low)} and a high at least ${textOf(green.high)}, wider on at least one side`
        : "a low at most green's low and a high at least green's high";
}

function checkBandThreshold(threshold: Threshold, green: Band | undefined, definition: Definition, context: RuleContext): void {
    const condition = threshold.condition;
    if (!condition) {
        return;
    }
    const fail = (message: string) => context.report({ node: threshold, property: 'condition', message: `${describe(definition)} is \`within band is better\`, so ${message}` });
    if (threshold.status === 'red') {
        if (!isOtherwise(condition)) {
            fail(`red must cover both sides of the amber band, but \`red ${textOf(condition)}\` covers one. Write \`red otherwise\`.`);
        }
        return;
    }
    if (!isBand(condition)) {
        fail(`${threshold.status} must be a band, but it is \`${threshold.status} ${textOf(condition)}\`. `
            + (threshold.status === 'green'
                ? `Write the healthy range: \`green ${statedBand(definition)}\`.`
                : `Write a band around green: \`amber between <low> and <high>\`, with ${aroundGreen(green)}.`));
        return;
    }
    if (threshold.status !== 'amber' || !green || !green.low || !green.high) {
        return;
    }
    const unit = statedUnit(definition);
    const [aLow, aHigh, gLow, gHigh] = [condition.low, condition.high, green.low, green.high].map(q => baseValue(q, unit));
    if ([aLow, aHigh, gLow, gHigh].some(v => v === undefined)) {
        return;
    }
    if (aLow! > gLow! || aHigh! < gHigh! || (aLow === gLow && aHigh === gHigh)) {
        fail(`amber must be a wider band that contains green (\`${textOf(green)}\`), but it is \`${textOf(condition)}\`. `
            + `Give amber ${aroundGreen(green)}.`);
    }
}

/** Other KPIs: a `between` target suggests the KPI is really a band KPI, or the target is wrong. */
function checkOtherKpi(definition: Definition, kpi: Kpi, context: RuleContext): void {
    for (const target of definition.targets) {
        const goal = target.goal;
        if (!isBand(goal) || !goal.low || !goal.high) {
            continue;
        }
        const direction = kpi.direction === 'higher' || kpi.direction === 'lower' ? `\`${DIRECTION_WORDS[DIRECTION_OF_KEYWORD[kpi.direction]]}\`` : undefined;
        const oneSided = kpi.direction === 'lower' ? `${COMPARATOR_WORDS['at-most']} ${textOf(goal.high)}` : `${COMPARATOR_WORDS['at-least']} ${textOf(goal.low)}`;
        context.report({
            node: target,
            property: 'goal',
            message: direction
                ? `${describe(definition)}: the target \`${textOf(goal)}\` is a band, but the KPI is ${direction}. If the KPI is healthy inside a range (like occupancy), write \`within band is better\` instead of ${direction}; otherwise give a one-sided target: \`target ${oneSided}${timingText(target)}\`.`
                : `${describe(definition)}: the target \`${textOf(goal)}\` is a band, but the KPI states no direction. Add \`within band is better\` to the KPI.`
        });
    }
}

function check(definition: Definition, context: RuleContext): void {
    const kpi = kpiOf(definition);
    for (const target of definition.targets) {
        if (isBand(target.goal)) {
            checkBand(target.goal, definition, 'target', context);
        }
    }
    for (const threshold of definition.thresholds) {
        if (isBand(threshold.condition)) {
            checkBand(threshold.condition, definition, `${threshold.status} threshold`, context);
        }
    }
    if (kpi.direction === 'within') {
        checkBandKpi(definition, context);
    } else {
        checkOtherKpi(definition, kpi, context);
    }
}

export const bandDirection = defineRule({
    id: 'targets/band-direction',
    summary: 'A `within band is better` KPI without a band target or with thresholds that do not partition the range; or a `between` target on a KPI that is not a band KPI.',
    severity: 'warning',
    category: 'fast',
    local: true,
    checks: {
        Kpi: check,
        Variant: check
    }
});
