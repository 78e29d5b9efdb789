import { AstUtils, CstUtils, GrammarAST, type AstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver-types';
import { FORMULA_FUNCTIONS } from '@kra-lang/semantics';
import { isFunctionCall, isKraFile } from '../generated/ast.js';
import { declarationKind } from '../kinds.js';
import type { KraServices } from './kra-lsp-module.js';
import { isBuiltin, isNamed } from './lsp-utils.js';

const OPERATORS = new Set(['+', '-', '*', '/', '>', '>=', '<', '<=', '=', '!=']);
const EXPRESSION_TYPES = new Set(['BinaryExpression', 'NegatedExpression', 'ComparePredicate']);
const NUMBER_TERMINALS = new Set(['NUMBER', 'DATE', 'PERIOD']);
const COMMENT_TERMINALS = new Set(['ML_COMMENT', 'SL_COMMENT']);
const WORD = /^[A-Za-z_]/;

/** A keyword that may also be a name (`days` as a unit in `30 days`): a reference, not a keyword. */
function isNameKeyword(keyword: GrammarAST.Keyword): boolean {
    return AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule)?.name === 'UnitName';
}

/**
 * Semantic tokens for every token that carries meaning, so that editors without the TextMate
 * grammar (Neovim, Helix) highlight `.kra` files fully: keywords, strings, comments, numbers,
 * dates and periods, operators in formulas, formula functions, declarations by kind, and
 * references by the kind of what they resolve to (metric, KPI, role, unit...). Built-ins are
 * `defaultLibrary`. Punctuation (braces, commas, parentheses) gets none.
 */
export class KraSemanticTokenProvider extends AbstractSemanticTokenProvider {

    constructor(services: KraServices) {
        super(services);
    }

    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        if (isKraFile(node) && node.$cstNode) {
            this.highlightLiterals(node, acceptor);
        }
        const type = declarationKind(node.$type)?.token;
        if (type && isNamed(node)) {
            acceptor({ node, property: 'name' as never, type, modifier: SemanticTokenModifiers.declaration });
        }
        if (isFunctionCall(node)) {
            acceptor({
                node, property: 'function', type: SemanticTokenTypes.function,
                modifier: FORMULA_FUNCTIONS.has(node.function) ? SemanticTokenModifiers.defaultLibrary : undefined
            });
        }
        for (const { reference } of AstUtils.streamReferences(node)) {
            const target = 'ref' in reference ? reference.ref : undefined;
            const targetType = target && declarationKind(target.$type)?.token;
            if (targetType && reference.$refNode) {
                acceptor({
                    cst: reference.$refNode,
                    type: targetType,
                    modifier: isBuiltin(target) ? SemanticTokenModifiers.defaultLibrary : undefined
                });
            }
        }
    }

    /**
     * Comments, keywords, strings, numbers, dates and periods anywhere; arithmetic and
     * comparison operators in formulas.
     */
    private highlightLiterals(root: AstNode, acceptor: SemanticTokenAcceptor): void {
        for (const leaf of CstUtils.flattenCst(root.$cstNode!)) {
            if (leaf.hidden) {
                if (COMMENT_TERMINALS.has(leaf.tokenType.name)) {
                    acceptor({ cst: leaf, type: SemanticTokenTypes.comment });
                }
                continue;
            }
            if (leaf.tokenType.name === 'STRING') {
                acceptor({ cst: leaf, type: SemanticTokenTypes.string });
            } else if (GrammarAST.isKeyword(leaf.grammarSource) && WORD.test(leaf.text) && !isNameKeyword(leaf.grammarSource)) {
                acceptor({ cst: leaf, type: SemanticTokenTypes.keyword });
            } else if (NUMBER_TERMINALS.has(leaf.tokenType.name)) {
                acceptor({ cst: leaf, type: SemanticTokenTypes.number });
            } else if (OPERATORS.has(leaf.text) && EXPRESSION_TYPES.has(leaf.astNode.$type)) {
                // Infix operators come from an assignment (`operator`), a unary minus from a keyword.
                acceptor({ cst: leaf, type: SemanticTokenTypes.operator });
            }
        }
    }
}
