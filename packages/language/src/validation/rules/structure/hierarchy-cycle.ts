import type { AstNode, Reference } from 'langium';
import { isKra } from '../../../generated/ast.js';
import { defineRule, type RuleContext } from '../../rule.js';
import { describe } from '../../describe.js';
import { qualifiedName } from '../../../scoping/qualified-names.js';

/**
 * Follows `next` from `start`; if the chain comes back to `start`, reports the loop on the
 * property that begins it. Each element reports its own loop, so every member is marked.
 */
function checkChain<N extends AstNode & { name: string }>(
    start: N, property: string, next: (node: N) => Reference<N> | undefined,
    what: string, context: RuleContext
): void {
    const path: N[] = [start];
    const seen = new Set<AstNode>([start]);
    for (let current = next(start)?.ref; current; current = next(current)?.ref) {
        if (current === start) {
            const names = [...path, start].map(node => qualifiedName(node)).join(' → ');
            context.report({
                node: start,
                property,
                message: `${describe(start)}: ${what} runs in a circle (${names}). Break the loop by pointing one of them elsewhere.`
            });
            return;
        }
        if (seen.has(current)) {
            return; // a loop further up, reported on its own members
        }
        seen.add(current);
        path.push(current);
    }
}

export const hierarchyCycle = defineRule({
    id: 'structure/hierarchy-cycle',
    summary: 'Departments, reporting lines, KRA alignment or unit definitions form a loop.',
    severity: 'error',
    category: 'fast',
    checks: {
        Department: (node, context) => checkChain(node, 'parent', n => n.parent, "'part of'", context),
        Role: (node, context) => checkChain(node, 'reportsTo', n => n.reportsTo, "'reports to'", context),
        Unit: (node, context) => checkChain(node, 'base', n => n.base, 'the unit definition', context),
        Kra: (node, context) => checkChain(node, 'alignsTo',
            n => n.alignsTo && isKra(n.alignsTo.ref) ? n.alignsTo as Reference<typeof n> : undefined, "'aligns to'", context)
    }
});
