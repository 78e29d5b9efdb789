import {
    AstUtils, CstUtils, GrammarAST, GrammarUtils,
    type AstNode, type CstNode, type LangiumDocument, type LeafCstNode, type MaybePromise
} from 'langium';
import type { Formatter } from 'langium/lsp';
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver-types';
import { declarationKind } from '../kinds.js';
import { findUnterminatedComments } from '../parser/comments.js';

type DocumentFormattingParams = Parameters<Formatter['formatDocument']>[1];
type DocumentRangeFormattingParams = Parameters<Formatter['formatDocumentRange']>[1];
type DocumentOnTypeFormattingOptions = NonNullable<Formatter['formatOnTypeOptions']>;

/** Nodes that start a line of their own. */
const LINE_NODES = new Set(['Target', 'MeasuredBy', 'CarriedKra', 'RatingLevel', 'SourceDimension', 'SourceColumn', 'SourceMeasure']);
/** Declarations nested in a body, set apart by a blank line. */
const BLOCK_NODES = new Set(['Kra', 'Kpi', 'Variant']);

type Break = 'line' | 'blank';

/** A replacement of the text between two offsets. */
interface Edit {
    readonly start: number;
    readonly end: number;
    readonly text: string;
}

/**
 * The canonical layout of KRA Lang, shared by `kra fmt` and the language server.
 *
 * It re-spaces the token stream and never adds, drops or reorders a token or a comment, so
 * formatting cannot change what a file means. Every declaration and every field starts a line;
 * indentation follows the braces; one blank line separates declarations. Files with syntax
 * errors are left alone: the formatter does not guess.
 */
export class KraFormatter implements Formatter {

    formatDocument(document: LangiumDocument, params: DocumentFormattingParams): MaybePromise<TextEdit[]> {
        return this.toTextEdits(document, this.computeEdits(document, params.options));
    }

    formatDocumentRange(document: LangiumDocument, params: DocumentRangeFormattingParams): MaybePromise<TextEdit[]> {
        const start = document.textDocument.offsetAt(params.range.start);
        const end = document.textDocument.offsetAt(params.range.end);
        const edits = this.computeEdits(document, params.options).filter(edit => edit.end >= start && edit.start <= end);
        return this.toTextEdits(document, edits);
    }

    formatDocumentOnType(): MaybePromise<TextEdit[]> {
        return [];
    }

    get formatOnTypeOptions(): DocumentOnTypeFormattingOptions | undefined {
        return undefined;
    }

    /** The formatted text, or undefined when the document has syntax errors. */
    formatText(document: LangiumDocument, options: FormattingOptions = { tabSize: 2, insertSpaces: true }): string | undefined {
        if (!this.canFormat(document)) {
            return undefined;
        }
        const text = document.textDocument.getText();
        let result = '';
        let position = 0;
        for (const edit of this.computeEdits(document, options)) {
            result += text.substring(position, edit.start) + edit.text;
            position = edit.end;
        }
        return result + text.substring(position);
    }

    canFormat(document: LangiumDocument): boolean {
        const { lexerErrors, parserErrors, value } = document.parseResult;
        return lexerErrors.length === 0 && parserErrors.length === 0
            && (!value.$cstNode || findUnterminatedComments(value.$cstNode).length === 0);
    }

    private toTextEdits(document: LangiumDocument, edits: Edit[]): TextEdit[] {
        const textDocument = document.textDocument;
        const text = textDocument.getText();
        return edits
            .filter(edit => text.substring(edit.start, edit.end) !== edit.text)
            .map(edit => ({
                range: { start: textDocument.positionAt(edit.start), end: textDocument.positionAt(edit.end) } satisfies Range,
                newText: edit.text
            }));
    }

