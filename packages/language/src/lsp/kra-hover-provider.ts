import { DIRECTION_OF_KEYWORD, DIRECTION_WORDS } from '@kra-lang/semantics';
import { CstUtils, GrammarUtils, type AstNode, type DocumentationProvider, type LangiumDocument, type MaybePromise } from 'langium';
import { AstNodeHoverProvider, type HoverProvider } from 'langium/lsp';
import type { Hover } from 'vscode-languageserver-types';
import { arityText, FORMULA_FUNCTIONS, type FormulaFunction } from '@kra-lang/semantics';
import { unitText, unitTypeText } from '@kra-lang/semantics';
import { resolveUnit, UnitInference } from '../formulas/units.js';
import {
    isFunctionCall, isKpi, isKra, isMetric, isRole, isSource, isUnit, isVariant,
    type Kpi, type Kra, type Metric, type Owner, type Role, type Source, type Unit, type Variant
} from '../generated/ast.js';
import { measureAggregation, MEASURE_AGGREGATIONS } from '../sources/vocabulary.js';
import type { KraServices } from './kra-lsp-module.js';
import { kpisOfKra, krasOfRole, krasUsingKpi } from '../model/queries.js';
import { qualifiedName } from '../scoping/qualified-names.js';
import { heading, isNamed, sourceText, titleOf } from './lsp-utils.js';
import { kraWeightSummary, percentLabel, shareOfRole, weightTotal } from './weight-shares.js';

type HoverParams = Parameters<HoverProvider['getHoverContent']>[1];

/**
 * Hover cards in Markdown: a KPI's formula, unit, targets, thresholds, owner and the KRAs that
 * use it; metrics, roles, KRAs and units; formula functions; and every declaration's doc comment.
 */
export class KraHoverProvider extends AstNodeHoverProvider {

    private readonly services: KraServices;
    private readonly documentation: DocumentationProvider;

    constructor(services: KraServices) {
        super(services);
        this.services = services;
        this.documentation = services.documentation.DocumentationProvider;
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const fn = this.functionAt(document, params);
        if (fn) {
            return { contents: { kind: 'markdown', value: functionCard(fn) } };
        }
        return super.getHoverContent(document, params);
    }

    /** The formula function whose name is under the cursor, if any. */
    private functionAt(document: LangiumDocument, params: HoverParams): FormulaFunction | undefined {
        const root = document.parseResult.value.$cstNode;
        const offset = document.textDocument.offsetAt(params.position);
        const leaf = root && CstUtils.findDeclarationNodeAtOffset(root, offset, this.grammarConfig.nameRegexp);
        const call = leaf?.astNode;
        if (isFunctionCall(call) && GrammarUtils.findNodeForProperty(call.$cstNode, 'function') === leaf) {
            return FORMULA_FUNCTIONS.get(call.function);
        }
        return undefined;
    }

    protected getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        if (!isNamed(node)) {
            return undefined;
        }
        const card = isKpi(node) ? this.kpiCard(node)
            : isVariant(node) ? this.variantCard(node)
                : isMetric(node) ? metricCard(node)
                    : isSource(node) ? sourceCard(node)
                    : isKra(node) ? kraCard(node)
                        : isRole(node) ? roleCard(node)
                            : isUnit(node) ? unitCard(node)
                                : [];
        const description = (node as { description?: string }).description;
        return [
            `**${heading(node)}**${titleOf(node) ? ` — ${titleOf(node)}` : ''}`,
            ...(description ? [description] : []),
            ...this.docComment(node),
            ...(card.length > 0 ? [card.join('\n')] : [])
        ].join('\n\n');
    }

    private docComment(node: AstNode): string[] {
        const doc = this.documentation.getDocumentation(node)?.trim();
        return doc ? [doc] : [];
    }

    private kpiCard(kpi: Kpi): string[] {
        const lines = measureFacts(kpi, new UnitInference());
        if (kpi.direction) {
            lines.push(fact('Direction', DIRECTION_WORDS[DIRECTION_OF_KEYWORD[kpi.direction]]));
        }
        if (kpi.baseline) {
            lines.push(fact('Baseline', code(sourceText(kpi.baseline))));
        }
        lines.push(...targetFacts(kpi));
        if (kpi.owner) {
            lines.push(fact('Owner', ownerText(kpi.owner)));
        }
        if (kpi.weight) {
            lines.push(fact('Weight', `${code(sourceText(kpi.weight))}${isKra(kpi.$container) ? ` in KRA ${code(qualifiedName(kpi.$container))}` : ''}`));
        }
        const share = shareOfRole(kpi);
        if (share) {
            lines.push(fact('Share of role score', `${percentLabel(share.percent)} of ${code(share.role)}`));
        }
        const kras = krasUsingKpi(kpi, this.services);
        lines.push(fact('Used in', kras.length > 0 ? kras.map(kra => `KRA ${code(qualifiedName(kra))}`).join(', ') : 'no KRA'));
        if (kpi.variants.length > 0) {
            lines.push(fact('Variants', kpi.variants.map(variant => code(variant.name)).join(', ')));
        }
        return lines;
    }

    private variantCard(variant: Variant): string[] {
        return [...measureFacts(variant, new UnitInference()), ...targetFacts(variant)];
    }
}

function fact(label: string, value: string): string {
    return `- **${label}:** ${value}`;
}

function code(text: string): string {
    return `\`${text.replace(/`/g, "'")}\``;
}

function ownerText(owner: Owner): string {
    return owner.role ? `role ${code(owner.role.$refText)}${titleOf(owner.role.ref) ? ` (${titleOf(owner.role.ref)})` : ''}` : owner.person ?? '';
}

