import { isReference, WorkspaceCache, type AstNode } from 'langium';
import {
    isKpi, isMeasureRef, isPreviousPeriodWindow, isSamePeriodLastYearWindow, isWindowedExpression,
    type Kpi, type MeasureRef
} from '../../../generated/ast.js';
import type { KraServices } from '../../../kra-module.js';
import { qualifiedName } from '../../../scoping/qualified-names.js';
import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';

interface Edge {
    readonly target: Kpi;
    readonly reference: MeasureRef;
}

/** A KPI on a loop: the reference in its formula that starts the loop, and the loop itself. */
interface Loop {
    readonly reference: MeasureRef;
    readonly path: readonly Kpi[];
}

/**
 * A reference `over previous period` or `over same period last year` reads an earlier period,
 * which is already known, so it closes no loop (`revenue - revenue over previous period`).
 */
function readsEarlierPeriod(reference: AstNode, formula: AstNode): boolean {
    for (let current: AstNode | undefined = reference; current && current !== formula.$container; current = current.$container) {
        if (isWindowedExpression(current) && (isPreviousPeriodWindow(current.window) || isSamePeriodLastYearWindow(current.window))) {
            return true;
        }
    }
    return false;
}

/** The KPI whose own `formula` (not a variant's) contains `node`, if any. */
function formulaOwner(node: AstNode): Kpi | undefined {
    let current = node;
    while (current.$container && !isKpi(current.$container)) {
        current = current.$container;
    }
    return isKpi(current.$container) && current.$containerProperty === 'formula' ? current.$container : undefined;
}

/**
 * Which KPIs each KPI's formula reads, found from the documents' resolved references rather
 * than by walking every syntax tree of the workspace. KPIs that read no KPI have no entry.
 */
function dependencyGraph(services: KraServices): Map<Kpi, Edge[]> {
    const graph = new Map<Kpi, Edge[]>();
    for (const document of services.shared.workspace.LangiumDocuments.all) {
        for (const reference of document.references) {
            if (!isReference(reference)) {
                continue;
            }
            const node = reference.$refNode?.astNode;
            const target = isMeasureRef(node) ? reference.ref : undefined;
            const kpi = isKpi(target) ? formulaOwner(node!) : undefined;
            if (!kpi || readsEarlierPeriod(node!, kpi.formula!)) {
                continue;
            }
            const edges = graph.get(kpi);
            const edge = { target: target as Kpi, reference: node as MeasureRef };
            if (edges) {
                edges.push(edge);
            } else {
                graph.set(kpi, [edge]);
            }
        }
    }
    return graph;
}

/** Strongly connected components (iterative Tarjan): KPI chains can be long. */
function components(graph: Map<Kpi, Edge[]>): Kpi[][] {
    const index = new Map<Kpi, number>();
    const low = new Map<Kpi, number>();
    const stack: Kpi[] = [];
    const onStack = new Set<Kpi>();
    const result: Kpi[][] = [];
    let counter = 0;
    for (const start of graph.keys()) {
        if (index.has(start)) {
            continue;
        }
        const work: Array<{ kpi: Kpi; position: number }> = [];
        const visit = (kpi: Kpi) => {
            index.set(kpi, counter);
            low.set(kpi, counter++);
            stack.push(kpi);
            onStack.add(kpi);
            work.push({ kpi, position: 0 });
        };
        visit(start);
        while (work.length > 0) {
            const frame = work[work.length - 1];
            const edges = graph.get(frame.kpi) ?? [];
            if (frame.position < edges.length) {
                const next = edges[frame.position++].target;
                if (!index.has(next)) {
                    visit(next);
                } else if (onStack.has(next)) {
                    low.set(frame.kpi, Math.min(low.get(frame.kpi)!, index.get(next)!));
                }
                continue;
            }
            work.pop();
            if (work.length > 0) {
                const parent = work[work.length - 1].kpi;
                low.set(parent, Math.min(low.get(parent)!, low.get(frame.kpi)!));
            }
            if (low.get(frame.kpi) === index.get(frame.kpi)) {
                const component: Kpi[] = [];
                let member: Kpi;
                do {
                    member = stack.pop()!;
                    onStack.delete(member);
                    component.push(member);
                } while (member !== frame.kpi);
                result.push(component);
            }
        }
    }
    return result;
}

/** The shortest loop from `start` back to itself inside its component. */
function shortestLoop(start: Kpi, members: Set<Kpi>, graph: Map<Kpi, Edge[]>): Loop | undefined {
    const previous = new Map<Kpi, Edge & { from: Kpi }>();
    const queue: Kpi[] = [start];
    for (let i = 0; i < queue.length; i++) {
        const current = queue[i];
        for (const edge of graph.get(current) ?? []) {
            if (!members.has(edge.target)) {
                continue;
            }
            if (edge.target === start) {
                const path: Kpi[] = [start];
                let first = edge;
                for (let at = current; at !== start; at = previous.get(at)!.from) {
                    path.unshift(at);
                    first = previous.get(at)!;
                }
                path.unshift(start);
                return { reference: first.reference, path };
            }
            if (!previous.has(edge.target) && edge.target !== start) {
                previous.set(edge.target, { ...edge, from: current });
                queue.push(edge.target);
            }
        }
    }
    return undefined;
}

function computeLoops(services: KraServices): Map<Kpi, Loop> {
    const graph = dependencyGraph(services);
    const loops = new Map<Kpi, Loop>();
    for (const component of components(graph)) {
        const members = new Set(component);
        const selfLoop = component.length === 1 && (graph.get(component[0]) ?? []).some(edge => edge.target === component[0]);
        if (component.length === 1 && !selfLoop) {
            continue;
        }
        for (const kpi of component) {
            const loop = shortestLoop(kpi, members, graph);
            if (loop) {
                loops.set(kpi, loop);
            }
        }
    }
    return loops;
}

// One cache per set of services; it empties whenever a document changes, so loops are
// computed once per workspace build.
const caches = new WeakMap<KraServices, WorkspaceCache<string, Map<Kpi, Loop>>>();

function loopsOf(services: KraServices): Map<Kpi, Loop> {
    let cache = caches.get(services);
    if (!cache) {
        cache = new WorkspaceCache(services.shared);
        caches.set(services, cache);
    }
    return cache.get('loops', () => computeLoops(services));
}

export const cycle = defineRule({
    id: 'formula/cycle',
    summary: 'KPI formulas depend on each other in a loop (also across files), so none of them can be computed.',
    severity: 'error',
    // Follows formulas into every document of the workspace.
    category: 'slow',
    checks: {
        Kpi(kpi, context) {
            const loop = loopsOf(context.services).get(kpi);
            if (!loop) {
                return;
            }
            const names = loop.path.map(node => qualifiedName(node)).join(' → ');
            context.report({
                node: loop.reference,
                property: 'measure',
                message: loop.path.length === 2
                    ? `${describe(kpi)}: the formula refers to the KPI itself (${names}), so it can never be computed. Compute it from metrics or other KPIs; for the value of an earlier period, write \`${kpi.name} over previous period\`.`
                    : `${describe(kpi)}: the formula depends on itself through other KPIs (${names}), so none of them can be computed. Break the loop: compute one of them from metrics instead of from the others.`
            });
        }
    }
});
