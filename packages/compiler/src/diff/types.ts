/**
 * The result of comparing two compiled models: a list of semantic changes, each worded the way
 * an HR reviewer reads a pull request. The JSON form (`kra diff --format json`) is this
 * structure; docs/diff.md documents it. Additions are compatible; anything else raises
 * DIFF_FORMAT_VERSION.
 */

export const DIFF_FORMAT_VERSION = 1;

export type ChangeKind = 'added' | 'removed' | 'renamed' | 'changed';

export type DiffElementKind =
    | 'organisation' | 'rating-scale' | 'unit' | 'perspective' | 'client'
    | 'department' | 'role' | 'objective' | 'metric' | 'kra' | 'kpi' | 'variant';

/**
 * What a changed element's field is. Weights are reported on the element that gives them: a
 * KPI's weight in a KRA on the KRA (`kpi-weight`, key = the KPI id), a KRA's weight in a role
 * or department on the role or department (`kra-weight`, key = the KRA id).
 */
export type ChangeField =
    | 'title' | 'owner' | 'review'
    // KPIs and variants
    | 'formula' | 'unit' | 'direction' | 'baseline' | 'benchmark' | 'target' | 'threshold' | 'frequency' | 'data-source'
    // KRAs
    | 'perspective' | 'alignment' | 'weight' | 'kpis' | 'kpi-weight'
    // roles and departments
    | 'department' | 'reports-to' | 'rating-scale' | 'parent' | 'kras' | 'kra-weight'
    // objectives
    | 'deadline'
    // metrics
    | 'additivity' | 'aggregation' | 'missing-as'
    // the organisation
    | 'version' | 'effective' | 'fiscal-year-start' | 'currency'
    // units, clients, rating scales
    | 'symbol' | 'dimension' | 'conversion' | 'contract' | 'method' | 'level'
    // metrics measured from a source
    | 'measure';

/** The department or role an element belongs to, which changes are grouped under. */
export interface ChangeContext {
    kind: 'organisation' | 'department' | 'role';
    /** The department or role id; null for the organisation. */
    id: string | null;
    /** Its title (or id when it has none); `Organisation` for organisation-wide elements. */
    title: string;
}

/** A JSON value: model fragments (targets, thresholds, owners…), numbers or strings. */
export type DiffValue = null | boolean | number | string | DiffValue[] | { [key: string]: DiffValue };

export interface SemanticChange {
    kind: ChangeKind;
    element: DiffElementKind;
    /** The element's id in the head version (in the base version for a removed element). */
    id: string;
    /** For a renamed element, its id in the base version; otherwise null. */
    previousId: string | null;
    /** For a changed element, what changed; otherwise null. */
    field: ChangeField | null;
    /**
     * Which part of the field, when it has several: a target's `client|kind` (client empty for
     * the default target), a threshold's status, the KPI or KRA id of a weight or membership.
     */
    key: string | null;
    /** The value in the base version (null when the element or part is new). */
    before: DiffValue;
    /** The value in the head version (null when the element or part is gone). */
    after: DiffValue;
    /** The element's title (its id when it has none). */
    title: string;
    context: ChangeContext;
    /** Ids of the roles whose appraisal includes the element (head version; base for removals). */
    roles: string[];
    /** The change without its context: `Average handle time (AHT) target 380 s → 360 s by 2026-12-31`. */
    detail: string;
    /** The whole sentence: `Operations · Average handle time (AHT) target 380 s → 360 s by 2026-12-31`. */
    message: string;
    /**
     * Where the element is declared, relative to the workspace root: in the head version, or
     * in the base version for a removed element.
     */
    source: { file: string; line: number } | null;
}

export interface DiffSummary {
    added: number;
    removed: number;
    renamed: number;
    changed: number;
    total: number;
}

export interface SemanticDiff {
    summary: DiffSummary;
    /**
     * Sorted: added, removed, renamed, changed; within each by context (organisation, then each
     * department followed by its roles), then by where the element is declared.
     */
    changes: SemanticChange[];
}
