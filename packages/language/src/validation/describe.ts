import type { AstNode } from 'langium';
import { declarationKind } from '../kinds.js';
import { qualifiedName } from '../scoping/qualified-names.js';


/** The declaration kind as users say it: "KPI", "KRA", "rating scale". */
export function kindLabel(type: string): string {
    return declarationKind(type)?.label ?? type;
}

/** "KPI 'operations.service.aht'": how a message names the element it is about. */
export function describe(node: AstNode): string {
    const named = nearestDeclaration(node);
    if (!named) {
        return 'this file';
    }
    return `${kindLabel(named.$type)} '${qualifiedName(named)}'`;
}

/** The innermost named declaration that contains `node` (or `node` itself). */
export function nearestDeclaration(node: AstNode): (AstNode & { name: string }) | undefined {
    for (let current: AstNode | undefined = node; current; current = current.$container) {
        if (declarationKind(current.$type) && typeof (current as { name?: unknown }).name === 'string') {
            return current as AstNode & { name: string };
        }
    }
    return undefined;
}

/** Field names as the user writes them in a .kra file. */
const FIELD_LABELS: Record<string, string> = {
    targets: 'target',
    stages: 'target',
    alignsTo: 'aligns to',
    reportsTo: 'reports to',
    lastReviewed: 'last reviewed',
    fiscalYearStart: 'fiscal year starts in',
    measuredBy: 'measured by',
    carries: 'carries',
    parent: 'part of',
    frequency: 'measured',
    scale: 'rated on',
    kpis: 'kpi',
    kras: 'kra',
    levels: 'level',
    benchmarkSource: 'benchmark',
    deadline: 'by',
    asOf: 'as of',
    period: 'in',
    grain: 'each',
    effective: 'effective',
    aggregation: 'aggregate by',
    missingAsZero: 'missing as zero',
    measure: 'measured as',
    dimensions: 'dimension',
    columns: 'column'
};

export function fieldLabel(property: string): string {
    return FIELD_LABELS[property] ?? property;
}

/**
 * The field of the enclosing declaration that `node.property` belongs to, as the user wrote
 * it: a reference deep inside a formula is in the field 'formula'; a unit in a target is in
 * the field 'targets'.
 */
export function fieldOf(node: AstNode, property: string): string {
    const declaration = nearestDeclaration(node);
    if (!declaration || declaration === node) {
        return fieldLabel(property);
    }
    let field = property;
    for (let current: AstNode | undefined = node; current && current !== declaration; current = current.$container) {
        field = current.$containerProperty ?? field;
    }
    return fieldLabel(field);
}
