import { isReference, WorkspaceCache, type AstNode } from 'langium';
import { referenceHolder } from '../../../model/ast-walk.js';
import {
    isKpi, isMeasureRef, isPreviousGrainWindow, isPreviousPeriodWindow, isSameGrainLastYearWindow, isSamePeriodLastYearWindow, isWindowedExpression,
    Metric, type Kpi, type MeasureRef
} from '../../../generated/ast.js';
import type { KraCoreServices } from '../../../kra-module.js';
import { qualifiedName } from '../../../scoping/qualified-names.js';
import { defineRule } from '../../rule.js';
import { describe } from '../../describe.js';
import { describePath, findCycles } from '@kra-lang/semantics';

interface Edge {
    readonly target: Kpi;
    readonly reference: MeasureRef;
    /** The reference reads an earlier period (`x over previous period`). */
    readonly earlier: boolean;
}

/** A loop of KPIs: the reference in its first KPI's formula that starts it, the loop, and how many KPIs are tangled in it. */
interface Loop {
    readonly reference: MeasureRef;
    readonly path: readonly Kpi[];
    readonly tangled: number;
    /** A step of the loop reads an earlier period: the loop reaches back period by period instead of closing at once. */
    readonly earlier: boolean;
}

/**
 * A reference `over previous period`, `over same period last year` and the like reads an
 * earlier period. A loop through one still never ends in a value: each period reads the one
 * before, back to the first period of data, which has none before it, and evaluation gives
 * every period no value (so `kra eval` treats it as the loop it is).
 */
function readsEarlierPeriod(reference: AstNode, formula: AstNode): boolean {
    for (let current: AstNode | undefined = reference; current && current !== formula.$container; current = current.$container) {
        if (isWindowedExpression(current) && (isPreviousPeriodWindow(current.window) || isSamePeriodLastYearWindow(current.window)
            || isPreviousGrainWindow(current.window) || isSameGrainLastYearWindow(current.window))) {
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
function dependencyGraph(services: KraCoreServices): Map<Kpi, Edge[]> {
    const graph = new Map<Kpi, Edge[]>();
    for (const document of services.shared.workspace.LangiumDocuments.all) {
        for (const reference of document.references) {
            if (!isReference(reference)) {
                continue;
            }
            const node = referenceHolder(reference);
            const target = isMeasureRef(node) ? reference.ref : undefined;
            const kpi = isKpi(target) ? formulaOwner(node!) : undefined;
            if (!kpi) {
                continue;
            }
            const edges = graph.get(kpi);
            const edge = { target: target as Kpi, reference: node as MeasureRef, earlier: readsEarlierPeriod(node!, kpi.formula!) };
            if (edges) {
                edges.push(edge);
            } else {
                graph.set(kpi, [edge]);
            }
        }
    }
    return graph;
}

/**
 * Each loop once: one per tangle of KPIs that use each other (a strongly connected component),
 * the shortest loop through its first KPI by name, reported on that KPI. Linear in the graph.
 */
function computeLoops(services: KraCoreServices): Map<Kpi, Loop> {
    const graph = dependencyGraph(services);
    const successors = new Map<Kpi, Kpi[]>([...graph].map(([kpi, edges]) => [kpi, [...new Set(edges.map(edge => edge.target))]]));
    const kpis = [...graph.keys()].map(kpi => ({ kpi, name: qualifiedName(kpi) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(entry => entry.kpi);
    const loops = new Map<Kpi, Loop>();
    for (const found of findCycles(kpis, kpi => successors.get(kpi) ?? [])) {
        const first = found.path[0];
        const steps = found.path.slice(1).map((to, index) => graph.get(found.path[index])!.filter(edge => edge.target === to));
        // A step counts as a plain reference when any of its references is one (`x + x over previous period`).
        const earlier = steps.some(edges => edges.every(edge => edge.earlier));
        const reference = (steps[0].find(edge => !edge.earlier) ?? steps[0][0]).reference;
        loops.set(first, { reference, path: found.path, tangled: found.members.length, earlier });
    }
    return loops;
}

// One cache per set of services; it empties whenever a document changes, so loops are
// computed once per workspace build.
const caches = new WeakMap<KraCoreServices, WorkspaceCache<string, Map<Kpi, Loop>>>();

function loopsOf(services: KraCoreServices): Map<Kpi, Loop> {
    let cache = caches.get(services);
    if (!cache) {
        cache = new WorkspaceCache(services.shared);
        caches.set(services, cache);
    }
    return cache.get('loops', () => computeLoops(services));
}

/**
 * What to write instead of a KPI's own name: `metric x` where a metric has the name too (names
 * resolve innermost first, so the KPI hides it), else what it is computed from.
 */
function selfReferenceAdvice(kpi: Kpi, services: KraCoreServices): string {
    const metricNamed = services.shared.workspace.IndexManager.allElements(Metric.$type).some(metric => metric.name === kpi.name);
    return metricNamed
        ? `To use the metric \`${kpi.name}\`, which the KPI's name hides in its own formula, write \`metric ${kpi.name}\`.`
        : 'Compute it from metrics or other KPIs.';
}

/** Why a loop through an earlier period never gives a value, and what to write instead. */
const EARLIER_PERIODS = 'each period reads the one before, back to the first period of data, which has none before it, so no period ever has a value. '
    + 'Read the earlier period of what the KPI is computed from instead (`revenue over previous period`, not the KPI\'s own).';

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
            const names = describePath(loop.path.map(node => qualifiedName(node)), 'KPIs');
            const others = loop.tangled - (loop.path.length - 1);
            const tangled = others > 0 ? ` ${others} more KPI${others === 1 ? ' is' : 's are'} tangled in the loop and cannot be computed either.` : '';
            context.report({
                node: loop.reference,
                property: 'measure',
                message: loop.earlier
                    ? loop.path.length === 2
                        ? `${describe(kpi)}: the formula reads the KPI's own earlier periods (${names}): ${EARLIER_PERIODS}`
                        : `${describe(kpi)}: the formula reads its own earlier periods through other KPIs (${names}): ${EARLIER_PERIODS}${tangled}`
                    : loop.path.length === 2
                        ? `${describe(kpi)}: the formula refers to the KPI itself (${names}), so it can never be computed. ${selfReferenceAdvice(kpi, context.services)}`
                        : `${describe(kpi)}: the formula depends on itself through other KPIs (${names}), so none of them can be computed. Break the loop: compute one of them from metrics instead of from the others.${tangled}`
            });
        }
    }
});
