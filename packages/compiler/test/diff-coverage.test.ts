/**
 * The diff is exhaustive: every field of the model's JSON Schema is compared or deliberately
 * ignored (DIFF_COVERAGE), and every single-field mutation of a compiled model in a compared
 * field is reported, naming the element it belongs to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { URI } from 'langium';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { compileWorkspace, DIFF_COVERAGE, diffModels, type KraModel } from '../src/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCHEMA = JSON.parse(fs.readFileSync(path.join(HERE, '../schemas/kra-model.schema.json'), 'utf-8')) as SchemaNode;
const EXAMPLE = path.join(HERE, '../../../examples/contact-centre');

interface SchemaNode {
    $ref?: string;
    oneOf?: SchemaNode[];
    items?: SchemaNode;
    properties?: Record<string, SchemaNode>;
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    $defs?: Record<string, SchemaNode>;
}

const DEFS = SCHEMA.$defs!;

function defName(ref: string): string {
    return ref.slice('#/$defs/'.length);
}

/** The object schemas a value of `node` may be: through $ref, oneOf and arrays' items. */
function objectShapes(node: SchemaNode): Array<{ def?: string; properties: Record<string, SchemaNode>; array: boolean }> {
    if (node.$ref) {
        const name = defName(node.$ref);
        return objectShapes(DEFS[name]).map(shape => ({ ...shape, def: shape.def ?? name }));
    }
    if (node.oneOf) {
        return node.oneOf.flatMap(objectShapes);
    }
    if (node.items) {
        return objectShapes(node.items).map(shape => ({ ...shape, array: true }));
    }
    return node.properties ? [{ properties: node.properties, array: false }] : [];
}

/**
 * Every schema path the diff must account for: the paths under an ignored one are not
 * walked; a definition's fields are listed once.
 */
function walkSchema(): { seen: Set<string>; missing: string[] } {
    const seen = new Set<string>();
    const missing: string[] = [];
    const visitedDefs = new Set<string>();
    const visit = (key: string, node: SchemaNode): void => {
        seen.add(key);
        const coverage = DIFF_COVERAGE[key];
        if (!coverage) {
            missing.push(key);
            return;
        }
        if ('ignored' in coverage) {
            return;
        }
        const shapes = objectShapes(node);
        const defs = new Set(shapes.map(shape => shape.def).filter((def): def is string => def !== undefined && !visitedDefs.has(def)));
        defs.forEach(def => visitedDefs.add(def));
        for (const shape of shapes) {
            if (shape.def !== undefined && !defs.has(shape.def)) {
                continue;
            }
            const prefix = shape.def ?? `${key}${shape.array ? '[]' : ''}`;
            for (const [name, property] of Object.entries(shape.properties)) {
                visit(`${prefix}.${name}`, property);
            }
        }
    };
    for (const [name, property] of Object.entries(SCHEMA.properties!)) {
        visit(`model.${name}`, property);
    }
    return { seen, missing: [...new Set(missing)] };
}

describe('DIFF_COVERAGE', () => {
    it('accounts for every field of the model schema, and lists no field the schema lacks', () => {
        const { seen, missing } = walkSchema();
        expect(missing, 'fields neither compared nor ignored: add them to packages/compiler/src/diff/coverage.ts').toEqual([]);
        expect(Object.keys(DIFF_COVERAGE).filter(key => !seen.has(key)), 'listed fields the schema does not have (or that sit under an ignored one)').toEqual([]);
    });

    it('gives every ignored field a reason and every compared one how it is reported', () => {
        for (const [key, coverage] of Object.entries(DIFF_COVERAGE)) {
            expect(('ignored' in coverage ? coverage.ignored : coverage.compared).length, key).toBeGreaterThan(10);
        }
    });
});

// ------------------------------------------------------------------ mutations

/** A place in a compiled model whose value the diff must notice when it changes. */
interface Location {
    /** Property names and array indexes from the model's root. */
    path: Array<string | number>;
    /** The schema path (a DIFF_COVERAGE key). */
    key: string;
    /** The schema paths of the values that hold it, from the model's root, and its own. */
    keys: string[];
    schema: SchemaNode;
    /** The top-level element holding it: its collection and index (organisation: index -1). */
    element: { collection: string; index: number };
}

/** The schema of a value, with its definitions resolved; a oneOf is resolved against the value. */
function resolve(node: SchemaNode, value: unknown): { node: SchemaNode; def?: string } {
    if (node.$ref) {
        const name = defName(node.$ref);
        const resolved = resolve(DEFS[name], value);
        return { node: resolved.node, def: resolved.def ?? name };
    }
    if (node.oneOf) {
        for (const branch of node.oneOf) {
            if (fits(branch, value)) {
                return resolve(branch, value);
            }
        }
    }
    return { node };
}

