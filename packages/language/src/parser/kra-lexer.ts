/**
 * The lexer of KRA Lang, hardened for untrusted input (docs/security.md): .kra files arrive in
 * pull requests, and `kra check` runs on them in CI. Every limit below keeps the parser, the
 * linker, the rules, the compiler and the evaluator (all of which walk formulas recursively)
 * within a bounded stack, time and memory, and says so in a diagnostic instead of crashing.
 */
import type { ILexingError, IToken, TokenType } from 'chevrotain';
import {
    DefaultLexer, DefaultTokenBuilder, GrammarAST, RegExpUtils,
    type LangiumCoreServices, type LexerResult, type TokenizeOptions
} from 'langium';

export const SOURCE_LIMITS = {
    /** Characters (UTF-16 code units) in one .kra file. */
    maxLength: 2_000_000,
    /** Unexpected characters reported per file before the rest are summarised. */
    maxLexerErrors: 100,
    /** Parentheses, function calls, `if`s and unary minuses open at once in one formula. */
    maxFormulaNesting: 50,
    /** Binary operators (+ - * /) in one formula. */
    maxFormulaOperators: 150,
    /** A file whose first this many characters hold more than maxLexerErrors problems is not read further. */
    probeLength: 64 * 1024
} as const;

/** A lexer problem about a limit (size, nesting, a number's range) rather than a character. */
export interface LimitError extends ILexingError {
    /**
     * When tokens were dropped (the rest of a formula), the offset of the first token read again
     * after them, or 'EOF': the parser's complaints there are a consequence, already reported.
     */
    readonly resumeOffset: number | 'EOF' | undefined;
    /**
     * For a formula cut short, where it starts: what the parser and the linker make of the part
     * kept (a call never closed, a function name read as a metric) is a consequence too.
     */
    readonly formulaOffset?: number;
    /** Marks diagnostics about a limit, rather than about a character. */
    readonly limit: true;
}

export function isLimitError(error: ILexingError): error is LimitError {
    return (error as Partial<LimitError>).limit === true;
}

/** Tokens that may appear in a formula; any other token ends one. */
const EXPRESSION_TOKENS = new Set([
    'ID', 'NUMBER', '(', ')', ',', '.', '+', '-', '*', '/', '%', '>', '>=', '<', '<=', '=', '!=',
    'if', 'then', 'else', 'over', 'rolling', 'days', 'weeks', 'months', 'month', 'quarter', 'year',
    'to', 'date', 'previous', 'period', 'same', 'last'
]);

/** Tokens after which a `-` is a binary minus (they end an operand); after any other, a `-` is a sign. */
const OPERAND_ENDS = new Set(['ID', 'NUMBER', ')', '%', 'days', 'weeks', 'months', 'date', 'period', 'year']);

/**
 * Matches STRING (`"[^"\\\r\n]*(\\.[^"\\\r\n]*)*"`) in linear time overall. The regular
 * expression alone is linear per attempt, but after a failed attempt the lexer retries at every
 * later `"` of the same line, so `"\"\"\"…` without a closing quote took quadratic time
 * (docs/performance.md, "Figures behind design choices"). A failure from offset q that stops
 * at offset e means every `"` between q and e also fails (each was an escaped character of q's
 * attempt, after which both attempts read the same characters the same way), so those attempts
 * are skipped.
 */
export class StringMatcher {
    private failedText: string | undefined;
    private failedFrom = -1;
    private failedTo = -1;

    reset(): void {
        this.failedText = undefined;
        this.failedFrom = -1;
        this.failedTo = -1;
    }

    readonly exec = (text: string, offset: number): [string] | null => {
        if (text.charCodeAt(offset) !== 0x22) {
            return null;
        }
        if (offset > this.failedFrom && offset < this.failedTo && text === this.failedText) {
            return null;
        }
        let i = offset + 1;
        while (i < text.length) {
            const c = text.charCodeAt(i);
            if (c === 0x22) {
                return [text.substring(offset, i + 1)];
            }
            if (c === 0x0A || c === 0x0D) {
                break;
            }
            if (c === 0x5C) {
                // `\.`: any character but a line terminator (JavaScript's `.`).
                const next = text.charCodeAt(i + 1);
                if (i + 1 >= text.length || next === 0x0A || next === 0x0D || next === 0x2028 || next === 0x2029) {
                    break;
                }
                i += 2;
                continue;
            }
            i++;
        }
        this.failedText = text;
        this.failedFrom = offset;
        this.failedTo = i;
        return null;
    };
}