/** Formula and unit of a KPI or variant: the declared unit, and the one the formula gives. */
function measureFacts(measure: Kpi | Variant, inference: UnitInference): string[] {
    const lines: string[] = [];
    if (measure.formula) {
        lines.push(fact('Formula', code(sourceText(measure.formula))));
    }
    const declared = inference.declaredUnit(measure);
    const inferred = measure.formula ? inference.infer(measure.formula) : undefined;
    const parts: string[] = [];
    if (declared) {
        parts.push(code(unitText(declared)) + (isVariant(measure) && !measure.unit ? ' (the KPI\'s)' : ''));
    }
    if (inferred && inferred.type !== 'unknown') {
        parts.push(`the formula gives ${code(unitTypeText(inferred))}`);
    }
    lines.push(fact('Unit', parts.length > 0 ? parts.join(' · ') : 'not known'));
    return lines;
}

function targetFacts(measure: Kpi | Variant): string[] {
    const lines: string[] = [];
    if (measure.targets.length > 0) {
        lines.push(fact('Targets', ''));
        for (const target of measure.targets) {
            const text = sourceText(target).replace(/^target\s+/, '');
            lines.push(`  - ${code(text)}${target.timing ? '' : ' — *no deadline*'}`);
        }
    }
    if (measure.thresholds.length > 0) {
        lines.push(fact('Thresholds', measure.thresholds.map(threshold => code(sourceText(threshold))).join(', ')));
    }
    return lines;
}

function metricCard(metric: Metric): string[] {
    const lines: string[] = [];
    const unit = resolveUnit(metric.unit?.ref);
    lines.push(fact('Unit', unit ? code(metric.unit!.$refText) : 'not declared'));
    if (metric.source) {
        lines.push(fact('Source', `${metric.source}${metric.field ? `, field ${code(metric.field)}` : ''}`));
    }
    const measure = metric.measure;
    const aggregation = measure && measureAggregation(measure.aggregation, measure.distinct);
    if (measure && aggregation) {
        lines.push(fact('Measured as', `${code(sourceText(measure).replace(/^measured as /, ''))}: ${MEASURE_AGGREGATIONS[aggregation].summary}`));
    }
    if (metric.additivity) {
        lines.push(fact('Additivity', metric.additivity));
    }
    if (metric.aggregation) {
        lines.push(fact('Aggregated by', metric.aggregation));
    }
    lines.push(fact('Empty data cells', metric.missingAsZero ? 'count as zero' : 'missing data'));
    if (metric.owner) {
        lines.push(fact('Owner', ownerText(metric.owner)));
    }
    return lines;
}

function sourceCard(source: Source): string[] {
    const lines: string[] = [];
    lines.push(source.file !== undefined ? fact('File', code(source.file)) : fact('Table', code(source.table.map(part => JSON.stringify(part)).join('.'))));
    if (source.period) {
        lines.push(fact('Period from', `${code(source.period)}, by ${source.grain ?? 'month'}`));
    }
    if (source.dimensions.length > 0) {
        lines.push(fact('Dimensions', source.dimensions.map(mapping => `${mapping.dimension} ← ${code(mapping.column ?? '')}`).join(', ')));
    }
    if (source.columns.length > 0) {
        lines.push(fact('Columns', source.columns.map(column => `${code(column.column ?? '')} ${column.type ?? ''}`).join(', ')));
    }
    return lines;
}

function kraCard(kra: Kra): string[] {
    const lines: string[] = [];
    if (kra.weight) {
        lines.push(fact('Weight', code(sourceText(kra.weight))));
    }
    if (kra.alignsTo) {
        lines.push(fact('Aligns to', code(kra.alignsTo.$refText)));
    }
    lines.push(fact('KPIs', kraWeightSummary(kra)));
    for (const use of kpisOfKra(kra)) {
        lines.push(`  - ${code(use.kpi.name)}${titleOf(use.kpi) ? ` ${titleOf(use.kpi)}` : ''}${use.weight ? ` — ${code(sourceText(use.weight))}` : ''}`);
    }
    return lines;
}

function roleCard(role: Role): string[] {
    const lines: string[] = [];
    if (role.department) {
        lines.push(fact('Department', code(role.department.$refText)));
    }
    if (role.reportsTo) {
        lines.push(fact('Reports to', code(role.reportsTo.$refText)));
    }
    const kras = krasOfRole(role);
    const { weighted, total } = weightTotal(kras.map(use => use.weight));
    lines.push(fact('KRAs', `${kras.length}${weighted > 0 && total !== null ? `, weights ${percentLabel(total)}` : ''}`));
    for (const use of kras) {
        lines.push(`  - ${code(qualifiedName(use.kra))}${use.weight ? ` — ${code(sourceText(use.weight))}` : ''}`);
    }
    return lines;
}

function unitCard(unit: Unit): string[] {
    const lines: string[] = [];
    if (unit.symbol) {
        lines.push(fact('Symbol', code(unit.symbol)));
    }
    const resolved = resolveUnit(unit);
    if (unit.base) {
        lines.push(fact('Definition', code(`${unit.factor ?? 1} ${unit.base.$refText}`)));
    }
    if (resolved) {
        lines.push(fact('Kind', resolved.kind));
    }
    return lines;
}

function functionCard(fn: FormulaFunction): string {
    return [
        `**function** ${code(fn.signature)}`,
        fn.description,
        `Takes ${arityText(fn)}.${fn.aggregates ? ' Aggregates over the members and days of the period.' : ''}`
    ].join('\n\n');
}