/** Enough of JSON Schema to pick the oneOf branch a compiled value is in. */
function fits(node: SchemaNode, value: unknown): boolean {
    if (node.$ref) {
        return fits(DEFS[defName(node.$ref)], value);
    }
    if (node.oneOf) {
        return node.oneOf.some(branch => fits(branch, value));
    }
    if (node.const !== undefined) {
        return node.const === value;
    }
    if (node.enum) {
        return node.enum.includes(value);
    }
    if (node.properties) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return false;
        }
        const record = value as Record<string, unknown>;
        return Object.keys(record).every(key => key in node.properties!)
            && Object.entries(node.properties).every(([key, property]) => !(key in record) || fits(property, record[key]));
    }
    const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
    if (types.length === 0) {
        return true;
    }
    return types.some(type => type === 'null' ? value === null : type === 'array' ? Array.isArray(value)
        : type === 'integer' ? Number.isInteger(value) : type === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value)
            : typeof value === type);
}

/** Every value (leaves and arrays) of the model in a compared field. */
function locations(model: KraModel): Location[] {
    const found: Location[] = [];
    const walk = (value: unknown, node: SchemaNode, key: string, where: Array<string | number>, element: Location['element'], outer: string[]): void => {
        const keys = [...outer, key];
        const coverage = DIFF_COVERAGE[key];
        if (!coverage || 'ignored' in coverage) {
            return;
        }
        const { node: resolved, def } = resolve(node, value);
        if (Array.isArray(value)) {
            found.push({ path: where, key, keys, schema: resolved, element: where.length === 1 ? { collection: String(where[0]), index: 0 } : element });
            const items = resolved.items ?? {};
            value.forEach((item, index) => {
                const itemElement = where.length === 1 ? { collection: String(where[0]), index } : element;
                const shape = resolve(items, item);
                const prefix = shape.def ?? `${key}[]`;
                if (shape.node.properties && typeof item === 'object' && item !== null) {
                    for (const [name, property] of Object.entries(shape.node.properties)) {
                        walk((item as Record<string, unknown>)[name], property, `${prefix}.${name}`, [...where, index, name], itemElement, keys);
                    }
                } else {
                    found.push({ path: [...where, index], key, keys, schema: items, element: itemElement });
                }
            });
            return;
        }
        if (value !== null && typeof value === 'object') {
            const prefix = def ?? key;
            for (const [name, property] of Object.entries(resolved.properties ?? {})) {
                walk((value as Record<string, unknown>)[name], property, `${prefix}.${name}`, [...where, name], element, keys);
            }
            return;
        }
        found.push({ path: where, key, keys, schema: node, element });
    };
    for (const [name, property] of Object.entries(SCHEMA.properties!)) {
        walk((model as unknown as Record<string, unknown>)[name], property, `model.${name}`, [name], { collection: name, index: -1 }, []);
    }
    return found;
}

function get(model: unknown, where: ReadonlyArray<string | number>): unknown {
    return where.reduce<unknown>((value, step) => (value as Record<string | number, unknown>)[step], model);
}

function withValue(model: KraModel, where: ReadonlyArray<string | number>, value: unknown): KraModel {
    const copy = structuredClone(model) as unknown as Record<string | number, unknown>;
    if (value === REMOVE) {
        // An array: its first item goes.
        (get(copy, where) as unknown[]).splice(0, 1);
    } else {
        (get(copy, where.slice(0, -1)) as Record<string | number, unknown>)[where[where.length - 1]] = value;
    }
    return copy as unknown as KraModel;
}

const REMOVE = Symbol('remove the item');
/** Not in any id, so a mutated id never names another element. */
const MARK = '§';

/** Another value of the field's type (for a leaf), or removing an item (for an array); undefined when there is none. */
function otherValue(location: Location, current: unknown): unknown {
    const node = location.schema;
    if (Array.isArray(current)) {
        return current.length > 0 ? REMOVE : undefined;
    }
    const branch = node.oneOf ? node.oneOf.find(option => fits(option, current)) ?? node : node;
    if (branch.const !== undefined) {
        return undefined;
    }
    if (branch.enum) {
        return branch.enum.find(option => option !== current && option !== null) ?? branch.enum.find(option => option !== current);
    }
    if (typeof current === 'boolean') {
        return !current;
    }
    if (typeof current === 'number') {
        return current + 1;
    }
    if (typeof current === 'string') {
        return `${current}${MARK}`;
    }
    const types = Array.isArray(branch.type) ? branch.type : [branch.type];
    return types.includes('string') ? `new${MARK}` : types.includes('number') || types.includes('integer') ? 7 : types.includes('boolean') ? true : undefined;
}

/** The id and title of the top-level element a location is in. */
function elementOf(model: KraModel, location: Location): { id: string; title: string } {
    const element = location.element.index < 0
        ? get(model, [location.element.collection]) as { id: string; title: string | null }
        : get(model, [location.element.collection, location.element.index]) as { id: string; title: string | null };
    return { id: element.id, title: element.title ?? element.id };
}