/** Langium's token builder, with a linear-time matcher for STRING. */
export class KraTokenBuilder extends DefaultTokenBuilder {
    readonly stringMatcher = new StringMatcher();

    /** Per terminal token, the partial regular expression of its pattern (see findLongerAlt). */
    private readonly partialPatterns = new Map<TokenType, RegExp>();

    protected override buildTerminalToken(terminal: GrammarAST.TerminalRule): TokenType {
        const token = super.buildTerminalToken(terminal);
        if (terminal.name === 'STRING') {
            token.PATTERN = { exec: this.stringMatcher.exec };
            token.START_CHARS_HINT = ['"'];
            token.LINE_BREAKS = false;
        }
        return token;
    }

    /**
     * Langium's test of which terminals a keyword could be the start of (`kpi` of an ID), with
     * each terminal's partial regular expression made once instead of once per keyword: about
     * 15 ms of every start-up (docs/performance.md).
     */
    protected override findLongerAlt(keyword: GrammarAST.Keyword, terminalTokens: TokenType[]): TokenType[] {
        return terminalTokens.filter(token => {
            const source = (token.PATTERN as Partial<RegExp> | undefined)?.source;
            if (!source) {
                return false;
            }
            let partial = this.partialPatterns.get(token);
            if (!partial) {
                partial = RegExpUtils.partialRegExp(`^${source}$`);
                this.partialPatterns.set(token, partial);
            }
            const match = partial.exec(keyword.value);
            return match !== null && match[0].length > 0;
        });
    }
}

/**
 * Langium's lexer with limits: a file with a NUL character is not text; a file over
 * SOURCE_LIMITS.maxLength is not read; past SOURCE_LIMITS.maxLexerErrors unexpected characters
 * the rest are summarised; and a formula deeper or longer than the formula limits is read up to
 * the limit, the rest of it skipped with one diagnostic.
 */
export class KraLexer extends DefaultLexer {

    constructor(services: LangiumCoreServices) {
        super(services);
    }

    override tokenize(text: string, options?: TokenizeOptions): LexerResult {
        const matcher = (this.tokenBuilder as Partial<KraTokenBuilder>).stringMatcher;
        matcher?.reset();
        try {
            return this.tokenizeWithLimits(text, options);
        } finally {
            matcher?.reset();
        }
    }

