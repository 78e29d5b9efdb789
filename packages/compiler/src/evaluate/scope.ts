/**
 * Where a value is computed: the period it is for, the span of days it covers, and the members
 * (team, client…) it is narrowed to.
 */
import type { Kpi, Variant } from '../model.js';
import { DIMENSIONS, type DataRow, type Dimension } from './data.js';
import type { DayRange, Period } from '@kra-lang/semantics';

export type Filter = Readonly<Partial<Record<Dimension, string>>>;

/** A span of days a value is computed over; `days` marks a rolling window of days or weeks. */
export interface Range extends DayRange {
    readonly days?: number;
}

export interface Context {
    /** The period the value is for; windows move it (previous period) or widen the range. */
    readonly anchor: Period;
    readonly range: Range;
    readonly filter: Filter;
}

/** What is evaluated: a KPI, or one of its client variants. */
export interface Measure {
    readonly kpi: Kpi;
    readonly variant: Variant | null;
}

export function filterKey(filter: Filter): string {
    return DIMENSIONS.filter(dimension => filter[dimension] !== undefined).map(dimension => `${dimension}=${filter[dimension]}`).join('&');
}

export function matches(row: DataRow, filter: Filter): boolean {
    for (const dimension of Object.keys(filter) as Dimension[]) {
        if (row.members[dimension] !== filter[dimension]) {
            return false;
        }
    }
    return true;
}
