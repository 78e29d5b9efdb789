import { AstUtils, CstUtils, type AstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver-types';
import { FORMULA_FUNCTIONS } from '../formulas/functions.js';
import { isFunctionCall, isKraFile } from '../generated/ast.js';
import type { KraServices } from '../kra-module.js';
import { isBuiltin, isNamed } from './lsp-utils.js';

/** The token type of each kind of declaration, for its name and for references to it. */
const DECLARATION_TYPES: Record<string, string> = {
    Organisation: SemanticTokenTypes.namespace,
    Objective: SemanticTokenTypes.event,
    Perspective: SemanticTokenTypes.enumMember,
    Unit: SemanticTokenTypes.type,
    Metric: SemanticTokenTypes.variable,
    Client: SemanticTokenTypes.interface,
    RatingScale: SemanticTokenTypes.enum,
    Department: SemanticTokenTypes.namespace,
    Role: SemanticTokenTypes.class,
    Kra: SemanticTokenTypes.struct,
    Kpi: SemanticTokenTypes.property,
    Variant: SemanticTokenTypes.property
};

const OPERATORS = new Set(['+', '-', '*', '/', '>', '>=', '<', '<=', '=', '!=']);
const EXPRESSION_TYPES = new Set(['BinaryExpression', 'NegatedExpression', 'Predicate']);
const NUMBER_TERMINALS = new Set(['NUMBER', 'DATE', 'PERIOD']);

/**
 * Semantic tokens for what the TextMate grammar cannot tell: numbers, dates and periods,
 * operators in formulas, formula functions, declarations by kind, and references by the kind
 * of what they resolve to (metric, KPI, role, unit...). Built-ins are `defaultLibrary`.
 */
export class KraSemanticTokenProvider extends AbstractSemanticTokenProvider {

    constructor(services: KraServices) {
        super(services);
    }

    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        if (isKraFile(node) && node.$cstNode) {
            this.highlightLiterals(node, acceptor);
        }
        const type = DECLARATION_TYPES[node.$type];
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
            const targetType = target && DECLARATION_TYPES[target.$type];
            if (targetType && reference.$refNode) {
                acceptor({
                    cst: reference.$refNode,
                    type: targetType,
                    modifier: isBuiltin(target) ? SemanticTokenModifiers.defaultLibrary : undefined
                });
            }
        }
    }

    /** Numbers, dates and periods anywhere; arithmetic and comparison operators in formulas. */
    private highlightLiterals(root: AstNode, acceptor: SemanticTokenAcceptor): void {
        for (const leaf of CstUtils.flattenCst(root.$cstNode!)) {
            if (leaf.hidden) {
                continue;
            }
            if (NUMBER_TERMINALS.has(leaf.tokenType.name)) {
                acceptor({ cst: leaf, type: SemanticTokenTypes.number });
            } else if (OPERATORS.has(leaf.text) && EXPRESSION_TYPES.has(leaf.astNode.$type)) {
                // Infix operators come from an assignment (`operator`), a unary minus from a keyword.
                acceptor({ cst: leaf, type: SemanticTokenTypes.operator });
            }
        }
    }
}
