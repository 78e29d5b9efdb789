/**
 * The oracle of incremental parsing (src/parser/incremental-parse.ts): after every edit of a
 * random sequence, the document parsed incrementally equals a full parse of its text: the AST
 * (types, values, containers), every syntax-tree node (kind, grammar element, AST node, offset,
 * length, range, token type), and, for documents built in a workspace, the diagnostics. The
 * edits run over every example and corpus file and over workspaces of the fuzz generator;
 * fixed seeds, `KRA_FUZZ_SEED` to try others.
 */
import fc from 'fast-check';
import {
    EmptyFileSystem, isCompositeCstNode, isLeafCstNode, TextDocument, URI,
    type CstNode, type LangiumParser, type ParseResult, type RootCstNode
} from 'langium';
import type { NormalizedTextDocuments } from 'langium/lsp';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kraFiles } from '../../../test/support/kra-files.js';
import { validWorkspace } from '../../../test/fuzz/generate.js';
import { createKraServices } from '../src/index.js';
import { reparseIncrementally } from '../src/parser/incremental-parse.js';
import { apply, edit, type Edit } from './random-edits.js';
import { buildWorkspace, summarise, TEST_ROOT } from './test-utils.js';
import { describeTree } from './tree-rows.js';

const SEED = Number(process.env.KRA_FUZZ_SEED ?? 20261206);

const FOLDERS = [new URL('./resources/', import.meta.url), new URL('./rules/', import.meta.url), new URL('../../../examples/', import.meta.url)]
    .map(url => fileURLToPath(url))
    .filter(folder => existsSync(folder));

/** Every syntax-tree node, depth first, in order. */
function cstNodes(root: CstNode): CstNode[] {
    const nodes: CstNode[] = [];
    const visit = (node: CstNode): void => {
        nodes.push(node);
        if (isCompositeCstNode(node)) {
            node.content.forEach(visit);
        }
    };
    visit(root);
    return nodes;
}

/** Identities of grammar elements, the same objects in both parses (one parser). */
const grammarIds = new Map<object, number>();

function grammarId(element: object | undefined): number | undefined {
    if (!element) {
        return undefined;
    }
    if (!grammarIds.has(element)) {
        grammarIds.set(element, grammarIds.size);
    }
    return grammarIds.get(element);
}

/** The whole of a parse, as comparable rows. */
function describe_(result: ParseResult): unknown {
    const root = result.value.$cstNode as RootCstNode;
    const nodes = cstNodes(root);
    const cstIds = new Map(nodes.map((node, index) => [node, index]));
    const { rows, ids } = describeTree(result.value, node => cstIds.get(node));
    const cst = nodes.map(node => ({
        leaf: isLeafCstNode(node),
        token: isLeafCstNode(node) ? node.tokenType.name : undefined,
        hidden: node.hidden,
        offset: node.offset,
        end: node.end,
        range: node.range,
        text: node.text,
        grammar: grammarId(node.grammarSource),
        ast: ids.get(node.astNode),
        container: node.container ? cstIds.get(node.container) : undefined,
        children: isCompositeCstNode(node) ? node.content.every(child => child.container === node) : true
    }));
    return {
        text: root.fullText,
        ast: rows,
        cst,
        lexerErrors: result.lexerErrors.map(error => [error.offset, error.message]),
        parserErrors: result.parserErrors.map(error => [error.token.startOffset, error.message])
    };
}

interface Tally {
    steps: number;
    incremental: number;
}

/** Applies the edits one by one, each time comparing the incremental parse with a full one. */
function checkSequence(parser: LangiumParser, text: string, edits: readonly Edit[], tally: Tally): void {
    let current = parser.parse(text);
    let currentText = text;
    const history: string[] = [];
    for (const change of edits) {
        const next = apply(currentText, change, history);
        if (next === currentText) {
            continue;
        }
        const incremental = reparseIncrementally(current, next, parser);
        const full = parser.parse(next);
        tally.steps++;
        if (incremental) {
            tally.incremental++;
            expect(describe_(incremental)).toEqual(describe_(full));
        }
        current = incremental ?? full;
        currentText = next;
    }
}