    private computeEdits(document: LangiumDocument, options: FormattingOptions): Edit[] {
        const root = document.parseResult.value;
        if (!this.canFormat(document) || !root.$cstNode) {
            return [];
        }
        const text = document.textDocument.getText();
        const newline = text.includes('\r\n') ? '\r\n' : '\n';
        const indentUnit = options.insertSpaces ? ' '.repeat(options.tabSize) : '\t';
        const breaks = this.lineBreaks(root);
        const leaves = CstUtils.flattenCst(root.$cstNode).toArray().sort((a, b) => a.offset - b.offset);
        const edits: Edit[] = [];
        const bom = text.charCodeAt(0) === 0xFEFF ? 1 : 0;

        let depth = 0;
        let previous: LeafCstNode | undefined;
        // A line comment or a comment on a line of its own puts a break before the next token.
        let pendingBreak: Break | undefined;
        for (let i = 0; i < leaves.length; i++) {
            const leaf = leaves[i];
            const gapStart = previous ? previous.end : bom;
            const original = text.substring(gapStart, leaf.offset);
            const originalNewlines = countNewlines(original);
            if (isBrace(leaf, '}')) {
                depth = Math.max(0, depth - 1);
            }
            let gap: string;
            if (!previous) {
                gap = '';
            } else if (isComment(leaf)) {
                if (originalNewlines === 0 && !pendingBreak) {
                    gap = ' '; // a trailing comment stays on its line
                } else {
                    const next = leaves.slice(i + 1).find(candidate => !isComment(candidate));
                    const wantBlank = originalNewlines > 1
                        || (previous.text !== '{' && !isComment(previous) && next !== undefined && breaks.get(next) === 'blank');
                    gap = (wantBlank && previous.text !== '{' ? newline.repeat(2) : newline) + indentUnit.repeat(depth);
                }
            } else {
                let wanted = breaks.get(leaf) ?? (leaf.text === '}' ? 'line' : undefined);
                if (wanted === 'blank' && (previous.text === '{' || (isComment(previous) && originalNewlines < 2))) {
                    wanted = 'line';
                }
                if (leaf.text === '}' && previous.text === '{') {
                    wanted = undefined;
                }
                // A nested block is set apart from what follows it too.
                if (wanted === 'line' && isBrace(previous, '}') && BLOCK_NODES.has(previous.astNode.$type) && !isBrace(leaf, '}')) {
                    wanted = 'blank';
                }
                if (!wanted && pendingBreak) {
                    wanted = 'line';
                    gap = newline + indentUnit.repeat(depth + 1); // continuation of a field broken by a comment
                } else if (wanted) {
                    gap = (wanted === 'blank' ? newline.repeat(2) : newline) + indentUnit.repeat(depth);
                } else {
                    gap = this.spaceBetween(previous, leaf);
                }
            }
            edits.push({ start: gapStart, end: leaf.offset, text: gap });
            if (isComment(leaf)) {
                const indent = gap.includes('\n') ? indentUnit.repeat(depth) : undefined;
                const formatted = formatComment(leaf.text, indent, newline);
                if (formatted !== leaf.text) {
                    edits.push({ start: leaf.offset, end: leaf.end, text: formatted });
                }
                const after = text.substring(leaf.end, leaves[i + 1]?.offset ?? text.length);
                pendingBreak = leaf.text.startsWith('//') || countNewlines(after) > 0 ? 'line' : undefined;
            } else {
                pendingBreak = undefined;
                if (isBrace(leaf, '{')) {
                    depth++;
                }
            }
            previous = leaf;
        }
        edits.push({ start: previous ? previous.end : bom, end: text.length, text: previous ? newline : '' });
        return edits;
    }

