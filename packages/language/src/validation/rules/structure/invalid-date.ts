import type { AstNode } from 'langium';
import { parseIsoDate } from '@kra-lang/semantics';
import type { Baseline, Timing } from '../../../generated/ast.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe, fieldLabel } from '../../describe.js';

/** True for a real calendar date written as YYYY-MM-DD, in a year from 0001 to 9999 (the kernel's calendar). */
function isCalendarDate(text: string): boolean {
    return parseIsoDate(text) !== undefined;
}

function checkDate<N extends AstNode>(node: N, property: keyof N & string, context: RuleContext): void {
    const value = node[property];
    if (typeof value === 'string' && !isCalendarDate(value)) {
        context.report({
            node,
            property,
            message: `${describe(node)}: '${value}' in '${fieldLabel(property)}' is not a calendar date. Write a real date as YYYY-MM-DD, in a year from 0001 to 9999, e.g. 2026-12-31.`
        });
    }
}

/** A period is a year (2026), or a half, quarter, month or fiscal year written as a word. */
function checkPeriod(node: Timing | Baseline, context: RuleContext): void {
    const value = node.period === undefined ? undefined : String(node.period);
    if (value !== undefined && /^[\d.]+$/.test(value) && !/^(19|20|21)\d\d$/.test(value)) {
        context.report({
            node,
            property: 'period',
            message: `${describe(node)}: '${value}' in 'in' is not a period. Write a year (2026), a half (2026-H1), a quarter (2026-Q3), a month (2026-07) or a fiscal year (FY2026).`
        });
    }
}

export const invalidDate = defineRule({
    id: 'structure/invalid-date',
    summary: 'A date or period that does not exist, such as 2026-02-30 or the year 12.5.',
    severity: 'error',
    category: 'fast',
    local: true,
    checks: {
        Organisation: (node, context) => checkDate(node, 'effective', context),
        Objective: (node, context) => checkDate(node, 'deadline', context),
        Kra: (node, context) => checkDate(node, 'lastReviewed', context),
        Kpi: (node, context) => checkDate(node, 'lastReviewed', context),
        Baseline: (node, context) => {
            checkDate(node, 'asOf', context);
            checkPeriod(node, context);
        },
        Timing: (node, context) => {
            checkDate(node, 'deadline', context);
            checkPeriod(node, context);
        }
    }
});
