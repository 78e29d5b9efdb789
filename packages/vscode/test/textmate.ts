/**
 * Loads the extension's TextMate grammars with vscode-textmate and vscode-oniguruma, the
 * engine VS Code itself uses, so that the tests tokenize exactly as the editor does.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const GRAMMAR_PATH = fileURLToPath(new URL('../syntaxes/kra.tmLanguage.json', import.meta.url));
export const MARKDOWN_GRAMMAR_PATH = fileURLToPath(new URL('../syntaxes/kra.markdown.tmLanguage.json', import.meta.url));

let onigLoaded: Promise<void> | undefined;

export function loadOniguruma(): Promise<void> {
    onigLoaded ??= (async () => {
        const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
        await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    })();
    return onigLoaded;
}

/** Compiles one Oniguruma pattern; throws with Oniguruma's message when it does not compile. */
export function compileOniguruma(pattern: string): void {
    const scanner = new oniguruma.OnigScanner([pattern]);
    scanner.dispose();
}

export interface Token {
    readonly text: string;
    readonly scopes: readonly string[];
}

export interface Tokenizer {
    /** Tokenizes lines in order (state carries over), returning each line's tokens. */
    tokenize(text: string): Token[][];
}

export async function loadGrammar(): Promise<Tokenizer> {
    await loadOniguruma();
    const registry = new textmate.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
            createOnigString: (text: string) => new oniguruma.OnigString(text)
        }),
        loadGrammar: async scopeName => (scopeName === 'source.kra'
            ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH)
            : null)
    });
    const grammar = await registry.loadGrammar('source.kra');
    if (!grammar) {
        throw new Error('source.kra did not load');
    }
    return {
        tokenize(text: string): Token[][] {
            let state = textmate.INITIAL;
            return text.split('\n').map(line => {
                const result = grammar.tokenizeLine(line, state);
                state = result.ruleStack;
                return result.tokens.map(token => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
            });
        }
    };
}

/** Every regular expression (match, begin, end, while) in a grammar, with where it is. */
export function grammarRegexes(grammar: unknown, where = '$'): Array<{ where: string; pattern: string }> {
    const found: Array<{ where: string; pattern: string }> = [];
    if (Array.isArray(grammar)) {
        grammar.forEach((item, index) => found.push(...grammarRegexes(item, `${where}[${index}]`)));
    } else if (grammar && typeof grammar === 'object') {
        for (const [key, value] of Object.entries(grammar)) {
            if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') {
                found.push({ where: `${where}.${key}`, pattern: value });
            } else {
                found.push(...grammarRegexes(value, `${where}.${key}`));
            }
        }
    }
    return found;
}
