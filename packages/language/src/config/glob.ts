/**
 * The globs of `overrides.files` in kra.config.yaml, matched in time linear in the path.
 *
 * picomatch (used before) compiles a glob to a backtracking regular expression: a config with
 * `*a*a*a*a*a*aX*` took minutes to match one long file name and froze `kra` and the language
 * server. Here a glob becomes a small automaton (one state per character of the glob) and a path
 * is matched by following every state at once (Thompson's construction), so a match costs at
 * most the path's length times the glob's, whatever the glob.
 *
 * The syntax is the one docs/configuration.md describes: `/` separates folders; `*` is any run
 * of characters within a folder or file name; `**` as a whole segment is any number of folders
 * (`legacy/**` is everything below `legacy`, `**\/draft-*.kra` drafts in any folder); `?` is one
 * character; `[abc]`, `[a-z]` and `[!abc]` are one character of (or not of) a set; `{a,b}` is
 * either alternative; `\` takes the next character as it is. Names starting with a dot are
 * matched like any other. A glob that cannot be matched in bounded time is refused up front.
 */

/** The longest glob accepted: far longer than any real one, short enough to match fast. */
export const MAX_GLOB_LENGTH = 1000;
/** The most alternatives `{a,b}` may expand to, in all, in one glob. */
export const MAX_GLOB_ALTERNATIVES = 64;

export type GlobMatcher = (path: string) => boolean;

export type CompiledGlob =
    | { readonly ok: true; readonly match: GlobMatcher }
    | { readonly ok: false; readonly reason: string };