    private tokenizeWithLimits(text: string, options?: TokenizeOptions): LexerResult {
        if (text.length > SOURCE_LIMITS.maxLength) {
            return refused([limitError(text, 0, 0,
                `This file is too large to check: it has more than ${SOURCE_LIMITS.maxLength.toLocaleString('en')} characters. `
                + 'Split it into several .kra files (a file per department or role reads best) and import what each needs.', undefined)]);
        }
        const nul = text.indexOf('\u0000');
        if (nul >= 0) {
            const { line, column } = positionOf(text, nul);
            return refused([{
                offset: nul, line, column, length: 1,
                message: `This is not a text file: it contains a NUL character (line ${line}, column ${column}). `
                    + 'A .kra file is UTF-8 text; was a binary file saved or renamed with the .kra extension?'
            }]);
        }
        if (text.length > SOURCE_LIMITS.probeLength) {
            // A long file of binary data or the wrong encoding: lexing it all, character by
            // character through every token pattern, would take long for nothing.
            const probe = super.tokenize(text.substring(0, SOURCE_LIMITS.probeLength), options);
            if (probe.errors.length > SOURCE_LIMITS.maxLexerErrors) {
                return refused([...probe.errors.slice(0, SOURCE_LIMITS.maxLexerErrors), summary(text, probe.errors[SOURCE_LIMITS.maxLexerErrors], undefined)]);
            }
        }
        const result = super.tokenize(text, options);
        if (result.errors.length > SOURCE_LIMITS.maxLexerErrors) {
            const rest = result.errors.length - SOURCE_LIMITS.maxLexerErrors;
            result.errors = [...result.errors.slice(0, SOURCE_LIMITS.maxLexerErrors), summary(text, result.errors[SOURCE_LIMITS.maxLexerErrors], rest)];
        }
        const replacement = uncoveredReplacement(text, result.errors);
        if (replacement >= 0) {
            // Inside a text or a comment: the lexer accepts it, but it is the mark of a file that was not UTF-8.
            const { line, column } = positionOf(text, replacement);
            result.errors.push({
                offset: replacement, line, column, length: 1,
                message: 'This is not valid UTF-8 text: U+FFFD (\uFFFD) stands where bytes could not be read as characters. '
                    + 'Save the file as UTF-8 and retype the damaged characters; kra reads .kra files as UTF-8.'
            });
        }
        for (const token of result.tokens) {
            // Digits beyond a double's range read as Infinity: nothing can be computed with it.
            if (token.image.length > 300 && token.tokenType.name === 'NUMBER' && !Number.isFinite(Number(token.image))) {
                const error: LimitError = {
                    offset: token.startOffset, line: token.startLine, column: token.startColumn, length: token.image.length, limit: true, resumeOffset: undefined,
                    message: `This number is too large to compute with: it has ${token.image.split('.')[0].length.toLocaleString('en')} digits, and numbers stop at about 1.8 × 10^308. Check for digits pasted twice.`
                };
                result.errors.push(error);
            }
        }
        const limited = limitFormulas(result.tokens);
        if (limited.errors.length > 0) {
            result.tokens = limited.tokens;
            result.errors = [...result.errors, ...limited.errors].sort((a, b) => a.offset - b.offset);
        }
        return result;
    }
}

/** The first U+FFFD that no lexer error covers (one in a text or a comment), or -1. */
function uncoveredReplacement(text: string, errors: readonly ILexingError[]): number {
    const spans = [...errors].sort((a, b) => a.offset - b.offset);
    let span = 0;
    for (let at = text.indexOf('\uFFFD'); at >= 0; at = text.indexOf('\uFFFD', at + 1)) {
        while (span < spans.length && spans[span].offset + spans[span].length <= at) {
            span++;
        }
        if (span >= spans.length || spans[span].offset > at) {
            return at;
        }
        // Covered: go on after this error.
        at = spans[span].offset + spans[span].length - 1;
    }
    return -1;
}

function refused(errors: ILexingError[]): LexerResult {
    return { tokens: [], hidden: [], errors };
}

function summary(text: string, first: ILexingError, rest: number | undefined): ILexingError {
    const count = rest === undefined ? 'Many more' : `${rest.toLocaleString('en')} more`;
    return {
        offset: first.offset,
        line: first.line,
        column: first.column,
        length: Math.min(first.length, lineEnd(text, first.offset) - first.offset),
        message: `${count} unexpected characters follow${rest === undefined ? '; the file was not read further' : ''}. `
            + 'Is this a KRA Lang text file, saved as UTF-8?'
    };
}

/** 1-based line and column (UTF-16 code units) of an offset, counting \r\n, \r and \n as line ends. */
function positionOf(text: string, offset: number): { line: number; column: number } {
    let line = 1;
    let start = 0;
    for (let i = 0; i < offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0A || (c === 0x0D && text.charCodeAt(i + 1) !== 0x0A)) {
            line++;
            start = i + 1;
        }
    }
    return { line, column: offset - start + 1 };
}

function lineEnd(text: string, offset: number): number {
    let i = offset;
    while (i < text.length && text.charCodeAt(i) !== 0x0A && text.charCodeAt(i) !== 0x0D) {
        i++;
    }
    return i;
}

function limitError(text: string, offset: number, length: number, message: string, resumeOffset: LimitError['resumeOffset']): LimitError {
    const { line, column } = positionOf(text, offset);
    return { offset, line, column, length: Math.min(length, lineEnd(text, offset) - offset), message, resumeOffset, limit: true };
}

