import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ast } from '../src/index.js';
import { buildWorkspace, summarise, type TestWorkspace } from './test-utils.js';

export interface Parsed {
    readonly workspace: TestWorkspace;
    readonly document: LangiumDocument;
    readonly file: ast.KraFile;
}

/** Builds a one-file workspace (`test.kra`) and returns its AST. */
export async function parse(text: string): Promise<Parsed> {
    const workspace = await buildWorkspace({ 'test.kra': text });
    const document = workspace.document('test.kra');
    const file = document.parseResult.value as ast.KraFile;
    return { workspace, document, file };
}

/** Like `parse`, and fails the test on any lexer or parser error. */
export async function parseValid(text: string): Promise<Parsed> {
    const parsed = await parse(text);
    expectNoSyntaxErrors(parsed.document);
    return parsed;
}

export function expectNoSyntaxErrors(document: LangiumDocument): void {
    const { lexerErrors, parserErrors } = document.parseResult;
    expect(lexerErrors.map(e => e.message), 'lexer errors').toEqual([]);
    expect(parserErrors.map(e => `${e.token.startLine}:${e.token.startColumn} ${e.message}`), 'parser errors').toEqual([]);
}

/** Every diagnostic of the workspace, as `rule@line:col message`. */
export function allDiagnostics(workspace: TestWorkspace): string[] {
    return summarise(workspace.diagnostics());
}

/** The one node in `root` of the given type and name; fails the test if there is not exactly one. */
export function named<T extends AstNode & { name: string }>(root: AstNode, guard: (node: unknown) => node is T, name: string): T {
    const found = AstUtils.streamAst(root).filter(guard).filter(node => node.name === name).toArray();
    expect(found.map(node => node.name), `exactly one ${name}`).toEqual([name]);
    return found[0];
}

/** Every node of the given type below `root`. */
export function all<T extends AstNode>(root: AstNode, guard: (node: unknown) => node is T): T[] {
    return AstUtils.streamAst(root).filter(guard).toArray();
}

export function readResource(relative: string): string {
    return readFileSync(new URL(`./resources/${relative}`, import.meta.url), 'utf8');
}

/** The value of a quantity with the text of its unit reference, e.g. `[360, 's']`. */
export function quantity(q: ast.Quantity | undefined): [number, string | undefined] | undefined {
    return q ? [q.value, q.unit?.$refText] : undefined;
}
