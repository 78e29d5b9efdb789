/**
 * Small helpers the editor features share: what a declaration is called, what unit it is in,
 * and the text the user wrote for a node.
 */
import { AstUtils, type AstNode, type AstNodeDescription, type LangiumDocument } from 'langium';
import { isBuiltinUri } from '../builtins/builtin-library.js';
import { unitText, unitTypeText } from '@kra-lang/semantics';
import { declaredUnit, UnitInference } from '../formulas/units.js';
import { isKpi, isMetric, isVariant, type Kpi, type Metric, type Unit } from '../generated/ast.js';
import { qualifiedName } from '../scoping/qualified-names.js';
import { kindLabel } from '../validation/describe.js';

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A request the server refuses for a reason the user should read (e.g. a rename to a keyword).
 * The language server sends it as a `RequestFailed` error response with this message.
 */
export class RequestRefused extends Error {
    override readonly name = 'RequestRefused';
}

/** The source text of a node, on one line, as the user wrote it. */
export function sourceText(node: AstNode | undefined): string {
    return node?.$cstNode?.text.replace(/\s+/g, ' ').trim() ?? '';
}

/** The title a declaration was given in quotes, if any. */
export function titleOf(node: AstNode | undefined): string | undefined {
    const title = (node as { title?: unknown } | undefined)?.title;
    return typeof title === 'string' && title.length > 0 ? title : undefined;
}

export function isNamed(node: AstNode | undefined): node is AstNode & { name: string } {
    return typeof (node as { name?: unknown } | undefined)?.name === 'string';
}

/** "KPI", "Metric", "Rating scale": the kind of a declaration, to start a line with. */
export function kindTitle(type: string): string {
    const label = kindLabel(type);
    return label.charAt(0).toUpperCase() + label.slice(1);
}

/** "KPI `operations.service.aht`". */
export function heading(node: AstNode & { name: string }): string {
    return `${kindTitle(node.$type)} \`${qualifiedName(node)}\``;
}

/** The unit a metric, KPI or variant is in, in words ("seconds", "percent"), or undefined. */
export function measureUnit(node: AstNode | undefined, inference = new UnitInference()): string | undefined {
    if (isMetric(node)) {
        return unitName(node.unit?.ref);
    }
    if (isKpi(node) || isVariant(node)) {
        const declared = declaredUnit(node);
        if (declared) {
            return unitText(declared);
        }
        const kpi: Kpi = isKpi(node) ? node : node.$container;
        const type = node.formula ? inference.infer(node.formula) : inference.kpiUnit(kpi);
        return type.type === 'unknown' ? undefined : unitTypeText(type);
    }
    return undefined;
}

/** A unit by its name (`percent`, `seconds`): clearer in a detail line than its symbol. */
export function unitName(unit: Unit | undefined): string | undefined {
    return unit?.name;
}

/** "Average handle time · seconds": the detail line of a completion item or symbol. */
export function declarationDetail(node: AstNode | undefined, fallbackType: string): string {
    const parts: string[] = [];
    const title = titleOf(node);
    if (title) {
        parts.push(title);
    }
    if (isMetric(node) || isKpi(node) || isVariant(node)) {
        const unit = measureUnit(node as Metric | Kpi);
        if (unit) {
            parts.push(unit);
        }
    }
    const kind = kindTitle(node?.$type ?? fallbackType);
    return parts.length > 0 ? `${kind}: ${parts.join(' · ')}` : kind;
}

export function isBuiltin(node: AstNode | AstNodeDescription): boolean {
    const uri = 'documentUri' in node ? node.documentUri : AstUtils.getDocument(node).uri;
    return isBuiltinUri(uri.toString());
}

/** The whitespace a line starts with. */
export function indentationOf(document: LangiumDocument, line: number): string {
    const text = lineText(document, line);
    return /^[ \t]*/.exec(text)?.[0] ?? '';
}

export function lineText(document: LangiumDocument, line: number): string {
    return document.textDocument.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** The indentation one level deeper than `indentation`, in the file's own style. */
export function deeper(indentation: string): string {
    return indentation + (indentation.includes('\t') ? '\t' : '  ');
}
