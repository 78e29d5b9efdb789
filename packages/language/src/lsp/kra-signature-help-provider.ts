import type { LangiumDocument, Lexer } from 'langium';
import type { SignatureHelpProvider } from 'langium/lsp';
import type { ParameterInformation, SignatureHelp } from 'vscode-languageserver-types';
import { FORMULA_FUNCTIONS, type FormulaFunction } from '@kra-lang/semantics';
import type { KraServices } from './kra-lsp-module.js';

type SignatureHelpParams = Parameters<SignatureHelpProvider['provideSignatureHelp']>[1];
type SignatureHelpOptions = SignatureHelpProvider['signatureHelpOptions'];

/** Keywords that may appear inside a formula; any other word ends it. */
const FORMULA_KEYWORDS = new Set([
    'if', 'then', 'else', 'over', 'rolling', 'days', 'weeks', 'months', 'month', 'quarter', 'year',
    'to', 'date', 'previous', 'period', 'same', 'last'
]);

interface OpenCall {
    readonly name: string | undefined;
    commas: number;
}

/**
 * Signature help for formula functions, triggered by `(` and `,`. It reads the tokens before the
 * cursor rather than the syntax tree, so it works while the call is still half-typed
 * (`safe_ratio(calls_answered, |`), which the parser cannot make a FunctionCall of yet.
 */
export class KraSignatureHelpProvider implements SignatureHelpProvider {

    private readonly lexer: Lexer;

    constructor(services: KraServices) {
        this.lexer = services.parser.Lexer;
    }

    get signatureHelpOptions(): SignatureHelpOptions {
        return { triggerCharacters: ['('], retriggerCharacters: [','] };
    }

    provideSignatureHelp(document: LangiumDocument, params: SignatureHelpParams): SignatureHelp | undefined {
        const offset = document.textDocument.offsetAt(params.position);
        const call = this.openCallAt(document.textDocument.getText().substring(0, offset));
        const fn = call?.name !== undefined ? FORMULA_FUNCTIONS.get(call.name) : undefined;
        if (!call || !fn) {
            return undefined;
        }
        return {
            signatures: [{
                label: fn.signature,
                documentation: { kind: 'markdown', value: fn.description },
                parameters: parameterLabels(fn)
            }],
            activeSignature: 0,
            activeParameter: Math.min(call.commas, fn.parameters.length - 1)
        };
    }

    /** The innermost function call left open by `text`, with the commas typed in it so far. */
    private openCallAt(text: string): OpenCall | undefined {
        const stack: OpenCall[] = [];
        let previous: { image: string; type: string } | undefined;
        for (const token of this.lexer.tokenize(text).tokens) {
            const image = token.image;
            const type = token.tokenType.name;
            if (image === '(') {
                stack.push({ name: previous?.type === 'ID' ? previous.image : undefined, commas: 0 });
            } else if (image === ')') {
                stack.pop();
            } else if (image === ',') {
                if (stack.length > 0) {
                    stack[stack.length - 1].commas++;
                }
            } else if (image === '{' || image === '}' || (type !== 'ID' && /^[a-z-]+$/.test(image) && !FORMULA_KEYWORDS.has(image))) {
                stack.length = 0; // a new field or block: any call left open before it is abandoned
            }
            previous = { image, type };
        }
        // Inside parentheses of a plain group, e.g. `safe_ratio((a + b|`, the call outside counts.
        for (let index = stack.length - 1; index >= 0; index--) {
            if (stack[index].name !== undefined) {
                return stack[index];
            }
        }
        return undefined;
    }
}

/** Each parameter as [start, end] offsets into the signature, so repeated names cannot confuse. */
function parameterLabels(fn: FormulaFunction): ParameterInformation[] {
    const parameters: ParameterInformation[] = [];
    let position = fn.name.length + 1;
    for (const parameter of fn.parameters) {
        parameters.push({ label: [position, position + parameter.length] });
        position += parameter.length + 2;
    }
    return parameters;
}