describe('incremental parsing', () => {
    const { Kra } = createKraServices(EmptyFileSystem);
    const parser = Kra.parser.LangiumParser;
    const corpus = FOLDERS.flatMap(kraFiles).map(file => readFileSync(file, 'utf8'));

    it('equals a full parse after every edit of random sequences over every example and corpus file', () => {
        expect(corpus.length).toBeGreaterThan(50);
        const tally: Tally = { steps: 0, incremental: 0 };
        fc.assert(fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 25 }), (index, edits) => {
            checkSequence(parser, corpus[index], edits, tally);
        }), { seed: SEED, numRuns: 400 });
        // The oracle is only worth something if the incremental path is taken often (about a
        // quarter of the steps: the others follow an edit that broke the syntax, or cross blocks).
        expect(tally.incremental).toBeGreaterThan(400);
    });

    it('equals a full parse after every edit of random sequences over generated workspaces (comments, CRLF, every construct)', () => {
        const tally: Tally = { steps: 0, incremental: 0 };
        fc.assert(fc.property(validWorkspace, fc.array(edit, { minLength: 1, maxLength: 25 }), (workspace, edits) => {
            for (const text of Object.values(workspace.files)) {
                checkSequence(parser, text, edits, tally);
            }
        }), { seed: SEED, numRuns: 150 });
        expect(tally.incremental).toBeGreaterThan(200);
    });

    it('parses again only the KPI that holds a keystroke, and the whole file for an edit across declarations', () => {
        const text = 'department ops {\n  kra service {\n    kpi aht "AHT" {\n      description "Handle time"\n    }\n    kpi fcr { }\n  }\n}\nmetric calls\n';
        const before = parser.parse(text);
        const department = before.value.$cstNode!;
        const typed = text.replace('Handle time', 'Handle timex');
        const after = reparseIncrementally(before, typed, parser)!;
        expect(after).toBeDefined();
        // The syntax tree is reused; the AST root is new, the untouched KPI is the same node.
        expect(after.value.$cstNode).toBe(department);
        expect(after.value).not.toBe(before.value);
        expect(describe_(after)).toEqual(describe_(parser.parse(typed)));
        // Deleting the brace between two KPIs, or editing an import, is not one block's edit.
        expect(reparseIncrementally(after, typed.replace('    }\n    kpi fcr', '    \n    kpi fcr'), parser)).toBeUndefined();
        expect(reparseIncrementally(parser.parse(`import "a.kra"\n${text}`), `import "b.kra"\n${text}`, parser)).toBeUndefined();
        // A file with a syntax error is parsed in full until it is fixed.
        const broken = parser.parse(text.replace('kpi fcr { }', 'kpi fcr { target }'));
        expect(reparseIncrementally(broken, text.replace('kpi fcr { }', 'kpi fcr { target  }'), parser)).toBeUndefined();
    });

    it('gives an edited document the diagnostics of a fresh build, through the editor\'s updates', async () => {
        const folder = fileURLToPath(new URL('../../../examples/contact-centre/', import.meta.url));
        const files = Object.fromEntries(kraFiles(folder).map(file => [file.slice(folder.length), readFileSync(file, 'utf8')]));
        const name = 'operations.kra';
        const workspace = await buildWorkspace(files);
        const shared = workspace.services.shared;
        const uri = URI.parse(`${TEST_ROOT}/${name}`);
        const documents = shared.workspace.TextDocuments as NormalizedTextDocuments<TextDocument>;
        const everything = { validation: { categories: ['built-in', 'fast', 'slow'] } };
        shared.workspace.DocumentBuilder.updateBuildOptions = everything;
        let reused = 0;
        let version = 1;
        const update = async (text: string) => {
            documents.set(TextDocument.create(uri.toString(), 'kra', ++version, text));
            await shared.workspace.DocumentBuilder.update([uri], []);
        };
        await fc.assert(fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async edits => {
            await update(files[name]);
            const history: string[] = [];
            let text = files[name];
            for (const change of edits) {
                const next = apply(text, change, history);
                if (next === text) {
                    continue;
                }
                text = next;
                const cst = workspace.document(name).parseResult.value.$cstNode;
                await update(text);
                const document = shared.workspace.LangiumDocuments.getDocument(uri)!;
                reused += document.parseResult.value.$cstNode === cst ? 1 : 0;
                // The edited file's findings, slow rules included; other files' slow findings wait
                // for a save in the editor (lsp/kra-document-update-handler.ts), whatever the parse.
                const fresh = await buildWorkspace({ ...files, [name]: text });
                expect(summarise(document.diagnostics ?? [])).toEqual(summarise(fresh.document(name).diagnostics ?? []));
            }
        }), { seed: SEED, numRuns: 8 });
        expect(reused).toBeGreaterThan(3);
    });
});
