import { DefaultValueConverter, type CstNode, type GrammarAST, type ValueType } from 'langium';

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };

/**
 * Converts STRING tokens with one slice instead of Langium's character-by-character loop, which
 * builds every description, title and source as a chain of concatenated strings: slower to
 * parse, and several times the memory of the text itself in a large workspace. Same result:
 * the quotes are dropped and `\x` escapes are decoded as Langium decodes them.
 */
export class KraValueConverter extends DefaultValueConverter {

    protected override runConverter(rule: GrammarAST.AbstractRule, input: string, cstNode: CstNode): ValueType {
        if (rule.name === 'STRING') {
            return convertString(input);
        }
        // A quoted column name ("Talk Time (s)") is the name without its quotes.
        if (rule.name === 'ColumnName' && input.startsWith('"')) {
            return convertString(input);
        }
        return super.runConverter(rule, input, cstNode);
    }
}

export function convertString(input: string): string {
    const inner = input.slice(1, -1);
    return inner.includes('\\') ? inner.replace(/\\(.)/gs, (_, escaped: string) => ESCAPES[escaped] ?? escaped) : inner;
}
