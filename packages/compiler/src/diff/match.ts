/**
 * Pairing the elements of two versions: by id, then, for the ones left over, by the rename
 * heuristic described on `matchElements`.
 */

/** What a removed element and an added one have in common. */
export interface Signals {
    /** The same name: the last segment of the qualified id (`aht` in `operations.productivity.aht`). */
    name: boolean;
    /** The same enclosing declaration: KRA for a KPI, department or role for a KRA (renames applied). */
    context: boolean;
    /** The same title (case and surrounding spaces ignored; never for elements without one). */
    title: boolean;
    /** The same content: formula for a KPI, description or KPI names for a KRA, and so on. */
    content: boolean;
    /**
     * Only the enclosing declaration's id changed (same name, same context once that rename is
     * applied): the element moved along with a renamed container and is not reported itself.
     */
    implied: boolean;
}

export interface Rename {
    base: string;
    head: string;
    signals: Signals;
}

export interface Matching {
    /** Base id → head id, for every element present in both versions (renamed or not). */
    readonly toHead: ReadonlyMap<string, string>;
    /** Head id → base id. */
    readonly toBase: ReadonlyMap<string, string>;
    readonly renames: readonly Rename[];
    /** Head ids with no counterpart in the base version. */
    readonly added: readonly string[];
    /** Base ids with no counterpart in the head version. */
    readonly removed: readonly string[];
}

/**
 * Pairs the elements of the base and head versions. Elements with the same id are the same
 * element. Of the rest, a removed element and an added one are a rename when they share
 *
 * - for nested elements (KRAs, KPIs): the name and one more signal (a move keeps the name);
 *   or the enclosing declaration and the title or the content (an id renamed in place); or
 *   the title and the content (renamed and moved at once);
 * - for top-level elements (departments, roles, metrics, objectives): the title or the content.
 *
 * Candidate pairs are taken best first (name 1, context 1, title 2, content 2), then by id, and
 * each element pairs at most once, so the result does not depend on declaration order.
 */
export function matchElements<T extends { id: string }>(
    base: readonly T[], head: readonly T[], nested: boolean, signalsOf: (base: T, head: T) => Signals
): Matching {
    const headIds = new Set(head.map(element => element.id));
    const baseIds = new Set(base.map(element => element.id));
    const toHead = new Map<string, string>();
    const toBase = new Map<string, string>();
    for (const element of base) {
        if (headIds.has(element.id)) {
            toHead.set(element.id, element.id);
            toBase.set(element.id, element.id);
        }
    }
    const removed = base.filter(element => !headIds.has(element.id));
    const added = head.filter(element => !baseIds.has(element.id));
    const candidates: Array<Rename & { score: number }> = [];
    for (const before of removed) {
        for (const after of added) {
            const signals = signalsOf(before, after);
            if (accepted(signals, nested)) {
                const score = Number(signals.name) + Number(signals.context) + 2 * Number(signals.title) + 2 * Number(signals.content);
                candidates.push({ base: before.id, head: after.id, signals, score });
            }
        }
    }
    candidates.sort((a, b) => b.score - a.score || compare(a.base, b.base) || compare(a.head, b.head));
    const renames: Rename[] = [];
    for (const candidate of candidates) {
        if (!toHead.has(candidate.base) && !toBase.has(candidate.head)) {
            toHead.set(candidate.base, candidate.head);
            toBase.set(candidate.head, candidate.base);
            renames.push({ base: candidate.base, head: candidate.head, signals: candidate.signals });
        }
    }
    renames.sort((a, b) => compare(a.head, b.head));
    return {
        toHead,
        toBase,
        renames,
        added: added.filter(element => !toBase.has(element.id)).map(element => element.id),
        removed: removed.filter(element => !toHead.has(element.id)).map(element => element.id)
    };
}

function accepted(signals: Signals, nested: boolean): boolean {
    if (!nested) {
        return signals.title || signals.content;
    }
    return (signals.name && (signals.context || signals.title || signals.content))
        || (signals.context && (signals.title || signals.content))
        || (signals.title && signals.content);
}

export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** The last segment of a qualified id. */
export function nameOf(id: string): string {
    return id.slice(id.lastIndexOf('.') + 1);
}

/** Titles compare without case and surrounding spaces; a missing title never matches. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
    return a !== null && a !== undefined && b !== null && b !== undefined && a.trim() !== ''
        && a.trim().toLowerCase() === b.trim().toLowerCase();
}
