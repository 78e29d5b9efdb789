import type { AstNode } from 'langium';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';

/** True for a real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) {
        return false;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkDate<N extends AstNode>(node: N, property: keyof N & string, context: RuleContext): void {
    const value = node[property];
    if (typeof value === 'string' && !isCalendarDate(value)) {
        context.report({
            node,
            property,
            message: `${describe(node)}: '${value}' in '${property}' is not a calendar date. Write a real date as YYYY-MM-DD, e.g. 2026-12-31.`
        });
    }
}

export const invalidDate = defineRule({
    id: 'structure/invalid-date',
    summary: 'A date that does not exist in the calendar, such as 2026-02-30.',
    severity: 'error',
    category: 'fast',
    checks: {
        Organisation: (node, context) => checkDate(node, 'effective', context),
        Objective: (node, context) => checkDate(node, 'deadline', context),
        Kra: (node, context) => checkDate(node, 'lastReviewed', context),
        Kpi: (node, context) => checkDate(node, 'lastReviewed', context),
        Baseline: (node, context) => checkDate(node, 'asOf', context),
        Timing: (node, context) => checkDate(node, 'deadline', context)
    }
});
