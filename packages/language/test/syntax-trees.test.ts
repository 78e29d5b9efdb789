/**
 * Released syntax trees (workspace/syntax-trees.ts): the language server releases the CSTs of
 * closed files after a build and parses them again when something reads them. A restored tree
 * must be the one a fresh parse gives, hung on the same AST; requests and checks that read the
 * trees of closed files must answer as if nothing had been released; and a save's slow checks
 * must restore only the files they report something in. The random edits of
 * incremental-build.test.ts run with released trees too.
 */
import { CstUtils, DocumentState, isLeafCstNode, URI, type AstNode, type BuildOptions, type CstNode, type LangiumDocument } from 'langium';
import type { NormalizedTextDocuments } from 'langium/lsp';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kraFiles } from '../../../test/support/kra-files.js';
import { loadWorkspace, resolveTarget } from '../src/node/index.js';
import { documentNodes, forEachReference, referenceHolder } from '../src/model/ast-walk.js';
import { isReleased, SyntaxTrees } from '../src/workspace/syntax-trees.js';
import { buildEditorWorkspace, summarise, TEST_ROOT } from './test-utils.js';
import { describeTree } from './tree-rows.js';

const EVERY_CHECK: BuildOptions = { validation: { categories: ['built-in', 'fast', 'slow'] } };

function contactCentre(): Record<string, string> {
    const folder = fileURLToPath(new URL('../../../examples/contact-centre/', import.meta.url));
    return Object.fromEntries(kraFiles(folder).map(file => [file.slice(folder.length), readFileSync(file, 'utf8')]));
}

async function build(files: Record<string, string>, release: boolean) {
    const workspace = await buildEditorWorkspace(files, { release, checks: EVERY_CHECK });
    return { ...workspace, trees: workspace.shared.workspace.SyntaxTrees };
}

/** A CST node as a row: its kind, place, text and grammar element. */
function cstRow(node: CstNode): unknown {
    return {
        leaf: isLeafCstNode(node), offset: node.offset, end: node.end, range: node.range,
        text: node.text, hidden: node.hidden, grammar: node.grammarSource?.$type
    };
}

/** Every CST node of `root`, with the rows of the AST nodes they point to. */
function cstRows(root: AstNode, ids: Map<AstNode, number>): unknown[] {
    return CstUtils.streamCst(root.$cstNode!).map(node => ({ ...cstRow(node) as object, astNode: ids.get(node.astNode) })).toArray();
}

