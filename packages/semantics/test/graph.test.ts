import { expect, test } from 'vitest';
import { describePath, findCycles, shortestLoop, stronglyConnectedComponents } from '../src/index.js';

const graph = (edges: Record<string, string[]>) => (node: string) => edges[node] ?? [];

test('components come sinks first, each node in one', () => {
    const next = graph({ a: ['b'], b: ['c', 'a'], c: ['d'], d: [] });
    expect(stronglyConnectedComponents(['a', 'b', 'c', 'd'], next).map(component => component.sort())).toEqual([['d'], ['c'], ['a', 'b']]);
});

test('a chain of 20,000 nodes does not overflow the stack', () => {
    const count = 20_000;
    const next = (node: number) => (node + 1 < count ? [node + 1] : []);
    const nodes = Array.from({ length: count }, (_, index) => index);
    expect(stronglyConnectedComponents(nodes, next)).toHaveLength(count);
    // A ring of as many: one cycle, found once.
    const ring = findCycles(nodes, node => [(node + 1) % count]);
    expect(ring).toHaveLength(1);
    expect(ring[0].path).toHaveLength(count + 1);
    expect(ring[0].members).toHaveLength(count);
});

test('each cycle once, through its first node, shortest; a self-loop is one; an acyclic node none', () => {
    const next = graph({ a: ['b'], b: ['c'], c: ['a', 'b'], s: ['s'], t: ['a'] });
    expect(findCycles(['t', 's', 'c', 'b', 'a'], next).map(cycle => cycle.path).sort()).toEqual([['c', 'b', 'c'], ['s', 's']]);
    expect(shortestLoop('b', next, new Set(['a', 'b', 'c']))).toEqual(['b', 'c', 'b']);
    expect(shortestLoop('t', next, new Set(['t']))).toBeUndefined();
});

test('a long path is shortened around its middle', () => {
    expect(describePath(['a', 'b', 'a'])).toBe('a → b → a');
    const names = [...Array.from({ length: 20 }, (_, index) => `f${index}`), 'f0'];
    expect(describePath(names, 'files')).toBe('f0 → f1 → f2 → f3 → … (20 files in all) → f17 → f18 → f19 → f0');
});
