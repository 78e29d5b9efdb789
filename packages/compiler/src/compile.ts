import { AstUtils, UriUtils, type AstNode, type LangiumDocument, type URI } from 'langium';
import {
    ast, declarationKind, formulaUnitProblem, formulaUnits, isBuiltinUri, krasOfRole, kpisOfKra, qualifiedName, resolveUnit, UnitInference
} from '@kra-lang/language';
import {
    CHANGE_BASIS_OF_KEYWORD, comparatorOf, DIRECTION_OF_KEYWORD, roundShare, shareOfWhole, percentOf, weightShares
} from '@kra-lang/semantics';
import { declaredUnitOf, expressionTree, formulaText, unitId } from './formula-tree.js';
import {
    MODEL_SCHEMA_ID, MODEL_SCHEMA_VERSION,
    type Baseline, type Condition, type Department, type Formula, type Goal, type Kpi, type Kra, type KraKpi, type KraModel,
    type Metric, type Objective, type Owner, type Quantity, type Role, type RoleKra, type SourceLocation, type Target,
    type Threshold, type Timing, type Unit, type Variant
} from './model.js';
import { addTo } from './collections.js';
import { compileMeasure, compileSource } from './compile-sources.js';

export interface CompileInput {
    /** The workspace documents and the built-in library (for units and perspectives). */
    readonly documents: readonly LangiumDocument[];
    /** The workspace root: source locations are relative to it. */
    readonly root: URI;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Compiles a linked workspace to the model of model.ts. The output depends only on the
 * documents' content and paths: lists are sorted by id and nothing varies between runs.
 */
export function compileWorkspace(input: CompileInput): KraModel {
    const units = new UnitInference();
    const documents = [...input.documents]
        .filter(document => !isBuiltinUri(document.uri.toString()))
        .sort((a, b) => (a.uri.toString() < b.uri.toString() ? -1 : 1));
    // A declaration that a syntax error left without a name (kra build --allow-errors) is left out.
    const all = documents.flatMap(document => AstUtils.streamAst(document.parseResult.value).filter(named).toArray());
    const location = (node: AstNode): SourceLocation => {
        const document = AstUtils.getDocument(node);
        return {
            file: UriUtils.relative(input.root, document.uri),
            line: (node.$cstNode?.range.start.line ?? 0) + 1
        };
    };

    const organisations = all.filter(ast.isOrganisation);
    const kpiNodes = all.filter(ast.isKpi);
    const kraNodes = all.filter(ast.isKra);
    const metricUsers = new Map<ast.Metric, Set<string>>();
    const kraUsers = new Map<ast.Kpi, Set<string>>();
    for (const kra of kraNodes) {
        for (const use of kpisOfKra(kra)) {
            addTo(kraUsers, use.kpi, qualifiedName(kra));
        }
    }

    const dependencies = (kpi: ast.Kpi) => {
        const metrics = new Set<string>();
        const kpis = new Set<string>();
        const formulas = [kpi.formula, ...kpi.variants.map(variant => variant.formula)];
        for (const formula of formulas) {
            if (!formula) {
                continue;
            }
            for (const node of AstUtils.streamAst(formula)) {
                if (ast.isMeasureRef(node)) {
                    const target = node.measure.ref;
                    if (ast.isMetric(target)) {
                        metrics.add(qualifiedName(target));
                        addTo(metricUsers, target, qualifiedName(kpi));
                    } else if (ast.isKpi(target)) {
                        kpis.add(qualifiedName(target));
                    }
                }
            }
        }
        return { metrics: [...metrics].sort(), kpis: [...kpis].sort() };
    };

    const formula = (definition: ast.Kpi | ast.Variant): Formula | null => {
        if (!definition.formula) {
            return null;
        }
        const tree = expressionTree(definition.formula, units);
        const unitProblem = formulaUnitProblem(formulaUnits(definition, definition.formula, units));
        return { text: formulaText(tree), tree, inferredUnit: tree.inferredUnit, unitProblem };
    };

    const kpis: Kpi[] = kpiNodes.map(kpi => {
        const deps = dependencies(kpi);
        return {
            id: qualifiedName(kpi),
            name: kpi.name,
            title: kpi.title ?? null,
            description: kpi.description ?? null,
            kra: ast.isKra(kpi.$container) && named(kpi.$container) ? qualifiedName(kpi.$container) : null,
            usedBy: [...(kraUsers.get(kpi) ?? [])].sort(),
            formula: formula(kpi),
            unit: declaredUnitOf(kpi),
            direction: kpi.direction ? DIRECTION_OF_KEYWORD[kpi.direction] : null,
            baseline: kpi.baseline && complete(kpi.baseline.value) ? baseline(kpi.baseline) : null,
            benchmark: complete(kpi.benchmark) ? { value: quantity(kpi.benchmark), source: kpi.benchmarkSource ?? null } : null,
            targets: defined(kpi.targets.map(target)),
            thresholds: defined(kpi.thresholds.map(threshold)),
            frequency: kpi.frequency ?? null,
            dataSource: kpi.source ?? null,
            owner: owner(kpi.owner),
            weight: percent(kpi.weight),
            perspective: kpi.perspective?.ref?.name ?? (ast.isKra(kpi.$container) ? kpi.$container.perspective?.ref?.name ?? null : null),
            tags: [...kpi.tags],
            review: kpi.review ?? null,
            lastReviewed: kpi.lastReviewed ?? null,
            variants: kpi.variants.filter(named).map((variant): Variant => ({
                id: qualifiedName(variant),
                name: variant.name,
                title: variant.title ?? null,
                description: variant.description ?? null,
                formula: formula(variant),
                unit: declaredUnitOf(variant),
                targets: defined(variant.targets.map(target)),
                thresholds: defined(variant.thresholds.map(threshold)),
                source: location(variant)
            })),
            dependencies: deps,
            source: location(kpi)
        };
    }).sort(byId);

    const metrics: Metric[] = all.filter(ast.isMetric).map(metric => ({
        id: qualifiedName(metric),
        title: metric.title ?? null,
        description: metric.description ?? null,
        sourceSystem: metric.source ?? null,
        sourceField: metric.field ?? null,
        unit: unitId(metric.unit),
        additive: metric.additivity === 'additive' ? true : metric.additivity === 'non-additive' ? false : null,
        aggregation: metric.aggregation ?? null,
        missingAs: metric.missingAsZero ? 'zero' as const : null,
        owner: owner(metric.owner),
        measure: compileMeasure(metric.measure),
        usedBy: [...(metricUsers.get(metric) ?? [])].sort(),
        source: location(metric)
    })).sort(byId);

    const kras: Kra[] = kraNodes.map(kra => ({
        id: qualifiedName(kra),
        name: kra.name,
        title: kra.title ?? null,
        description: kra.description ?? null,
        declaredIn: !named(kra.$container!) ? null
            : ast.isDepartment(kra.$container) ? { department: qualifiedName(kra.$container) }
                : ast.isRole(kra.$container) ? { role: qualifiedName(kra.$container) } : null,
        owner: owner(kra.owner),
        perspective: kra.perspective?.ref?.name ?? null,
        alignsTo: alignment(kra),
        weight: percent(kra.weight),
        review: kra.review ?? null,
        lastReviewed: kra.lastReviewed ?? null,
        kpis: kpisOfKra(kra).map((use): KraKpi => ({
            kpi: qualifiedName(use.kpi),
            via: use.source === use.kpi ? 'own' : 'measured-by',
            weight: percent(use.weight)
        })),
        source: location(kra)
    })).sort(byId);

    const roles: Role[] = all.filter(ast.isRole).map(role => ({
        id: qualifiedName(role),
        title: role.title ?? null,
        description: role.description ?? null,
        department: role.department?.ref ? qualifiedName(role.department.ref) : null,
        reportsTo: role.reportsTo?.ref ? qualifiedName(role.reportsTo.ref) : null,
        ratingScale: role.scale?.ref?.name ?? null,
        kras: roleKras(role),
        source: location(role)
    })).sort(byId);

    const departments: Department[] = all.filter(ast.isDepartment).map(department => ({
        id: qualifiedName(department),
        title: department.title ?? null,
        description: department.description ?? null,
        parent: department.parent?.ref ? qualifiedName(department.parent.ref) : null,
        owner: owner(department.owner),
        kras: department.kras.filter(named).map(kra => qualifiedName(kra)).sort(),
        source: location(department)
    })).sort(byId);

    const objectives: Objective[] = all.filter(ast.isObjective).map(objective => ({
        id: qualifiedName(objective),
        title: objective.title ?? null,
        description: objective.description ?? null,
        owner: owner(objective.owner),
        perspective: objective.perspective?.ref?.name ?? null,
        deadline: objective.deadline ?? null,
        source: location(objective)
    })).sort(byId);

    const organisation = organisations[0];
    return {
        $schema: MODEL_SCHEMA_ID,
        schemaVersion: MODEL_SCHEMA_VERSION,
        organisation: organisation ? {
            id: organisation.name,
            title: organisation.title ?? null,
            version: organisation.version ?? null,
            effective: organisation.effective ?? null,
            fiscalYearStart: organisation.fiscalYearStart ?? null,
            review: organisation.review ?? null,
            currency: unitId(organisation.currency),
            ratingScale: organisation.scale?.ref?.name ?? null,
            description: organisation.description ?? null,
            source: location(organisation)
        } : null,
        objectives,
        perspectives: declarationsOfAllDocuments(input.documents, ast.isPerspective).map(perspective => ({
            id: perspective.name,
            title: perspective.title ?? null,
            builtin: isBuiltinUri(AstUtils.getDocument(perspective).uri.toString())
        })).sort(byId),
        units: declarationsOfAllDocuments(input.documents, ast.isUnit).map(unitModel).sort(byId),
        clients: all.filter(ast.isClient).map(client => ({
            id: client.name,
            title: client.title ?? null,
            description: client.description ?? null,
            contract: client.contract ?? null,
            source: location(client)
        })).sort(byId),
        ratingScales: all.filter(ast.isRatingScale).map(scale => ({
            id: scale.name,
            title: scale.title ?? null,
            method: scale.method ?? 'stepped',
            levels: scale.levels
                .filter(level => typeof level.value === 'number' && typeof level.label === 'string' && complete(level.threshold))
                .map(level => ({ value: finite(level.value), label: level.label, from: quantity(level.threshold!) }))
                .sort((a, b) => b.value - a.value),
            source: location(scale)
        })).sort(byId),
        sources: all.filter(ast.isSource)
            .map(source => compileSource(source, input.root, location, metrics.filter(metric => metric.measure?.dataSource === qualifiedName(source)).map(metric => metric.id)))
            .sort(byId),
        metrics,
        departments,
        roles,
        kras,
        kpis
    };
}

/** Declarations of every document, built-ins included: units and perspectives are referenced by id. */
function declarationsOfAllDocuments<T extends AstNode>(documents: readonly LangiumDocument[], guard: (node: unknown) => node is T): T[] {
    return documents.flatMap(document => AstUtils.streamAst(document.parseResult.value).filter(guard).filter(named).toArray());
}

/** False for a declaration without a name (a syntax error cut it short); true for anything else. */
function named(node: AstNode): boolean {
    if (!declarationKind(node.$type)) {
        return true;
    }
    const name = (node as AstNode & { name?: unknown }).name;
    return typeof name === 'string' && name.length > 0;
}

function defined<T>(items: ReadonlyArray<T | undefined>): T[] {
    return items.filter((item): item is T => item !== undefined);
}

/** A number the JSON model can hold: the grammar's numbers are finite unless absurdly long (a 400-digit number is Infinity). */
function finite(value: number): number {
    return Number.isFinite(value) ? value : Number.isNaN(value) ? 0 : Math.sign(value) * Number.MAX_VALUE;
}

/**
 * A quantity with its number: not one that a syntax error cut short. What a syntax error left
 * incomplete (kra build --allow-errors) is left out of the model rather than guessed.
 */
function complete(node: ast.Quantity | undefined): node is ast.Quantity {
    return typeof node?.value === 'number';
}

function unitModel(unit: ast.Unit): Unit {
    const resolved = resolveUnit(unit);
    return {
        id: unit.name,
        title: unit.title ?? null,
        symbol: unit.symbol ?? null,
        base: resolved?.base ?? unit.name,
        kind: resolved?.kind ?? unit.kind ?? unit.name,
        factor: finite(resolved?.factor ?? 1),
        builtin: isBuiltinUri(AstUtils.getDocument(unit).uri.toString())
    };
}

function quantity(node: ast.Quantity): Quantity {
    return { value: finite(node.value), unit: unitId(node.unit) };
}

/** A weight in percent, as the semantics kernel defines it; null for none, or one in a unit that is no share. */
function percent(node: ast.Quantity | undefined): number | null {
    if (!complete(node)) {
        return null;
    }
    const unit = node.unit ? resolveUnit(node.unit.ref) : undefined;
    const value = node.unit && !unit ? undefined : percentOf(finite(node.value), unit);
    return value === undefined ? null : finite(roundShare(value));
}

function owner(node: ast.Owner | undefined): Owner | null {
    if (!node) {
        return null;
    }
    if (node.person !== undefined) {
        return { person: node.person };
    }
    return { role: node.role?.ref ? qualifiedName(node.role.ref) : node.role?.$refText ?? '' };
}

function alignment(kra: ast.Kra): Kra['alignsTo'] {
    const target = kra.alignsTo?.ref;
    if (ast.isObjective(target)) {
        return { objective: qualifiedName(target) };
    }
    if (ast.isKra(target)) {
        return { kra: qualifiedName(target) };
    }
    return null;
}

function timing(node: ast.Timing): Timing {
    return { deadline: node.deadline ?? null, period: node.period !== undefined ? String(node.period) : null, each: node.grain ?? null };
}

// Goals, targets, conditions and thresholds that a syntax error left incomplete are left out.

function goal(node: ast.Goal | undefined): Goal | undefined {
    if (ast.isBand(node)) {
        return complete(node.low) && complete(node.high) ? { kind: 'between', low: quantity(node.low), high: quantity(node.high) } : undefined;
    }
    if (ast.isChange(node)) {
        return typeof node.change === 'number' && node.basis ? {
            kind: 'change',
            change: { value: finite(node.change), unit: unitId(node.unit) },
            basis: CHANGE_BASIS_OF_KEYWORD[node.basis]
        } : undefined;
    }
    const kind = ast.isComparison(node) ? comparatorOf(node.comparator) : undefined;
    return ast.isComparison(node) && kind && complete(node.value) ? { kind, value: quantity(node.value) } : undefined;
}

function target(node: ast.Target): Target | undefined {
    const compiled = goal(node.goal);
    return compiled && {
        client: node.client?.ref?.name ?? node.client?.$refText ?? null,
        goal: compiled,
        timing: node.timing ? timing(node.timing) : null,
        stages: node.stages.filter(stage => complete(stage.value) && stage.timing).map(stage => ({ value: quantity(stage.value), timing: timing(stage.timing) }))
    };
}

function condition(node: ast.Condition | undefined): Condition | undefined {
    if (ast.isOtherwise(node)) {
        return { kind: 'otherwise' };
    }
    if (ast.isBand(node)) {
        return complete(node.low) && complete(node.high) ? { kind: 'between', low: quantity(node.low), high: quantity(node.high) } : undefined;
    }
    const kind = ast.isComparison(node) ? comparatorOf(node.comparator) : undefined;
    return ast.isComparison(node) && kind && complete(node.value) ? { kind, value: quantity(node.value) } : undefined;
}

function threshold(node: ast.Threshold): Threshold | undefined {
    const compiled = condition(node.condition);
    return compiled && node.status ? { status: node.status, condition: compiled } : undefined;
}

function baseline(node: ast.Baseline): Baseline {
    return { value: quantity(node.value), period: node.period !== undefined ? String(node.period) : null, asOf: node.asOf ?? null };
}

/**
 * A role's KRAs with their weights and shares: each KRA's share of the role score, and each
 * KPI's (its KRA's share times its share of the KRA), as the semantics kernel defines them.
 */
function roleKras(role: ast.Role): RoleKra[] {
    const uses = krasOfRole(role);
    const shares = weightShares(uses.map(use => percent(use.weight)));
    return uses.map((use, index): RoleKra => {
        const kpiUses = kpisOfKra(use.kra);
        const kpiShares = weightShares(kpiUses.map(kpiUse => percent(kpiUse.weight)));
        return {
            kra: qualifiedName(use.kra),
            via: use.source === use.kra ? 'own' : 'carried',
            weight: percent(use.weight),
            effectiveWeight: shares[index],
            kpis: kpiUses.map((kpiUse, kpiIndex) => ({
                kpi: qualifiedName(kpiUse.kpi),
                weight: percent(kpiUse.weight),
                effectiveWeight: shareOfWhole(shares[index], kpiShares[kpiIndex])
            }))
        };
    });
}