/** Whether a pattern has a wildcard (`*`, `?`, `[`, `{`) that is not escaped. */
export function isGlob(pattern: string): boolean {
    return /(^|[^\\])[*?[{]/.test(pattern);
}

/** The folders of a glob before its first segment with a wildcard (`.` when it starts with one). */
export function globBase(pattern: string): string {
    const segments = pattern.split('/');
    const first = segments.findIndex(isGlob);
    const base = segments.slice(0, first < 0 ? segments.length : first).join('/');
    return base === '' ? (pattern.startsWith('/') ? '/' : '.') : base;
}

/** Compiles a glob; a glob that is too long, or expands to too many alternatives, is refused with the reason. */
export function compileGlob(glob: string): CompiledGlob {
    if (glob.length > MAX_GLOB_LENGTH) {
        return { ok: false, reason: `is ${glob.length.toLocaleString('en')} characters long; a glob may have at most ${MAX_GLOB_LENGTH.toLocaleString('en')}` };
    }
    if (/(^|[^\\])[?*+@!]\(/.test(glob)) {
        return { ok: false, reason: 'uses an extended glob such as +(a|b) or !(a), which kra does not support; list the alternatives as {a,b}' };
    }
    const alternatives = expandBraces(glob);
    if (!alternatives) {
        return { ok: false, reason: `expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives through {…}; write fewer, or use * and **` };
    }
    const automata = alternatives.map(buildAutomaton);
    return { ok: true, match: path => automata.some(automaton => automaton.matches(path)) };
}

/** `{a,b}` expanded, or undefined when there would be more than MAX_GLOB_ALTERNATIVES. */
function expandBraces(glob: string): string[] | undefined {
    const brace = findBrace(glob);
    if (!brace) {
        return [glob];
    }
    const expanded: string[] = [];
    for (const alternative of brace.alternatives) {
        const rest = expandBraces(glob.slice(0, brace.start) + alternative + glob.slice(brace.end + 1));
        if (!rest || expanded.length + rest.length > MAX_GLOB_ALTERNATIVES) {
            return undefined;
        }
        expanded.push(...rest);
    }
    return expanded;
}

/** The first `{…}` with a `,` at its own level, its alternatives, and where it starts and ends. */
function findBrace(glob: string): { start: number; end: number; alternatives: string[] } | undefined {
    for (let start = 0; start < glob.length; start++) {
        if (glob[start] === '\\') {
            start++;
            continue;
        }
        if (glob[start] !== '{') {
            continue;
        }
        let depth = 0;
        const commas: number[] = [];
        for (let i = start; i < glob.length; i++) {
            const ch = glob[i];
            if (ch === '\\') {
                i++;
            } else if (ch === '{') {
                depth++;
            } else if (ch === ',' && depth === 1) {
                commas.push(i);
            } else if (ch === '}' && --depth === 0) {
                if (commas.length === 0) {
                    break; // `{a}` is taken as it is
                }
                const bounds = [start, ...commas, i];
                return { start, end: i, alternatives: bounds.slice(1).map((bound, index) => glob.slice(bounds[index] + 1, bound)) };
            }
        }
    }
    return undefined;
}

type CharTest = (ch: string) => boolean;

const ANY: CharTest = () => true;
const NOT_SLASH: CharTest = ch => ch !== '/';

interface State {
    /** States reached without reading a character. */
    readonly next: number[];
    /** States reached by reading a character that passes the test. */
    readonly edges: Array<readonly [CharTest, number]>;
}

class Automaton {
    constructor(private readonly states: readonly State[], private readonly accept: number) { }

    /** Follows every state the path can be in at once: length × states steps at most. */
    matches(path: string): boolean {
        const seen = new Int32Array(this.states.length).fill(-1);
        let current: number[] = [];
        let step = 0;
        const add = (list: number[], state: number) => {
            const stack = [state];
            while (stack.length > 0) {
                const s = stack.pop()!;
                if (seen[s] !== step) {
                    seen[s] = step;
                    list.push(s);
                    stack.push(...this.states[s].next);
                }
            }
        };
        add(current, 0);
        for (let index = 0; index < path.length; index++) {
            const ch = path[index];
            step++;
            const following: number[] = [];
            for (const s of current) {
                for (const [test, to] of this.states[s].edges) {
                    if (test(ch)) {
                        add(following, to);
                    }
                }
            }
            if (following.length === 0) {
                return false;
            }
            current = following;
        }
        return current.includes(this.accept);
    }
}

function buildAutomaton(glob: string): Automaton {
    const states: State[] = [];
    const state = () => states.push({ next: [], edges: [] }) - 1;
    let at = state();
    const read = (test: CharTest) => {
        const to = state();
        states[at].edges.push([test, to]);
        at = to;
    };
    const segments = glob.split('/');
    // Whether the next segment must be preceded by a `/` (not at the start, nor after `**/`).
    let needSlash = false;
    segments.forEach((segment, index) => {
        if (segment === '**') {
            const last = index === segments.length - 1;
            if (last && !needSlash) {
                states[at].edges.push([ANY, at]); // `**` alone: anything at all
            } else if (last) {
                // `dir/**`: the folder itself, or `/` and anything below it.
                const end = state();
                const below = state();
                states[at].next.push(end);
                states[at].edges.push([ch => ch === '/', below]);
                states[below].edges.push([ANY, below]);
                states[below].next.push(end);
                at = end;
            } else {
                if (needSlash) {
                    read(ch => ch === '/');
                }
                // `**/`: no folder, or any run of characters ending in `/`.
                const end = state();
                const inside = state();
                states[at].next.push(end, inside);
                states[inside].edges.push([ANY, inside], [ch => ch === '/', end]);
                at = end;
                needSlash = false;
            }
            return;
        }
        if (needSlash) {
            read(ch => ch === '/');
        }
        for (let i = 0; i < segment.length; i++) {
            const ch = segment[i];
            if (ch === '*') {
                states[at].edges.push([NOT_SLASH, at]);
            } else if (ch === '?') {
                read(NOT_SLASH);
            } else if (ch === '[') {
                const set = parseSet(segment, i);
                if (set) {
                    read(set.test);
                    i = set.end;
                } else {
                    read(c => c === '[');
                }
            } else {
                const literal = ch === '\\' && i + 1 < segment.length ? segment[++i] : ch;
                read(c => c === literal);
            }
        }
        needSlash = true;
    });
    return new Automaton(states, at);
}

/** `[abc]`, `[a-z]`, `[!abc]` or `[^abc]` starting at `start`: its test and the index of its `]`. */
function parseSet(segment: string, start: number): { test: CharTest; end: number } | undefined {
    let i = start + 1;
    const negated = segment[i] === '!' || segment[i] === '^';
    if (negated) {
        i++;
    }
    const ranges: Array<[string, string]> = [];
    const first = i;
    for (; i < segment.length; i++) {
        let ch = segment[i];
        if (ch === ']' && i > first) {
            return {
                test: c => c !== '/' && ranges.some(([low, high]) => c >= low && c <= high) !== negated,
                end: i
            };
        }
        if (ch === '\\' && i + 1 < segment.length) {
            ch = segment[++i];
        }
        if (segment[i + 1] === '-' && i + 2 < segment.length && segment[i + 2] !== ']') {
            let high = segment[i + 2];
            i += 2;
            if (high === '\\' && i + 1 < segment.length) {
                high = segment[++i];
            }
            ranges.push([ch, high]);
        } else {
            ranges.push([ch, ch]);
        }
    }
    return undefined;
}