function tokenError(token: IToken, message: string, resume: IToken | undefined, formula: IToken): LimitError {
    return {
        offset: token.startOffset,
        line: token.startLine,
        column: token.startColumn,
        length: token.image.length,
        message,
        resumeOffset: resume?.startOffset ?? 'EOF',
        formulaOffset: formula.startOffset,
        limit: true
    };
}

/**
 * Reads formulas up to the nesting and operator limits. A formula is a run of tokens that may
 * appear in one; nesting counts the open parentheses (reset only at `{` and `}`, since error
 * recovery may carry the parser across other tokens) and the `if`s and signs of the current run
 * at each open parenthesis. The tokens from the one over a limit to the end of the run are
 * dropped, with one error.
 */
function limitFormulas(tokens: IToken[]): { tokens: IToken[]; errors: LimitError[] } {
    const errors: LimitError[] = [];
    let kept: IToken[] | undefined;
    /** The `if`s and signs of the current run at each open parenthesis (and outside them). */
    let prefixes: number[] = [0];
    let nesting = 0;
    let operators = 0;
    let previous: string | undefined;
    /** The first token of the current run of formula tokens. */
    let runStart: IToken | undefined;
    for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        const name = token.tokenType.name;
        if (!EXPRESSION_TOKENS.has(name)) {
            runStart = undefined;
            if (name === '{' || name === '}') {
                prefixes = [0];
                nesting = 0;
            } else {
                nesting -= prefixes.reduce((sum, count) => sum + count, 0);
                prefixes = prefixes.map(() => 0);
            }
            operators = 0;
            previous = undefined;
            kept?.push(token);
            continue;
        }
        runStart ??= token;
        let effect: 'open' | 'prefix' | 'operator' | undefined;
        switch (name) {
            case '(':
                effect = 'open';
                break;
            case ')':
                if (prefixes.length > 1) {
                    nesting -= 1 + prefixes.pop()!;
                }
                break;
            case 'if':
                effect = 'prefix';
                break;
            case '-':
            case '+':
                if (previous !== undefined && OPERAND_ENDS.has(previous)) {
                    effect = 'operator';
                } else if (name === '-') {
                    effect = 'prefix';
                }
                break;
            case '*':
            case '/':
                effect = 'operator';
                break;
        }
        if (effect === 'open') {
            prefixes.push(0);
            nesting++;
        } else if (effect === 'prefix') {
            prefixes[prefixes.length - 1]++;
            nesting++;
        } else if (effect === 'operator') {
            operators++;
        }
        previous = name;
        const overNesting = nesting > SOURCE_LIMITS.maxFormulaNesting;
        if (overNesting || operators > SOURCE_LIMITS.maxFormulaOperators) {
            let end = i;
            while (end < tokens.length && EXPRESSION_TOKENS.has(tokens[end].tokenType.name)) {
                end++;
            }
            errors.push(tokenError(token, overNesting
                ? `This formula is nested too deeply: more than ${SOURCE_LIMITS.maxFormulaNesting} parentheses, function calls, 'if's and minus signs open at once. `
                    + 'The rest of the formula is not read. Simplify it, or split it into KPIs that use each other.'
                : `This formula is too long: more than ${SOURCE_LIMITS.maxFormulaOperators} operators (+ - * /). `
                    + 'The rest of the formula is not read. Split it into KPIs that use each other, or sum a metric instead of listing its parts.',
            tokens[end], runStart));
            kept ??= tokens.slice(0, i);
            // Reading resumes after the formula, as if it had ended before this token.
            if (effect === 'open') {
                prefixes.pop();
                nesting--;
            } else if (effect === 'prefix') {
                prefixes[prefixes.length - 1]--;
                nesting--;
            }
            i = end - 1;
            nesting -= prefixes.reduce((sum, count) => sum + count, 0);
            prefixes = prefixes.map(() => 0);
            operators = 0;
            previous = undefined;
            runStart = undefined;
            continue;
        }
        kept?.push(token);
    }
    return { tokens: kept ?? tokens, errors };
}
