import { defaultParserErrorProvider, type ILexerErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { DefaultLexerErrorMessageProvider, LangiumParserErrorMessageProvider } from 'langium';
import { TOP_LEVEL_DECLARATIONS } from '../kinds.js';

const TERMINAL_LABELS: Record<string, string> = {
    ID: 'a name',
    STRING: 'a text in double quotes',
    NUMBER: 'a number',
    DATE: 'a date (YYYY-MM-DD)',
    PERIOD: 'a period (2026-Q3, 2026-H1, 2026-07 or FY2026)',
    EOF: 'the end of the file'
};

/** Rule names as users know the constructs. */
const CONSTRUCT_LABELS: Record<string, string> = {
    KraFile: 'the file', Import: 'an import', Organisation: 'the organisation', Objective: 'an objective',
    Perspective: 'a perspective', Unit: 'a unit', Metric: 'a metric', Client: 'a client',
    RatingScale: 'a rating scale', RatingLevel: 'a rating level', Department: 'a department', Role: 'a role',
    CarriedKra: "a role's 'carries' line", Kra: 'a KRA', MeasuredBy: "a KRA's 'measured by' line", Kpi: 'a KPI',
    Variant: 'a variant', Owner: 'an owner', Baseline: 'a baseline', Target: 'a target', TargetStage: 'a target stage',
    Change: 'a change target', Timing: "a target's timing", Threshold: 'a threshold', Comparison: 'a comparison',
    Band: 'a band', Quantity: 'a quantity', Expression: 'a formula', BinaryExpression: 'a formula',
    Windowed: 'a formula', Primary: 'a formula', Predicate: 'a condition', Window: 'a time window'
};

/** Langium names keyword tokens by the keyword itself. */
const TOP_LEVEL = `a declaration (${TOP_LEVEL_DECLARATIONS.join(', ')}); imports come first in a file`;

/** A keyword token: Langium names keyword tokens by the keyword itself, terminals in capitals. */
function isKeyword(token: IToken): boolean {
    const name = token.tokenType?.name ?? '';
    return !(name in TERMINAL_LABELS) && name !== 'WS' && !name.endsWith('COMMENT');
}

/** A keyword that reads as a word (not a symbol such as '{'), which a user may mean as a name. */
function isWord(token: IToken): boolean {
    return isKeyword(token) && /^[a-z]/i.test(token.image);
}

function reservedWord(token: IToken, ruleName: string): string {
    return `'${token.image}' is a reserved word and cannot be used as a name${where(ruleName)}. Choose another name, e.g. '${token.image}_x' or a more specific one (the reserved words: docs/language.md, section 28).`;
}

/** Where a name could stand but a reserved word does: that, in one message, instead of a list. */
function expectsName(paths: TokenType[][]): boolean {
    return paths.some(path => path[0]?.name === 'ID');
}

/** Whether every alternative starts with a name or a word (`missing` and `zero` are names too). */
function onlyNames(paths: TokenType[][]): boolean {
    return paths.every(path => path.length === 0 || path[0].name === 'ID' || /^[a-z]/i.test(path[0].name));
}

function tokenLabel(type: TokenType): string {
    return TERMINAL_LABELS[type.name] ?? `'${type.name}'`;
}

function found(token: IToken): string {
    return token.tokenType?.name === 'EOF' ? 'the end of the file' : `'${token.image}'`;
}

function where(ruleName: string): string {
    // Langium marks rule names with a zero-width space.
    const label = CONSTRUCT_LABELS[ruleName.replace(/\u200B/g, '')];
    return label ? ` in ${label}` : '';
}

function unexpected(token: IToken, ruleName: string, expected: string): string {
    if (token.tokenType?.name === 'EOF') {
        return `The file ends too early${where(ruleName)}: expected ${expected}. Is a '}' or a value missing?`;
    }
    return `Unexpected ${found(token)}${where(ruleName)}: expected ${expected}.`;
}

function listExpected(paths: TokenType[][]): string {
    const labels = [...new Set(paths.filter(path => path.length > 0).map(path => tokenLabel(path[0])))];
    if (labels.length === 0) {
        return 'something else';
    }
    const shown = labels.slice(0, 10);
    const more = labels.length > shown.length ? `, … (${labels.length - shown.length} more)` : '';
    return shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}${more}`;
}

/** Parser messages that say what was expected in words, not token type names. */
export class KraParserErrorMessageProvider extends LangiumParserErrorMessageProvider {

    override buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        const actual = options.actual;
        if (options.expected.name === 'EOF') {
            return `Unexpected ${found(actual)}: expected ${TOP_LEVEL}. Check for a missing '{' or an extra '}' above.`;
        }
        if (actual.tokenType?.name === 'EOF') {
            return `The file ends too early${where(options.ruleName)}: expected ${tokenLabel(options.expected)}. Is a '}' missing?`;
        }
        if (options.expected.name === 'ID' && isWord(actual)) {
            return reservedWord(actual, options.ruleName);
        }
        return `Expected ${tokenLabel(options.expected)}${where(options.ruleName)} but found ${found(actual)}.`;
    }

    override buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
        return `Unexpected ${found(options.firstRedundant)}: expected ${TOP_LEVEL}. Check for a missing '{' or an extra '}' above.`;
    }

    override buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken; customUserDescription: string; ruleName: string }): string {
        if (options.actual.length === 0) {
            return defaultParserErrorProvider.buildNoViableAltMessage(options);
        }
        const paths = options.expectedPathsPerAlt.flat();
        const actual = options.actual[0];
        if (isWord(actual) && expectsName(paths)) {
            // Where only a name fits (a declaration's), say just that; where a formula could
            // start, the word may be a misplaced keyword as well: both, in one message.
            return onlyNames(paths)
                ? reservedWord(actual, options.ruleName)
                : `${unexpected(actual, options.ruleName, listExpected(paths)).slice(0, -1)} ('${actual.image}' is a reserved word, so it cannot be a name either).`;
        }
        return unexpected(actual, options.ruleName, listExpected(paths));
    }

    override buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken; customUserDescription: string; ruleName: string }): string {
        if (options.actual.length === 0) {
            return defaultParserErrorProvider.buildEarlyExitMessage(options);
        }
        return unexpected(options.actual[0], options.ruleName, listExpected(options.expectedIterationPaths));
    }
}

/** Lexer messages that show the character and say what to do. */
export class KraLexerErrorMessageProvider extends DefaultLexerErrorMessageProvider implements ILexerErrorMessageProvider {

    override buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
        const text = fullText.substring(startOffset, startOffset + length);
        if (text.startsWith('"')) {
            return 'Unterminated text: a text that starts with " must end with " on the same line.';
        }
        if (text.includes('\uFFFD')) {
            return 'This is not valid UTF-8 text: bytes here could not be read as characters (shown as U+FFFD). Save the file as UTF-8; kra reads .kra files as UTF-8.';
        }
        if (/[\u201C\u201D\u2018\u2019]/.test(text)) {
            return 'Curly quotes are not text quotes: write text between straight double quotes, "like this". Word processors put curly ones in.';
        }
        const shown = [...text].slice(0, 20).map(ch => /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? ch : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join('');
        return `Unexpected character${length > 1 ? 's' : ''} '${shown}'. Names use letters, digits and '_'; text goes in double quotes; fields need no ';' or ':'.`;
    }
}
