import {
    COMPARATOR_OF_KEYWORD, COMPARATOR_WORDS, COMPLEMENT_COMPARATOR, DIRECTION_OF_KEYWORD, DIRECTION_WORDS, isLowerBound, MIRRORED_COMPARATOR,
    type Comparator
} from '@kra-lang/semantics';
import { isComparison, type Comparison, type Threshold } from '../../../generated/ast.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';
import { baseValue, kpiOf, statedUnit, textOf, type Definition } from '../units/quantities.js';

/** A comparison seen as if the KPI were higher-is-better: values negated for lower-is-better. */
interface Bound {
    readonly threshold: Threshold;
    readonly condition: Comparison;
    readonly comparator: Comparator;
    readonly value: number;
}

function missingStatuses(definition: Definition, direction: string, context: RuleContext): void {
    const statuses = new Set(definition.thresholds.map(t => t.status));
    const first = definition.thresholds[0];
    if (!statuses.has('green')) {
        const example = direction === 'within' ? 'green between <low> and <high>' : direction === 'lower' ? 'green at most <value>' : 'green at least <value>';
        context.report({
            node: first,
            property: 'status',
            message: `${describe(definition)}: the thresholds give no green, so no value is on track. Add one: \`${example}\`.`
        });
    }
    if (!statuses.has('red')) {
        const last = definition.thresholds.filter(t => t.status !== 'red').at(-1);
        let example = direction === 'within' ? 'red otherwise' : direction === 'lower' ? 'red above <value>' : 'red below <value>';
        if (direction !== 'within' && last && isComparison(last.condition) && last.condition.value && last.condition.comparator !== 'exactly') {
            example = `red ${COMPARATOR_WORDS[COMPLEMENT_COMPARATOR[COMPARATOR_OF_KEYWORD[last.condition.comparator]]]} ${textOf(last.condition.value)}`;
        }
        context.report({
            node: definition.thresholds.at(-1)!,
            property: 'status',
            message: `${describe(definition)}: the thresholds give no red, so values beyond ${last?.status ?? 'them'} get no status. Add one: \`${example}\`${example === 'red otherwise' ? '' : ' (or `red otherwise`)'}.`
        });
    }
}

function check(definition: Definition, context: RuleContext): void {
    const thresholds = definition.thresholds;
    if (thresholds.length === 0) {
        return;
    }
    const seen = new Set<string>();
    let repeated = false;
    for (const threshold of thresholds) {
        if (seen.has(threshold.status)) {
            repeated = true;
            context.report({
                node: threshold,
                property: 'status',
                message: `${describe(definition)}: ${threshold.status} is given twice in the thresholds, so a value could get two rules for one status. Give each status once; remove or merge this one.`
            });
        }
        seen.add(threshold.status);
    }
    const direction = kpiOf(definition).direction;
    if (!direction) {
        context.report({
            node: definition,
            property: 'thresholds',
            message: `${describe(definition)} has thresholds but no direction, so it is not clear that green is the good side. `
                + 'Add `higher is better`, `lower is better` or `within band is better` to the KPI.'
        });
        return;
    }
    missingStatuses(definition, direction, context);
    if (direction === 'within' || repeated) {
        return; // band-direction checks band thresholds; with a status twice, the order is unclear
    }
    const sign = direction === 'lower' ? -1 : 1;
    const unit = statedUnit(definition);
    const bounds = new Map<string, Bound>();
    for (const threshold of thresholds) {
        const condition = threshold.condition;
        if (!isComparison(condition) || !condition.comparator || !condition.value || bounds.has(threshold.status)) {
            continue;
        }
        const written = COMPARATOR_OF_KEYWORD[condition.comparator];
        const comparator = sign < 0 ? MIRRORED_COMPARATOR[written] : written;
        const good = threshold.status !== 'red';
        if (comparator !== 'exactly' && isLowerBound(comparator) !== good) {
            context.report({
                node: threshold,
                property: 'condition',
                message: `${describe(definition)} is \`${DIRECTION_WORDS[DIRECTION_OF_KEYWORD[direction]]}\`, but \`${threshold.status} ${textOf(condition)}\` marks the ${good ? 'bad' : 'good'} side ${threshold.status}. `
                    + `Write \`${threshold.status} ${COMPARATOR_WORDS[MIRRORED_COMPARATOR[written]]} ${textOf(condition.value)}\`, or change the KPI's direction.`
            });
            continue;
        }
        const value = baseValue(condition.value, unit);
        if (value !== undefined) {
            bounds.set(threshold.status, { threshold, condition, comparator, value: sign * value });
        }
    }
    const green = bounds.get('green');
    const amber = bounds.get('amber');
    const red = bounds.get('red');
    const better = direction === 'lower' ? 'lower' : 'higher';
    if (green && amber && green.value <= amber.value) {
        context.report({
            node: amber.threshold,
            property: 'condition',
            message: green.value === amber.value
                ? `${describe(definition)}: amber \`${textOf(amber.condition)}\` starts where green \`${textOf(green.condition)}\` does, so amber never applies. Give amber a ${direction === 'lower' ? 'higher' : 'lower'} bound than green.`
                : `${describe(definition)} is \`${better} is better\`, so green needs a ${better === 'higher' ? 'higher' : 'lower'} bar than amber, but green is \`${textOf(green.condition)}\` and amber \`${textOf(amber.condition)}\`. Swap their values.`
        });
        return;
    }
    const next = amber ?? green;
    if (!red || !next || red.comparator === 'exactly' || next.comparator === 'exactly' || red.value === next.value) {
        return;
    }
    const nextText = `${next.threshold.status} \`${textOf(next.condition)}\``;
    const fix = `red ${COMPARATOR_WORDS[COMPLEMENT_COMPARATOR[COMPARATOR_OF_KEYWORD[next.condition.comparator]]]} ${textOf(next.condition.value)}`;
    context.report({
        node: red.threshold,
        property: 'condition',
        message: red.value > next.value
            ? `${describe(definition)}: red \`${textOf(red.condition)}\` overlaps ${nextText}: a value between them would be both. Make red start where ${next.threshold.status} stops: \`${fix}\`.`
            : `${describe(definition)}: red \`${textOf(red.condition)}\` leaves a gap next to ${nextText}: values between them get no status. Make red start where ${next.threshold.status} stops: \`${fix}\`.`
    });
}

export const thresholdsOrder = defineRule({
    id: 'targets/thresholds-order',
    summary: 'RAG thresholds that overlap, leave gaps, run against the KPI\'s direction, repeat or leave out a status, or a KPI with thresholds but no direction.',
    severity: 'warning',
    category: 'fast',
    local: true,
    checks: {
        Kpi: check,
        Variant: check
    }
});
