/**
 * The one sanitiser of `kra`'s human-readable output. Text from the workspace, the data and the
 * file system (titles, descriptions, cells, member names, file names) may carry characters that
 * drive a terminal or a CI log rather than show: ESC starts escape sequences that recolour, hide,
 * retitle or rewrite the screen; BEL rings; CR and the line separators overwrite or forge lines;
 * the bidirectional controls (U+202E and its kin) show text in another order than it is read.
 * Each such character is shown as its code, `\u001B`, so that a reader sees it is there.
 *
 * The code is written as a JSON string escape: JSON output (`--format json`, SARIF, GitLab) holds
 * none of these characters raw, and where the stream check below meets one inside a JSON string,
 * the escape it writes means the same character to a JSON reader.
 */

const CONTROLS = '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F';
const SEPARATORS_AND_BIDI = '\\u2028\\u2029\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';

/** In a value: every control character, tab and line feed included (a value is one line). */
const UNSAFE_IN_VALUE = new RegExp(`[\\t\\n${CONTROLS}${SEPARATORS_AND_BIDI}]`, 'g');
/** In a whole output: the same, but for the tabs, line feeds (and CRLF) the output is laid out with. */
const UNSAFE_IN_OUTPUT = new RegExp(`[${CONTROLS}${SEPARATORS_AND_BIDI}]`, 'g');
/** The colour codes `kra` itself writes (SGR: `ESC [ … m`), kept when colour is on. */
// eslint-disable-next-line no-control-regex
const OWN_COLOUR = /\u001B\[[0-9;]*m/y;

function code(character: string): string {
    return `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A value from a file, shown on one line: each unsafe character as its code. */
export function printable(text: string): string {
    return text.replace(UNSAFE_IN_VALUE, code);
}

/**
 * A line of a source file in a code frame: each unsafe character as U+FFFD, one column, so that
 * the frame's marker stays under the problem.
 */
export function printableColumns(text: string): string {
    return text.replace(UNSAFE_IN_VALUE, '\uFFFD');
}

/**
 * A whole output as it goes to standard output or standard error: the last guard, for a value a
 * renderer did not pass through `printable`. With `colour` on, `kra`'s own colour codes pass.
 */
export function printableOutput(text: string, colour: boolean): string {
    return text.replace(UNSAFE_IN_OUTPUT, (character, offset: number) => {
        if (character === '\r' && text[offset + 1] === '\n') {
            return character; // a CRLF line end (CSV's)
        }
        if (colour && character === '\u001B') {
            OWN_COLOUR.lastIndex = offset;
            if (OWN_COLOUR.test(text)) {
                return character;
            }
        }
        return code(character);
    });
}

/**
 * A model, a result or a diff with every text in it passed through `printable`, for a renderer
 * that colours: once coloured, a value's escape sequences could not be told from kra's own.
 */
export function printableDeep<T>(value: T): T {
    if (typeof value === 'string') {
        return printable(value) as T;
    }
    if (Array.isArray(value)) {
        return value.map(printableDeep) as T;
    }
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, printableDeep(item)])) as T;
    }
    return value;
}
