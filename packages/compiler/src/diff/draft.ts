/**
 * A change while the diff is being worked out (before its context, roles and message are
 * final), and the small helpers every part of the diff shares.
 */
import type { SourceLocation } from '../model.js';
import type { ChangeContext, ChangeField, ChangeKind, DiffElementKind, DiffValue } from './types.js';

/** A change before its message is filled in. */
export interface Draft {
    kind: ChangeKind;
    element: DiffElementKind;
    id: string;
    previousId?: string;
    field?: ChangeField;
    key?: string;
    before?: unknown;
    after?: unknown;
    title: string;
    context: ChangeContext;
    roles: string[];
    detail: string;
    /**
     * Where the element is declared, for elements the diff cannot look up by kind and id
     * (variants, rating scales, clients, the organisation); null for built-ins and units.
     */
    source?: SourceLocation | null;
}

/** A change to record; its roles default to none. */
export type DraftInput = Omit<Draft, 'roles'> & { roles?: string[] };

/** A field to compare: recorded as `changed` when `before` and `after` differ (as JSON). */
export type FieldDraft = Omit<Draft, 'kind' | 'roles'> & { roles?: string[] };

export function titleOf(element: { id: string; title: string | null }): string {
    return element.title ?? element.id;
}

/** What an added or removed element's JSON shows: its id and title. */
export function summaryOf(element: { id: string; title: string | null }): DiffValue {
    return { id: element.id, title: element.title };
}

export function json(value: unknown): string {
    return JSON.stringify(value ?? null);
}

export function toValue(value: unknown): DiffValue {
    return value === undefined ? null : JSON.parse(JSON.stringify(value)) as DiffValue;
}

/**
 * Pairs list items of two versions by key (in order within a key); left-overs with the same
 * `loose` key (a target's client) pair next, so a target that changed comparator is one change.
 */
export function pairUp<T>(before: readonly T[], after: readonly T[], key: (item: T) => string, loose?: (item: T) => string): Array<[T | undefined, T | undefined]> {
    const pairs: Array<[T | undefined, T | undefined]> = [];
    const remaining = [...after];
    const unmatched: T[] = [];
    for (const item of before) {
        const index = remaining.findIndex(candidate => key(candidate) === key(item));
        if (index >= 0) {
            pairs.push([item, remaining.splice(index, 1)[0]]);
        } else {
            unmatched.push(item);
        }
    }
    for (const item of unmatched) {
        const index = loose ? remaining.findIndex(candidate => loose(candidate) === loose(item)) : -1;
        pairs.push(index >= 0 ? [item, remaining.splice(index, 1)[0]] : [item, undefined]);
    }
    for (const item of remaining) {
        pairs.push([undefined, item]);
    }
    return pairs;
}