function names(id: string, value: string | null): boolean {
    return value !== null && (value === id || value.startsWith(`${id}.`) || value === `${id}${MARK}`);
}

/** The diff of the model and its mutation, both ways, reports a change that names the element. */
function expectReported(model: KraModel, location: Location, value: unknown): void {
    const mutated = withValue(model, location.path, value);
    const { id, title } = elementOf(model, location);
    const what = `${location.path.join('.')} (${location.key}) → ${String(value === REMOVE ? 'removed' : JSON.stringify(value))}`;
    for (const changes of [diffModels(model, mutated).changes, diffModels(mutated, model).changes]) {
        expect(changes.length, `${what}: no change reported`).toBeGreaterThan(0);
        const naming = changes.filter(change => names(id, change.id) || names(id, change.previousId) || names(id, change.key));
        expect(naming.length, `${what}: no change names ${id}: ${changes.map(change => change.message).join(' | ')}`).toBeGreaterThan(0);
        expect(naming.some(change => change.message.includes(title)), `${what}: no message names ${title}: ${naming.map(change => change.message).join(' | ')}`).toBe(true);
    }
}

describe('diffModels on single-field mutations of the contact-centre model', () => {
    let model: KraModel;
    let all: Location[];

    beforeAll(async () => {
        const target = await resolveTarget(EXAMPLE);
        const workspace = await loadWorkspace([target]);
        model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });
        all = locations(model).filter(location => otherValue(location, get(model, location.path)) !== undefined);
    }, 60_000);

    it('has a location in every compared field that the example uses', () => {
        const keys = new Set(all.flatMap(location => location.keys));
        for (const key of ['ratingScale.levels[].from', 'variant.formula', 'variant.targets', 'organisation.fiscalYearStart', 'unit.factor', 'client.contract', 'kpi.benchmark.source', 'role.kras[].weight', 'expression.value']) {
            expect(keys, key).toContain(key);
        }
    });

    it('reports a change of every compared field, at its first and last place in the model', () => {
        const byKey = new Map<string, Location[]>();
        for (const location of all) {
            byKey.set(location.key, [...(byKey.get(location.key) ?? []), location]);
        }
        for (const places of byKey.values()) {
            for (const location of new Set([places[0], places[places.length - 1]])) {
                expectReported(model, location, otherValue(location, get(model, location.path)));
            }
        }
    });

    it('reports any value written into any compared field (property)', () => {
        const leaves = all.filter(location => !Array.isArray(get(model, location.path)));
        const valueFor = (location: Location): fc.Arbitrary<unknown> => {
            const current = get(model, location.path);
            const fallback = fc.constant(otherValue(location, current));
            if (typeof current === 'number') {
                return fc.double({ noNaN: true, noDefaultInfinity: true }).filter(value => JSON.stringify(value) !== JSON.stringify(current));
            }
            if (typeof current === 'string' && !location.schema.enum) {
                return fc.string({ minLength: 1 }).map(text => `${current}${MARK}${text}`);
            }
            return fallback;
        };
        fc.assert(fc.property(
            fc.constantFrom(...leaves).chain(location => valueFor(location).map(value => [location, value] as const)),
            ([location, value]) => expectReported(model, location, value)
        ), { numRuns: 100 });
    });

    it('reports a rating-scale threshold moved and a client variant redefined, which it used to miss', () => {
        const scale = model.ratingScales[0];
        const meets = scale.levels.findIndex(level => level.label.startsWith('Meets'));
        const moved = withValue(model, ['ratingScales', 0, 'levels', meets, 'from', 'value'], 70);
        expect(diffModels(model, moved).changes.map(change => change.message)).toEqual([
            'Organisation · Five-point appraisal scale level 3 Meets expectations from 95% → 70%'
        ]);
        const kpiIndex = model.kpis.findIndex(kpi => kpi.variants.length > 0);
        const kpi = model.kpis[kpiIndex];
        const variant = kpi.variants[0];
        const redefined = structuredClone(model);
        redefined.kpis[kpiIndex].variants[0].formula = { ...variant.formula!, tree: { kind: 'metric', id: 'calls_offered', inferredUnit: null } };
        const target = redefined.kpis[kpiIndex].variants[0].targets[0];
        if (target.goal.kind === 'at-least') {
            target.goal = { ...target.goal, value: { ...target.goal.value, value: target.goal.value.value - 5 } };
        }
        const changes = diffModels(model, redefined).changes;
        expect(changes.map(change => [change.element, change.id, change.field])).toEqual([
            ['variant', variant.id, 'formula'],
            ['variant', variant.id, 'target']
        ]);
        expect(changes[0].message).toContain(`${kpi.title} variant ${variant.title} formula`);
    });
});
