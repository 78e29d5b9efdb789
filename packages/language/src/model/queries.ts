import { AstUtils, WorkspaceCache, type AstNode, type AstNodeDescription, type LangiumDocument } from 'langium';
import {
    isDepartment, isKpi, isKra, isMeasuredBy, isRole,
    type Cadence, type Kpi, type Kra, type Organisation, type Perspective, type Quantity, type Role
} from '../generated/ast.js';
import type { KraCoreServices } from '../kra-module.js';

/** A KPI as used by a KRA: declared inside it, or adopted with `measured by`. */
export interface KpiUse {
    readonly kpi: Kpi;
    /** The weight within the KRA: the `measured by` weight, else the KPI's own. */
    readonly weight: Quantity | undefined;
    /** Where the weight is written (the KPI or the `measured by` line). */
    readonly source: AstNode;
}

/** A KRA as carried by a role: declared inside it, or adopted with `carries`. */
export interface KraUse {
    readonly kra: Kra;
    readonly weight: Quantity | undefined;
    readonly source: AstNode;
}

export function kpisOfKra(kra: Kra): KpiUse[] {
    const uses: KpiUse[] = kra.kpis.map(kpi => ({ kpi, weight: kpi.weight, source: kpi }));
    for (const measured of kra.measuredBy) {
        // A line that a syntax error cut short may have no reference at all.
        const kpi = measured.kpi?.ref;
        if (kpi) {
            // A KPI's own weight is its share in the KRA that declares it; only a top-level KPI's
            // weight travels with it.
            uses.push({ kpi, weight: measured.weight ?? (isKra(kpi.$container) ? undefined : kpi.weight), source: measured });
        }
    }
    return uses;
}

export function krasOfRole(role: Role): KraUse[] {
    const uses: KraUse[] = role.kras.map(kra => ({ kra, weight: kra.weight, source: kra }));
    for (const carried of role.carries) {
        const kra = carried.kra?.ref;
        if (kra) {
            // Likewise a KRA's own weight is its share in its department or role.
            uses.push({ kra, weight: carried.weight ?? (ownerOfKra(kra) ? undefined : kra.weight), source: carried });
        }
    }
    return uses;
}

/** The KRAs that use a KPI: the one it is declared in, and those that adopt it with `measured by`. */
export function krasUsingKpi(kpi: Kpi, services: KraCoreServices): Kra[] {
    const kras: Kra[] = isKra(kpi.$container) ? [kpi.$container] : [];
    for (const reference of services.references.References.findReferences(kpi, { includeDeclaration: false })) {
        const document = services.shared.workspace.LangiumDocuments.getDocument(reference.sourceUri);
        const node = document && findNodeAt(document, reference.sourcePath, services);
        if (isMeasuredBy(node) && !kras.includes(node.$container)) {
            kras.push(node.$container);
        }
    }
    return kras;
}

function findNodeAt(document: LangiumDocument, path: string, services: KraCoreServices): AstNode | undefined {
    return services.workspace.AstNodeLocator.getAstNode(document.parseResult.value, path);
}

/**
 * The organisation of the workspace that `from` belongs to, if it declares one. Several
 * workspaces can be loaded at once (`kra check a b`); each has its own organisation.
 */
export function organisationOf(services: KraCoreServices, from?: AstNode): Organisation | undefined {
    const indexManager = services.shared.workspace.IndexManager;
    if (!from) {
        return indexManager.allElements('Organisation').head()?.node as Organisation | undefined;
    }
    // Rules ask for every KPI and target; looking through the index each time is slow in large
    // workspaces, and so is finding the workspace root of the document each time. The list of
    // organisations is made once too: going through the index for each document would be
    // quadratic in the number of files.
    let caches = organisationCaches.get(services);
    if (!caches) {
        caches = { all: new WorkspaceCache(services.shared), byDocument: new WorkspaceCache(services.shared) };
        organisationCaches.set(services, caches);
    }
    const { all, byDocument } = caches;
    const document = AstUtils.getDocument(from);
    return byDocument.get(document, () => {
        const workspace = services.shared.workspace.WorkspaceManager;
        const root = workspace.rootOf(document.uri).toString();
        return all.get('Organisation', () => indexManager.allElements('Organisation').toArray())
            .find(description => workspace.rootOf(description.documentUri).toString() === root)?.node as Organisation | undefined;
    });
}

/**
 * Per set of services, the organisations of the index and the organisation of each document's
 * workspace; emptied whenever a document changes.
 */
const organisationCaches = new WeakMap<KraCoreServices, {
    readonly all: WorkspaceCache<string, AstNodeDescription[]>;
    readonly byDocument: WorkspaceCache<LangiumDocument, Organisation | undefined>;
}>();

/** The review cadence that applies: the element's own, else (for a KPI) its KRA's, else the organisation's default. */
export function reviewCadence(node: Kra | Kpi, services: KraCoreServices): Cadence | undefined {
    const kra = isKpi(node) && isKra(node.$container) ? node.$container.review : undefined;
    return node.review ?? kra ?? organisationOf(services, node)?.review;
}

/** The balanced-scorecard perspective of a KPI: its own, else its KRA's. */
export function perspectiveOf(node: Kra | Kpi): Perspective | undefined {
    if (isKra(node)) {
        return node.perspective?.ref;
    }
    return node.perspective?.ref ?? (isKra(node.$container) ? node.$container.perspective?.ref : undefined);
}

/** The department or role a KRA belongs to, if it is declared inside one. */
export function ownerOfKra(kra: Kra): AstNode | undefined {
    const container = kra.$container;
    return isDepartment(container) || isRole(container) ? container : undefined;
}



