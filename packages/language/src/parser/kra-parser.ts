/**
 * Langium's parser with a faster last step. After parsing, Langium links every AST node to its
 * container with `linkContentToContainer(root, { deep: true })`, which walks the tree through
 * `Object.entries` (an array of key-value arrays per node): a visible share of parsing a large
 * workspace in CPU profiles (docs/performance.md, "Figures behind design choices"), and garbage for
 * the collector. This parser does the same walk without allocating. It also notes the nodes
 * given a field twice (`fieldGivenTwice`, below). Everything else is Langium's;
 * test/kra-parser.test.ts checks that both parsers give the same trees, containers and errors.
 */
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import {
    createParser, LangiumParser,
    type AstNode, type CstNode, type LangiumCoreServices, type LexingReport, type ParseResult, type ParserOptions
} from 'langium';

/** The state of Langium's parser (4.4) that `parse` uses; Langium declares it private. */
interface ParserState {
    readonly nodeBuilder: { buildRootNode(input: string): unknown; addHiddenNodes(tokens: IToken[]): void };
    readonly lexer: { tokenize(text: string): { tokens: IToken[]; hidden: IToken[]; errors: ILexingError[]; report?: LexingReport } };
    lexerResult: unknown;
    readonly wrapper: { input: IToken[]; errors: IRecognitionException[]; LA(howMuch: number): IToken };
    readonly stack: unknown[];
    readonly allRules: Map<string, unknown>;
    readonly mainRule: unknown;
    readonly unorderedGroups: Map<string, boolean[]>;
    doParse(rule: unknown): AstNode;
}

export class KraParser extends LangiumParser {

    /** Langium's `LangiumParser.parse`, with `linkContainers` for `linkContentToContainer`. */
    override parse<T extends AstNode = AstNode>(input: string, options: ParserOptions = {}): ParseResult<T> {
        const state = this as unknown as ParserState;
        state.nodeBuilder.buildRootNode(input);
        const lexerResult = state.lexerResult = state.lexer.tokenize(input);
        state.wrapper.input = lexerResult.tokens;
        const ruleMethod = options.rule ? state.allRules.get(options.rule) : state.mainRule;
        if (!ruleMethod) {
            throw new Error(options.rule ? `No rule found with name '${options.rule}'` : 'No main rule available.');
        }
        let result: AstNode;
        try {
            result = state.doParse(ruleMethod);
        } catch {
            result = this.afterFailure(input, lexerResult.tokens);
        }
        state.nodeBuilder.addHiddenNodes(lexerResult.hidden);
        state.unorderedGroups.clear();
        state.lexerResult = undefined;
        linkContainers(result);
        return {
            value: result as T,
            lexerErrors: lexerResult.errors,
            lexerReport: lexerResult.report,
            parserErrors: state.wrapper.errors
        };
    }

    /**
     * Parsing never fails. Langium's error recovery can lose track of the tree it builds on
     * some broken input (seen with `formula if then over`: a failed condition followed by `over`) and
     * throw. Then the file counts as empty, with the syntax errors found so far and one more where
     * reading stopped, so that the user is told what to fix instead of seeing a crash. The
     * parser's state is reset, so the next document parses normally.
     */
    private afterFailure(input: string, tokens: readonly IToken[]): AstNode {
        const state = this as unknown as ParserState;
        state.stack.length = 0;
        const at = [state.wrapper.LA(1), ...[...tokens].reverse()].find(token => token && token.tokenType?.name !== 'EOF' && Number.isFinite(token.startOffset));
        const found = at ? ` at '${at.image.length > 40 ? `${at.image.slice(0, 40)}…` : at.image}'` : '';
        const stopped: IRecognitionException = {
            name: 'UnrecoverableSyntaxError',
            message: `kra could not read this file past a syntax error${found}, so nothing in it is checked yet. `
                + 'Fix the syntax error here or the first one reported above it (a formula, a bracket or a keyword left unfinished).',
            token: at ?? tokens[0] ?? { image: '', startOffset: 0, tokenType: { name: 'EOF' } } as IToken,
            resyncedTokens: [],
            context: { ruleStack: [], ruleOccurrenceStack: [] }
        };
        state.wrapper.errors = [...state.wrapper.errors, stopped];
        const cst = state.nodeBuilder.buildRootNode(input) as CstNode & { astNode: AstNode };
        const root = { $type: 'KraFile', imports: [], declarations: [], $cstNode: cst } as AstNode;
        cst.astNode = root;
        return root;
    }
}