describe('released syntax trees', () => {
    it('releases the trees of closed files after a build, and restores each as a fresh parse gives it, on the same AST', async () => {
        const files = contactCentre();
        const { Kra, documents } = await build(files, true);
        for (const [name, document] of documents) {
            const root = document.parseResult.value;
            expect(isReleased(root), name).toBe(true);
            const nodes = [...documentNodes(document)];
            const restored = describeTree(root, cstRow);
            expect(isReleased(root), name).toBe(false);
            const fresh = Kra.parser.LangiumParser.parse(files[name]);
            const expected = describeTree(fresh.value, cstRow);
            expect(restored.rows, name).toEqual(expected.rows);
            // Every CST node points to the kept AST, as the fresh one's point to the fresh AST.
            expect(cstRows(root, restored.ids), name).toEqual(cstRows(fresh.value, expected.ids));
            // The AST kept its identity: other files' links into it still hold.
            expect(documentNodes(document).every((node, index) => node === nodes[index]), name).toBe(true);
            for (const node of nodes) {
                forEachReference(node, ({ reference }) => {
                    expect(reference.$refNode?.astNode).toBe(node);
                    expect(referenceHolder(reference)).toBe(node);
                });
            }
        }
    });

    it('answers definition, hover and references into closed files as without releasing', async () => {
        const files = contactCentre();
        const kept = await build(files, false);
        const released = await build(files, true);
        const places: { name: string; position: { line: number; character: number } }[] = [];
        for (const [name, document] of kept.documents) {
            for (const node of documentNodes(document)) {
                forEachReference(node, ({ reference }) => {
                    places.push({ name, position: reference.$refNode!.range.start });
                });
            }
        }
        const ask = async (workspace: typeof kept, name: string, position: { line: number; character: number }) => {
            const document = workspace.documents.get(name)!;
            const params = { textDocument: { uri: document.uri.toString() }, position };
            return {
                definition: await workspace.Kra.lsp.DefinitionProvider.getDefinition(document, params),
                hover: await workspace.Kra.lsp.HoverProvider.getHoverContent(document, params),
                references: await workspace.Kra.lsp.ReferencesProvider!.findReferences(document, { ...params, context: { includeDeclaration: true } })
            };
        };
        for (const { name, position } of places) {
            expect(await ask(released, name, position), `${name} ${position.line}:${position.character}`).toEqual(await ask(kept, name, position));
        }
        const compared = places.length;
        expect(compared).toBeGreaterThan(100);
        expect(released.trees.restoreCount).toBeGreaterThan(0);
    });

    it('keeps the tree of a file opened unchanged, and relinks none of the files that use it', async () => {
        const files = contactCentre();
        const workspace = await build(files, true);
        // The checks the editor runs on each edit once the workspace is loaded (lsp/kra-document-update-handler.ts).
        workspace.shared.workspace.DocumentBuilder.updateBuildOptions = { validation: { categories: ['built-in', 'fast'] } };
        const document = workspace.documents.get('metrics.kra')!;
        const users = [...workspace.documents.values()].filter(other => other !== document
            && other.references.some(reference => 'ref' in reference && reference.$nodeDescription?.documentUri.toString() === document.uri.toString()));
        expect(users.length).toBeGreaterThan(3);
        const root = document.parseResult.value;
        const before = Object.fromEntries([...workspace.documents].map(([name, each]) => [name, summarise(each.diagnostics ?? [])]));
        const linked: string[] = [];
        workspace.shared.workspace.DocumentBuilder.onDocumentPhase(DocumentState.Linked, each => {
            linked.push(each.uri.toString());
        });
        const textDocuments = workspace.shared.workspace.TextDocuments as NormalizedTextDocuments<TextDocument>;
        const uri = document.uri.toString();
        textDocuments.set(TextDocument.create(uri, 'kra', 1, files['metrics.kra']));
        await workspace.shared.workspace.DocumentBuilder.update([document.uri], []);
        expect(linked).toEqual([uri]);
        expect(document.parseResult.value).toBe(root);
        expect(Object.fromEntries([...workspace.documents].map(([name, each]) => [name, summarise(each.diagnostics ?? [])]))).toEqual(before);
    });

    it('runs the slow checks of a save on the files of others, restoring only those they report in', async () => {
        const files = {
            'metrics.kra': ['metric calls "Calls" { unit count }', 'metric chats "Chats" { unit count }', ''].join('\n'),
            'kpis.kra': ['import "./metrics.kra"', 'kpi handled "Handled" {', '  formula calls', '  unit count', '}', ''].join('\n'),
            // No slow finding, but KPIs that read KPIs, which the formula/cycle check follows.
            'chain.kra': [
                'objective serve "Serve customers" { description "Customers get answers." }',
                'metric emails "Emails" { unit count }',
                'kra mail "Mail" {',
                '  aligns to serve',
                '  kpi answered "Answered" { formula emails }',
                '  kpi doubled "Doubled" { formula answered * 2 }',
                '}',
                ''
            ].join('\n')
        };
        const workspace = await build(files, true);
        const unused = (name: string) => summarise(workspace.documents.get(name)!.diagnostics ?? []).filter(line => line.startsWith('metrics/unused'));
        expect(unused('metrics.kra')).toHaveLength(1);
        expect(unused('metrics.kra')[0]).toContain("'chats'");
        // The KPI now reads chats: on save, calls is the unused one, in a closed file.
        const edited = files['kpis.kra'].replace('formula calls', 'formula chats');
        const uri = `${TEST_ROOT}/kpis.kra`;
        (workspace.shared.workspace.TextDocuments as NormalizedTextDocuments<TextDocument>).set(TextDocument.create(uri, 'kra', 2, edited));
        await workspace.shared.workspace.DocumentBuilder.update([URI.parse(uri)], []);
        const before = workspace.trees.restoreCount;
        await workspace.shared.workspace.DocumentBuilder.revalidateSlowChecks([...workspace.documents.values()]);
        expect(unused('metrics.kra')).toHaveLength(1);
        expect(unused('metrics.kra')[0]).toContain("'calls'");
        // Only metrics.kra needed its tree again, to place its finding.
        expect(summarise(workspace.documents.get('chain.kra')!.diagnostics ?? []).filter(line => /^(metrics\/unused|smart\/relevant|formula\/cycle|structure\/imports)/.test(line))).toEqual([]);
        expect(workspace.trees.restoreCount - before).toBe(1);
        const fresh = await build({ ...files, 'kpis.kra': edited }, false);
        // The same findings; the slow ones come after the others (an editor lists them by place).
        for (const [name, document] of workspace.documents) {
            expect(summarise(document.diagnostics ?? []).sort(), name).toEqual(summarise(fresh.documents.get(name)!.diagnostics ?? []).sort());
        }
    });

    it('gives kra check the findings of a check that keeps every tree, restoring the trees of the files with findings only', async () => {
        for (const folder of ['../../../examples/mistakes/', '../../../examples/contact-centre/', './rules/']) {
            const target = await resolveTarget(fileURLToPath(new URL(folder, import.meta.url)));
            const kept = await loadWorkspace([target]);
            const released = await loadWorkspace([target], { releaseTrees: true });
            const findings = (documents: readonly LangiumDocument[]) => Object.fromEntries(documents.map(document => [document.uri.toString(), summarise(document.diagnostics ?? [])]));
            expect(findings(released.documents), folder).toEqual(findings(kept.documents));
            const trees = released.services.shared.workspace.SyntaxTrees;
            const withFindings = released.documents.filter(document => (document.diagnostics ?? []).length > 0).length;
            expect(trees.restoreCount, folder).toBeLessThanOrEqual(withFindings);
            if (folder.includes('mistakes')) {
                expect(trees.restoreCount).toBeGreaterThan(0);
            }
        }
    }, 60_000);

    it(`keeps the ${SyntaxTrees.KEPT_RESTORED} trees restored last and releases the others again`, async () => {
        const files = Object.fromEntries(Array.from({ length: SyntaxTrees.KEPT_RESTORED + 8 }, (_, index) => [
            `m${index}.kra`, `metric m${index} "Metric ${index}" { unit count }\nkpi k${index} "KPI ${index}" { formula m${index} }\n`
        ]));
        const { documents } = await build(files, true);
        const all = [...documents.values()];
        expect(all.every(document => isReleased(document.parseResult.value))).toBe(true);
        for (const document of all) {
            expect(document.parseResult.value.$cstNode?.root.fullText).toBe(files[document.uri.path.split('/').pop()!]);
        }
        const released = all.map(document => isReleased(document.parseResult.value));
        expect(released).toEqual(all.map((_, index) => index < 8));
        expect(all.every(document => document.state === DocumentState.Validated)).toBe(true);
    });
});
