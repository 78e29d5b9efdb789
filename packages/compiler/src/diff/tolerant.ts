/**
 * Compiling a workspace some of whose files do not parse, for the diff: what parsed is
 * compiled, the declarations a syntax error cut short are left out.
 */
import { AstUtils, CstUtils, UriUtils, type AstNode, type LangiumDocument } from 'langium';
import { isBuiltinUri } from '@kra-lang/language';
import { compileWorkspace, type CompileInput } from '../compile.js';
import type { KraModel } from '../model.js';
import { validateModel } from '../validate.js';

/** A workspace file with syntax errors. */
export interface BrokenFile {
    /** Relative to the workspace root, `/`-separated. */
    file: string;
    /** The first syntax error: 1-based line and the parser's message. */
    line: number;
    message: string;
    /** How many syntax errors the file has. */
    errors: number;
    /**
     * `partial` when the declarations before and around the errors were compiled, `left-out`
     * when the file could not be compiled at all and none of its declarations is in the model.
     */
    outcome: 'partial' | 'left-out';
}

export interface TolerantCompileResult {
    model: KraModel;
    /** The files with syntax errors, sorted by path; empty when every file parsed. */
    broken: BrokenFile[];
}

interface ErrorSite {
    readonly document: LangiumDocument;
    readonly offset: number;
    readonly line: number;
    readonly message: string;
}

/**
 * Compiles a workspace like `compileWorkspace`, tolerating files with syntax errors. Error
 * recovery leaves half-built nodes where the parser gave up; the compiler may trip over them
 * or produce output outside the schema. When it does, the innermost list element (a target, a
 * KPI, a declaration…) that was being parsed at each error is removed from the syntax tree and
 * the workspace compiled again, one level further out each time; as a last resort the broken
 * files are left out. The documents' syntax trees are changed: use a workspace loaded for this.
 */
export function compileTolerantly(input: CompileInput): TolerantCompileResult {
    const workspace = input.documents.filter(document => !isBuiltinUri(document.uri.toString()));
    const sites = workspace.flatMap(errorSites);
    const brokenDocuments = [...new Set(sites.map(site => site.document))];
    const report = (leftOut: boolean): BrokenFile[] => brokenDocuments.map(document => {
        const first = sites.filter(site => site.document === document).sort((a, b) => a.offset - b.offset)[0];
        return {
            file: UriUtils.relative(input.root, document.uri),
            line: first.line,
            message: first.message,
            errors: document.parseResult.parserErrors.length + document.parseResult.lexerErrors.length,
            outcome: leftOut ? 'left-out' as const : 'partial' as const
        };
    }).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

    let fallback: KraModel | undefined;
    let firstError: unknown;
    const attempt = (documents: readonly LangiumDocument[]): KraModel | undefined => {
        try {
            const model = compileWorkspace({ documents, root: input.root });
            if (validateModel(model).length === 0) {
                return model;
            }
            fallback ??= model;
        } catch (error) {
            firstError ??= error;
        }
        return undefined;
    };

    const first = attempt(input.documents);
    if (first) {
        return { model: first, broken: report(false) };
    }
    if (brokenDocuments.length === 0) {
        if (fallback) {
            return { model: fallback, broken: [] };
        }
        throw firstError;
    }
    const chains = sites.map(inProgressChain);
    const depth = Math.max(0, ...chains.map(chain => chain.length));
    for (let level = 0; level < depth; level++) {
        for (const chain of chains) {
            if (chain.length > 0) {
                remove(chain[Math.min(level, chain.length - 1)]);
            }
        }
        const model = attempt(input.documents);
        if (model) {
            return { model, broken: report(false) };
        }
    }
    const model = attempt(input.documents.filter(document => !brokenDocuments.includes(document))) ?? fallback;
    if (model) {
        return { model, broken: report(true) };
    }
    throw firstError;
}

function errorSites(document: LangiumDocument): ErrorSite[] {
    const text = document.textDocument.getText();
    const parser = document.parseResult.parserErrors.map(error => {
        const offset = Number.isFinite(error.token.startOffset) ? error.token.startOffset : text.length;
        return {
            document,
            offset,
            line: Number.isFinite(error.token.startLine) ? error.token.startLine! : document.textDocument.positionAt(offset).line + 1,
            message: error.message
        };
    });
    const lexer = document.parseResult.lexerErrors.map(error => ({
        document,
        offset: error.offset,
        line: error.line ?? document.textDocument.positionAt(error.offset).line + 1,
        message: error.message
    }));
    return [...parser, ...lexer];
}

/**
 * The list elements that were being parsed when the error struck, innermost first: nodes that
 * start before the error and reach the last token before it (or beyond).
 */
function inProgressChain(site: ErrorSite): AstNode[] {
    const root = site.document.parseResult.value;
    if (!root.$cstNode) {
        return [];
    }
    let previousEnd = 0;
    for (const leaf of CstUtils.flattenCst(root.$cstNode)) {
        if (!leaf.hidden && leaf.end <= site.offset) {
            previousEnd = Math.max(previousEnd, leaf.end);
        }
    }
    const chain: Array<{ node: AstNode; depth: number }> = [];
    for (const node of AstUtils.streamAst(root)) {
        const cst = node.$cstNode;
        if (node === root || !cst || node.$containerIndex === undefined) {
            continue;
        }
        if (cst.offset < site.offset && cst.end >= previousEnd) {
            let depth = 0;
            for (let up = node.$container; up; up = up.$container) {
                depth++;
            }
            chain.push({ node, depth });
        }
    }
    return chain.sort((a, b) => b.depth - a.depth).map(entry => entry.node);
}

function remove(node: AstNode): void {
    const container = node.$container as unknown as Record<string, unknown> | undefined;
    const property = node.$containerProperty;
    if (!container || property === undefined) {
        return;
    }
    const list = container[property];
    if (Array.isArray(list)) {
        const index = list.indexOf(node);
        if (index >= 0) {
            list.splice(index, 1);
        }
    }
}