/** AST nodes given a single-valued field more than once, noted as they are parsed. */
const givenTwice = new WeakSet<AstNode>();

/**
 * Whether the parser gave `node` a field that takes one value more than once (`name a name b`):
 * only the last value stays in the AST, so the rule structure/duplicate-field reads the syntax
 * tree, but only of the nodes noted here (every node it could report is one: a test checks it
 * over the corpus), so that it does not walk every node's tree, nor restore a released one
 * (workspace/syntax-trees.ts).
 */
export function fieldGivenTwice(node: AstNode): boolean {
    return givenTwice.has(node);
}

/** Langium's parser's own (private) assignments, which KraParser notes duplicates in. */
interface Assignments {
    readonly current: Record<string, unknown>;
    assign(operator: string, feature: string, value: unknown, cstNode: CstNode, crossRef: unknown): void;
    assignWithoutOverride(target: Record<string, unknown>, source: Record<string, unknown>): unknown;
}

const langiumAssignments = LangiumParser.prototype as unknown as Assignments;
Object.assign(KraParser.prototype as unknown as Assignments, {
    assign(this: Assignments, operator: string, feature: string, value: unknown, cstNode: CstNode, crossRef: unknown): void {
        const node = this.current;
        if (operator !== '+=' && node[feature] !== undefined) {
            givenTwice.add(node as unknown as AstNode);
        }
        langiumAssignments.assign.call(this, operator, feature, value, cstNode, crossRef);
    },
    // An unassigned rule call's node takes the fields of the node built so far that it lacks.
    assignWithoutOverride(this: Assignments, target: Record<string, unknown>, source: Record<string, unknown>): unknown {
        if (givenTwice.has(source as unknown as AstNode) || Object.keys(source).some(name =>
            !name.startsWith('$') && source[name] !== undefined && target[name] !== undefined && !Array.isArray(target[name]))) {
            givenTwice.add(target as unknown as AstNode);
        }
        return langiumAssignments.assignWithoutOverride.call(this, target, source);
    }
});

/**
 * Sets `$container`, `$containerProperty` and (in arrays) `$containerIndex` of every AST node
 * below `node`, in the order Langium's `linkContentToContainer(node, { deep: true })` does.
 */
export function linkContainers(node: AstNode): void {
    const record = node as unknown as Record<string, unknown>;
    // AST nodes are plain objects: `for in` visits the own keys Object.entries would, in order.
    for (const name in record) {
        if (name.charCodeAt(0) === 0x24 /* $ */) {
            continue;
        }
        const value = record[name];
        if (Array.isArray(value)) {
            for (let index = 0; index < value.length; index++) {
                const item: unknown = value[index];
                if (isNode(item)) {
                    item.$container = node;
                    item.$containerProperty = name;
                    item.$containerIndex = index;
                    linkContainers(item);
                }
            }
        } else if (isNode(value)) {
            value.$container = node;
            value.$containerProperty = name;
            linkContainers(value);
        }
    }
}

/** Langium's isAstNode. */
function isNode(value: unknown): value is { -readonly [K in keyof AstNode]: AstNode[K] } {
    return typeof value === 'object' && value !== null && typeof (value as AstNode).$type === 'string';
}

/** Langium's createLangiumParser, building a KraParser. */
export function createKraParser(services: LangiumCoreServices): LangiumParser {
    const parser = createParser(services.Grammar, new KraParser(services), services.parser.Lexer.definition);
    parser.finalize();
    return parser;
}
