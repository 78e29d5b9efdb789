import type { Kpi, Kra, Role } from '../../generated/ast.js';
import { kpisOfKra, krasOfRole } from '../../model/queries.js';

/** The distinct KRAs a role carries: its own and those adopted with `carries`. */
export function distinctKrasOfRole(role: Role): Kra[] {
    return [...new Set(krasOfRole(role).map(use => use.kra))];
}

/** The distinct KPIs of a KRA: its own and those adopted with `measured by`. */
export function distinctKpisOfKra(kra: Kra): Kpi[] {
    return [...new Set(kpisOfKra(kra).map(use => use.kpi))];
}

/** "a, b, c" — at most `max` names, then "and N more", so a long list stays readable. */
export function nameList(names: readonly string[], max = 8): string {
    return names.length <= max
        ? names.join(', ')
        : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
