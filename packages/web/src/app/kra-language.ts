/**
 * Highlighting for .kra text while the language server works: keywords, strings, numbers,
 * comments. The keywords are the grammar's, taken at build time from the TextMate grammar that
 * `langium generate` writes (esbuild.mjs), so this list is never kept by hand.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';

declare const __KRA_KEYWORDS__: readonly string[];

const KEYWORDS = new Set(__KRA_KEYWORDS__);

interface State {
    inBlockComment: boolean;
}

export const kraLanguage = StreamLanguage.define<State>({
    name: 'kra',
    startState: () => ({ inBlockComment: false }),
    token(stream: StringStream, state: State): string | null {
        if (state.inBlockComment) {
            if (stream.skipTo('*/')) {
                stream.pos += 2;
                state.inBlockComment = false;
            } else {
                stream.skipToEnd();
            }
            return 'comment';
        }
        if (stream.eatSpace()) {
            return null;
        }
        if (stream.match('//')) {
            stream.skipToEnd();
            return 'comment';
        }
        if (stream.match('/*')) {
            state.inBlockComment = true;
            return 'comment';
        }
        if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) {
            return 'string';
        }
        if (stream.match(/^\d{4}-\d{2}(?:-\d{2})?\b/) || stream.match(/^\d{4}-[QH]\d\b/)) {
            return 'number';
        }
        if (stream.match(/^\d+(?:\.\d+)?%?/)) {
            return 'number';
        }
        const word = stream.match(/^[A-Za-z_][\w-]*/) as RegExpMatchArray | null;
        if (word) {
            return KEYWORDS.has(word[0]) ? 'keyword' : 'variableName';
        }
        stream.next();
        return null;
    },
    languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } }
});
