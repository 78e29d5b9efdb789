/**
 * Walks of the compiled formulas and of the graph they make through the KPIs they use, shared
 * by the evaluator and the SQL and MetricFlow writers. Each is linear in the size of the graph:
 * a KPI used by many formulas is walked once, never once per use.
 */
import { stronglyConnectedComponents } from '@kra-lang/semantics';
import { comparedExpressions, type ExpressionNode, type Kpi } from './model.js';

export function formulaChildren(node: ExpressionNode): readonly ExpressionNode[] {
    switch (node.kind) {
        case 'number':
        case 'metric':
        case 'kpi':
            return [];
        case 'negate':
            return [node.operand];
        case 'binary':
            return [node.left, node.right];
        case 'call':
            return node.filter ? [...node.args, ...comparedExpressions(node.filter)] : node.args;
        case 'if':
            return [...comparedExpressions(node.condition), node.then, node.else];
        case 'window':
            return [node.expression];
    }
}

/** Calls `action` on every node of one formula (not into the KPIs it uses); formulas are bounded by the language's limits. */
export function visitFormula(node: ExpressionNode, action: (node: ExpressionNode) => void): void {
    action(node);
    for (const child of formulaChildren(node)) {
        visitFormula(child, action);
    }
}

/** The KPIs a formula refers to, each once, in order. */
export function kpisIn(node: ExpressionNode): string[] {
    const found = new Set<string>();
    visitFormula(node, current => {
        if (current.kind === 'kpi') {
            found.add(current.id);
        }
    });
    return [...found];
}

/**
 * The most nodes a formula may have once the KPIs it uses are written out in it (as SQL and
 * MetricFlow write them): far beyond real formulas. `k2 = k1 + k1`, `k3 = k2 + k2`… doubles
 * at each step, so 40 such KPIs would write out 2^40 copies.
 */
export const MAX_INLINED_NODES = 5000;

/**
 * How many nodes each KPI's formula has once the KPIs it uses are written out in it, up to
 * MAX_INLINED_NODES + 1 (more is not counted). A KPI on a cycle counts its own formula only.
 * One pass over the graph, sinks first: linear however the KPIs fan out.
 */
export function inlinedSizes(kpis: readonly Kpi[]): Map<string, number> {
    const byId = new Map(kpis.map(kpi => [kpi.id, kpi]));
    const uses = new Map(kpis.map(kpi => [kpi.id, kpi.formula ? kpisIn(kpi.formula.tree).filter(id => byId.has(id)) : []]));
    const sizes = new Map<string, number>();
    const cap = MAX_INLINED_NODES + 1;
    const size = (node: ExpressionNode): number => {
        if (node.kind === 'kpi') {
            return sizes.get(node.id) ?? 1;
        }
        let total = 1;
        for (const child of formulaChildren(node)) {
            total = Math.min(cap, total + size(child));
        }
        return total;
    };
    for (const component of stronglyConnectedComponents(kpis.map(kpi => kpi.id), id => uses.get(id)!)) {
        for (const id of component) {
            const formula = byId.get(id)!.formula;
            // Members of a cycle are not written out (the writers refuse them), so their size stays their own.
            sizes.set(id, component.length > 1 || !formula ? 1 : size(formula.tree));
        }
    }
    return sizes;
}

/** Why a formula cannot be written out, KPIs inlined, or null when it can. */
export function inliningTooLarge(tree: ExpressionNode, sizes: ReadonlyMap<string, number>): string | null {
    let total = 0;
    visitFormula(tree, node => {
        total += node.kind === 'kpi' ? sizes.get(node.id) ?? 1 : 1;
    });
    return total > MAX_INLINED_NODES
        ? `written out with the KPIs it uses, the formula would have more than ${MAX_INLINED_NODES} terms (KPIs that use KPIs several times multiply): compute the KPI with kra eval`
        : null;
}