    /** Which tokens start a line, and which a blank-line-separated block. */
    private lineBreaks(root: AstNode): Map<CstNode, Break> {
        const breaks = new Map<CstNode, Break>();
        for (const node of AstUtils.streamAst(root)) {
            const first = node.$cstNode && firstLeaf(node.$cstNode);
            if (!first || node === root) {
                continue;
            }
            if (node.$container === root) {
                breaks.set(first, node.$containerProperty === 'imports' && previousIsImport(node) ? 'line' : 'blank');
            } else if (BLOCK_NODES.has(node.$type)) {
                breaks.set(first, 'blank');
            } else if (LINE_NODES.has(node.$type)) {
                breaks.set(first, 'line');
            }
            const starts = fieldStarts(node.$type);
            if (starts && node.$cstNode) {
                for (const leaf of CstUtils.flattenCst(node.$cstNode)) {
                    // A keyword inside a name (`metric missing`) is a name, not a field.
                    if (leaf.astNode === node && GrammarAST.isKeyword(leaf.grammarSource) && starts.has(leaf.text) && !inDataTypeRule(leaf.grammarSource)) {
                        breaks.set(leaf, 'line');
                    }
                }
            }
        }
        return breaks;
    }

    private spaceBetween(previous: LeafCstNode, next: LeafCstNode): string {
        const a = previous.text;
        const b = next.text;
        if (b === ',' || b === ')' || a === '(' || a === '.' || b === '.') {
            return '';
        }
        if (b === '(' && previous.tokenType.name === 'ID') {
            return '';
        }
        if (b === '%' && previous.tokenType.name === 'NUMBER') {
            return '';
        }
        if ((a === '-' || a === '+') && isSign(previous)) {
            return '';
        }
        return ' ';
    }
}

function firstLeaf(node: CstNode): LeafCstNode | undefined {
    return CstUtils.flattenCst(node).find(leaf => !leaf.hidden);
}

function previousIsImport(node: AstNode): boolean {
    const index = node.$containerIndex ?? 0;
    return index > 0;
}

function isBrace(leaf: LeafCstNode, brace: '{' | '}'): boolean {
    return leaf.text === brace && GrammarAST.isKeyword(leaf.grammarSource);
}

function isComment(leaf: LeafCstNode): boolean {
    return leaf.hidden;
}

/** A `-` or `+` that is a sign (`-5`, `+15%`, `-x`) rather than an operator. */
function isSign(leaf: LeafCstNode): boolean {
    if (leaf.astNode.$type === 'NegatedExpression') {
        return true;
    }
    const source = leaf.container?.grammarSource;
    return GrammarAST.isRuleCall(source) && source.rule.ref?.name === 'SignedNumber';
}

function countNewlines(text: string): number {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            count++;
        }
    }
    return count;
}

/** Trims trailing blanks of line comments and aligns the `*` lines of block comments. */
function formatComment(text: string, indent: string | undefined, newline: string): string {
    if (text.startsWith('//')) {
        return text.trimEnd();
    }
    const lines = text.split(/\r?\n/);
    if (lines.length === 1 || indent === undefined) {
        return text;
    }
    const rest = lines.slice(1);
    if (!rest.every(line => /^\s*\*/.test(line))) {
        return text;
    }
    return [lines[0].trimEnd(), ...rest.map(line => `${indent} ${line.trim()}`)].join(newline);
}

/** Whether a keyword belongs to a data type rule (`Name`, `QualifiedName`), as a word of a name. */
function inDataTypeRule(keyword: GrammarAST.Keyword): boolean {
    const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule);
    return rule !== undefined && (rule.dataType !== undefined || GrammarUtils.isDataTypeRule(rule));
}

/**
 * The keywords that begin a field of a declaration type (kinds.ts), as a set. A field starts a
 * line of its own; keywords inside a field (`aggregate by`, `reports to`, `is better`) do not.
 */
const FIELD_START_SETS = new Map<string, ReadonlySet<string>>();
function fieldStarts(type: string): ReadonlySet<string> | undefined {
    const kind = declarationKind(type);
    if (!kind || kind.fieldStarts.length === 0) {
        return undefined;
    }
    let set = FIELD_START_SETS.get(type);
    if (!set) {
        set = new Set(kind.fieldStarts);
        FIELD_START_SETS.set(type, set);
    }
    return set;
}
