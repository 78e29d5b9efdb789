import { afterCadence, fiscalStartMonth, fiscalYearContaining, isoDate, parseIsoDate, periodRange } from '@kra-lang/semantics';
import type { Kpi, Kra, Objective, Organisation, Target, Timing } from '../../../generated/ast.js';
import { organisationOf, reviewCadence } from '../../../model/queries.js';
import { describe } from '../../describe.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { capitalise, sourceText } from '../../support/text.js';

/** The organisation's effective date, the "today" of every date check; undefined skips them. */
function effectiveDate(context: RuleContext): { organisation: Organisation; date: number } | undefined {
    const organisation = organisationOf(context.services, context.document.parseResult.value);
    const date = parseIsoDate(organisation?.effective);
    return organisation && date !== undefined ? { organisation, date } : undefined;
}

/** A due date to offer in messages: the end of the fiscal year the effective date falls in. */
function suggestedDeadline(organisation: Organisation | undefined, effective: number | undefined): { date: string; period: string } {
    if (effective !== undefined) {
        const fiscal = fiscalYearContaining(effective, fiscalStartMonth(organisation?.fiscalYearStart));
        return { date: isoDate(fiscal.range.end), period: fiscal.key };
    }
    return { date: '2026-12-31', period: '2026-Q4' };
}

function checkTarget(target: Target, context: RuleContext): void {
    if (target.timing) {
        return;
    }
    const now = effectiveDate(context);
    const due = suggestedDeadline(now?.organisation, now?.date);
    const client = target.client ? `for ${target.client.$refText} ` : '';
    const goal = sourceText(target.goal);
    context.report({
        node: target,
        message: `${capitalise(describe(target))}: the target \`${goal}\` has no deadline or period, so it is never due and cannot be appraised. `
            + `Say when it must be met: \`target ${client}${goal} by ${due.date}\`, \`… in ${due.period}\` or \`… each month\`.`
    });
}

function checkTiming(timing: Timing, context: RuleContext): void {
    const now = effectiveDate(context);
    if (!now) {
        return;
    }
    // The texts for the messages, made only when there is a problem to report.
    const effective = () => isoDate(now.date);
    const due = () => suggestedDeadline(now.organisation, now.date);
    const deadline = parseIsoDate(timing.deadline);
    if (deadline !== undefined && deadline < now.date) {
        context.report({
            node: timing,
            property: 'deadline',
            message: `${capitalise(describe(timing))}: the target deadline ${timing.deadline} is before the organisation's effective date ${effective()}, so it had passed before this plan took effect. `
                + `Set a date on or after ${effective()}, e.g. \`by ${due().date}\`, or remove the target if it is history.`
        });
    }
    const period = periodRange(timing.period, fiscalStartMonth(now.organisation.fiscalYearStart));
    if (period && period.end < now.date) {
        context.report({
            node: timing,
            property: 'period',
            message: `${capitalise(describe(timing))}: the target period ${timing.period} ends on ${isoDate(period.end)}, before the organisation's effective date ${effective()}, so it had passed before this plan took effect. `
                + `Use a period that ends on or after ${effective()}, e.g. \`in ${due().period}\`, or remove the target if it is history.`
        });
    }
}

function checkObjective(objective: Objective, context: RuleContext): void {
    const now = effectiveDate(context);
    const deadline = parseIsoDate(objective.deadline);
    if (now && deadline !== undefined && deadline < now.date) {
        const effective = isoDate(now.date);
        context.report({
            node: objective,
            property: 'deadline',
            message: `${capitalise(describe(objective))}: its deadline \`by ${objective.deadline}\` is before the organisation's effective date ${effective}, so it had passed before this plan took effect. `
                + `Set a date on or after ${effective}, e.g. \`by ${suggestedDeadline(now.organisation, now.date).date}\`.`
        });
    }
}

function checkReview(node: Kra | Kpi, context: RuleContext): void {
    const what = () => capitalise(describe(node));
    const cadence = reviewCadence(node, context.services);
    if (!cadence) {
        context.report({
            node,
            property: 'name',
            message: `${what()} has no review cadence and the organisation sets no default, so nobody is due to check that it still fits. `
                + 'Add `review quarterly` (or `monthly`, `half-yearly`, `yearly`) to it, or a default for every KRA and KPI to the organisation: `organisation … { review quarterly }`.'
        });
        return;
    }
    const now = effectiveDate(context);
    const reviewed = parseIsoDate(node.lastReviewed);
    if (!now || reviewed === undefined) {
        return;
    }
    const grace = Number(context.options.graceDays);
    const due = afterCadence(reviewed, cadence);
    if (due + grace < now.date) {
        const effective = isoDate(now.date);
        context.report({
            node,
            property: 'lastReviewed',
            message: `${what()} was last reviewed on ${node.lastReviewed}; reviewed ${cadence}${node.review ? '' : ' (the organisation\'s default)'}, it was due again by ${isoDate(due)}`
                + `${grace > 0 ? ` (${isoDate(due + grace)} with ${grace} days' grace)` : ''}, before the organisation's effective date ${effective}. `
                + `Review it and set \`last reviewed\` to the review's date, or set the cadence it is really reviewed at (e.g. \`review yearly\`).`
        });
    }
}

export const timeBound = defineRule({
    id: 'smart/time-bound',
    summary: 'A target without a deadline or period, a date before the organisation\'s effective date, or a KRA or KPI without a review cadence or overdue for review.',
    severity: 'warning',
    category: 'fast',
    fix: 'suggestion',
    options: {
        graceDays: { type: 'integer', description: 'Days a review may be overdue before `last reviewed` counts as stale.', default: 0, minimum: 0 }
    },
    checks: {
        Target: checkTarget,
        Timing: checkTiming,
        Objective: checkObjective,
        Kra: checkReview,
        Kpi: checkReview
    }
});
