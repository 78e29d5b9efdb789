/**
 * Cycles in a directed graph (files that import files, KPIs that use KPIs), found once and in
 * linear time: strongly connected components, one shortest loop per component, and a loop's
 * path shortened for messages. Iterative throughout: chains can be thousands of nodes long.
 */

/**
 * Strongly connected components (Tarjan), each node in exactly one. Components come in reverse
 * topological order: a component comes after every component it reaches, so a value that
 * depends on its successors can be computed in this order. O(nodes + edges).
 */
export function stronglyConnectedComponents<T>(nodes: Iterable<T>, successors: (node: T) => readonly T[]): T[][] {
    const index = new Map<T, number>();
    const low = new Map<T, number>();
    const stack: T[] = [];
    const onStack = new Set<T>();
    const result: T[][] = [];
    let counter = 0;
    for (const start of nodes) {
        if (index.has(start)) {
            continue;
        }
        const work: Array<{ node: T; next: readonly T[]; position: number }> = [];
        const visit = (node: T) => {
            index.set(node, counter);
            low.set(node, counter++);
            stack.push(node);
            onStack.add(node);
            work.push({ node, next: successors(node), position: 0 });
        };
        visit(start);
        while (work.length > 0) {
            const frame = work[work.length - 1];
            if (frame.position < frame.next.length) {
                const next = frame.next[frame.position++];
                if (!index.has(next)) {
                    visit(next);
                } else if (onStack.has(next)) {
                    low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
                }
                continue;
            }
            work.pop();
            if (work.length > 0) {
                const parent = work[work.length - 1].node;
                low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
            }
            if (low.get(frame.node) === index.get(frame.node)) {
                const component: T[] = [];
                let member: T;
                do {
                    member = stack.pop()!;
                    onStack.delete(member);
                    component.push(member);
                } while (member !== frame.node);
                result.push(component);
            }
        }
    }
    return result;
}

/**
 * The shortest loop from `start` back to itself through nodes of `within` (breadth first),
 * as the path `[start, …, start]`; undefined when there is none. O(nodes + edges of `within`).
 */
export function shortestLoop<T>(start: T, successors: (node: T) => readonly T[], within: ReadonlySet<T>): T[] | undefined {
    const previous = new Map<T, T>();
    const queue: T[] = [start];
    for (let i = 0; i < queue.length; i++) {
        const current = queue[i];
        for (const next of successors(current)) {
            if (next === start) {
                const back: T[] = [];
                for (let at = current; at !== start; at = previous.get(at)!) {
                    back.push(at);
                }
                return [start, ...back.reverse(), start];
            }
            if (within.has(next) && !previous.has(next)) {
                previous.set(next, current);
                queue.push(next);
            }
        }
    }
    return undefined;
}

/** A loop found once per component: its path and the component's size. */
export interface Cycle<T> {
    /** `[first, …, first]`: the shortest loop through the component's first node. */
    readonly path: readonly T[];
    /** Every node of the component: the loop's, and those tangled with it. */
    readonly members: readonly T[];
}

/**
 * Every cycle of a graph, once: one per strongly connected component with a loop (two nodes or
 * more, or a node that reaches itself), as the shortest loop through its first node in `nodes`'
 * order. O(nodes + edges) in total.
 */
export function findCycles<T>(nodes: readonly T[], successors: (node: T) => readonly T[]): Array<Cycle<T>> {
    const order = new Map(nodes.map((node, position) => [node, position]));
    const cycles: Array<Cycle<T>> = [];
    for (const component of stronglyConnectedComponents(nodes, successors)) {
        if (component.length === 1 && !successors(component[0]).includes(component[0])) {
            continue;
        }
        const first = component.reduce((best, node) => ((order.get(node) ?? Infinity) < (order.get(best) ?? Infinity) ? node : best));
        const path = shortestLoop(first, successors, new Set(component));
        if (path) {
            cycles.push({ path, members: component });
        }
    }
    return cycles;
}

/** How many names a path shown in a message keeps before it elides the middle. */
export const MAX_PATH_SHOWN = 8;

/**
 * A loop's path for a message: `a → b → c → a`; a long one keeps its first and last steps
 * around the elided middle (`a → b → c → … (4000 files) → y → z → a`), so a message stays
 * short however long the loop.
 */
export function describePath(names: readonly string[], noun = 'steps', limit = MAX_PATH_SHOWN): string {
    if (names.length <= limit) {
        return names.join(' → ');
    }
    const head = Math.ceil(limit / 2);
    const tail = limit - head;
    return [...names.slice(0, head), `… (${names.length - 1} ${noun} in all)`, ...names.slice(names.length - tail)].join(' → ');
}
