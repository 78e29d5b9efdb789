/**
 * The oracles of incremental builds in the editor. After an edit of one file:
 * - only the documents whose references reach the changed declarations are linked and
 *   validated again (workspace/kra-document-builder.ts);
 * - in the open file, the findings of `local` rules on nodes that cannot find anything new are
 *   given again instead of checking them (validation/rule-runner.ts).
 * Over random edit sequences of multi-file workspaces, every document's diagnostics must equal
 * those of a fresh build of the same texts, and some edits must have left documents that refer
 * into the edited file untouched (else the test proves nothing). The edited document's list of
 * AST nodes, spliced after an incremental parse, must be a fresh walk's. The closed files'
 * syntax trees are released, as in the language server (workspace/syntax-trees.ts), and some
 * must have been restored by relinking. Three cases check
 * what random edits rarely reach: a KPI that reaches the edit through another, the variants of
 * a KPI, and a finding placed by its range below a line break.
 */
import fc from 'fast-check';
import { DocumentState, URI, type BuildOptions, type LangiumDocument } from 'langium';
import type { NormalizedTextDocuments } from 'langium/lsp';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kraFiles } from '../../../test/support/kra-files.js';
import { validWorkspace } from '../../../test/fuzz/generate.js';
import { astNodes, documentNodes } from '../src/model/ast-walk.js';
import { apply, edit, type Edit } from './random-edits.js';
import { buildEditorWorkspace, summarise, TEST_ROOT, type EditorWorkspace } from './test-utils.js';

const SEED = Number(process.env.KRA_FUZZ_SEED ?? 20261206);

/**
 * Mostly typing in names, numbers and texts, which leaves the file valid and is parsed
 * incrementally; the other edits break blocks and files (a full parse relinks every dependent).
 */
const typing: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), seed: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('type-in-text' as const), at: fc.nat(), text: fc.constantFrom('x', ' ') }) },
    { weight: 2, arbitrary: edit }
);

/** The checks the editor runs on each edit (lsp/kra-document-update-handler.ts). */
const FAST: BuildOptions = { validation: { categories: ['built-in', 'fast'] } };

type Workspace = EditorWorkspace;

/** Builds `files`; with `release`, the closed files' syntax trees are released as in the language server. */
async function build(files: Record<string, string>, release = false): Promise<Workspace> {
    const workspace = await buildEditorWorkspace(files, { release, checks: FAST });
    workspace.shared.workspace.DocumentBuilder.updateBuildOptions = FAST;
    return workspace;
}

function diagnostics(workspace: Workspace): Record<string, string[]> {
    return Object.fromEntries([...workspace.documents].map(([name, document]) => [name, summarise(document.diagnostics ?? [])]));
}

/** Gives the file this text in the editor, as its version `version`, and runs the editor's update. */
async function typeIn(workspace: Workspace, name: string, text: string, version: number): Promise<void> {
    const uri = `${TEST_ROOT}/${name}`;
    (workspace.shared.workspace.TextDocuments as NormalizedTextDocuments<TextDocument>).set(TextDocument.create(uri, 'kra', version, text));
    await workspace.shared.workspace.DocumentBuilder.update([URI.parse(uri)], []);
}

/** Whether `document` has a resolved reference into `uri`. */
function refersTo(document: LangiumDocument, uri: string): boolean {
    return document.references.some(reference => 'ref' in reference && reference.$nodeDescription?.documentUri.toString() === uri);
}

/**
 * Runs edit sequences on one file at a time of the workspaces `files` gives, through the
 * editor's path (the text document, then DocumentBuilder.update) in a file that others refer to
 * where there is one, comparing every document's
 * diagnostics with a fresh build after each edit. Returns how often a document that refers into
 * the edited file was not linked again.
 */
async function checkSequences(files: fc.Arbitrary<Record<string, string>>, runs: number): Promise<{ spared: number; restored: number }> {
    let spared = 0;
    let restored = 0;
    await fc.assert(fc.asyncProperty(files, fc.nat(), fc.array(typing, { minLength: 1, maxLength: 6 }), async (texts, pick, edits) => {
        // The closed files' syntax trees are released, as in the language server: relinking one parses it again.
        const workspace = await build(texts, true);
        const trees = workspace.shared.workspace.SyntaxTrees;
        const restoredBefore = trees.restoreCount;
        // A file that others refer to, when there is one.
        const documents = [...workspace.documents];
        const used = documents.filter(([, target]) => documents.some(([, document]) => document !== target && refersTo(document, target.uri.toString())));
        const [name] = (used.length > 0 ? used : documents)[pick % (used.length > 0 ? used.length : documents.length)];
        const uri = `${TEST_ROOT}/${name}`;
        const builder = workspace.shared.workspace.DocumentBuilder;
        const relinked = new Set<string>();
        const listener = builder.onDocumentPhase(DocumentState.Linked, document => {
            relinked.add(document.uri.toString());
        });
        let text = texts[name];
        let version = 1;
        const history: string[] = [];
        try {
            for (const change of edits) {
                const next = apply(text, change, history);
                if (next === text) {
                    continue;
                }
                text = next;
                const dependents = [...workspace.documents.values()].filter(document => document.uri.toString() !== uri && refersTo(document, uri));
                relinked.clear();
                await typeIn(workspace, name, text, ++version);
                spared += dependents.filter(document => !relinked.has(document.uri.toString())).length;
                // The edited document's list of nodes, kept through the splice, is a fresh walk's.
                const edited = workspace.documents.get(name)!;
                const listed = documentNodes(edited);
                const walked = astNodes(edited.parseResult.value);
                expect(listed.length).toBe(walked.length);
                expect(listed.every((node, index) => node === walked[index])).toBe(true);
                const fresh = await build({ ...texts, [name]: text });
                expect(diagnostics(workspace)).toEqual(diagnostics(fresh));
            }
        } finally {
            listener.dispose();
            restored += trees.restoreCount - restoredBefore;
        }
    }), { seed: SEED, numRuns: runs });
    return { spared, restored };
}

describe('incremental builds in the editor', () => {
    it('gives every document of the contact-centre example the diagnostics of a fresh build', async () => {
        const folder = fileURLToPath(new URL('../../../examples/contact-centre/', import.meta.url));
        const files = Object.fromEntries(kraFiles(folder).map(file => [file.slice(folder.length), readFileSync(file, 'utf8')]));
        const { spared, restored } = await checkSequences(fc.constant(files), 40);
        expect(spared).toBeGreaterThan(10);
        // Closed files relinked by an edit had their released syntax trees restored.
        expect(restored).toBeGreaterThan(0);
    }, 120_000);

    it('checks again a KPI whose formula reaches the edited declaration through another KPI', async () => {
        const text = [
            'metric talk "Talk time" { unit seconds }',
            'kpi inner "Talk per period" { formula talk }',
            'kpi outer "Outer" {',
            '  formula inner',
            '  unit count',
            '}',
            ''
        ].join('\n');
        const workspace = await build({ 'chain.kra': text });
        const document = workspace.documents.get('chain.kra')!;
        const mismatches = () => (document.diagnostics ?? []).filter(diagnostic => diagnostic.code === 'units/mismatch').length;
        // Opened in the editor: the first build of the open document keeps what the rules found.
        await typeIn(workspace, 'chain.kra', text, 1);
        expect(mismatches()).toBe(1);
        const cst = document.parseResult.value.$cstNode;
        const edited = text.replace('unit seconds', 'unit count');
        await typeIn(workspace, 'chain.kra', edited, 2);
        // Only the metric was parsed again; `outer` was not, nor does it refer to the metric.
        expect(document.parseResult.value.$cstNode).toBe(cst);
        expect(mismatches()).toBe(0);
        expect(diagnostics(workspace)).toEqual(diagnostics(await build({ 'chain.kra': edited })));
    });

    it('checks again the variants of a KPI whose formula reaches the edited declaration', async () => {
        const text = [
            'metric talk "Talk time" { unit seconds }',
            'kpi handle "Handle time" {',
            '  formula talk',
            '  variant short "Short calls" {',
            '    target at most 300 seconds by 2027-12-31',
            '  }',
            '}',
            ''
        ].join('\n');
        const edited = text.replace('unit seconds', 'unit count');
        const fresh = await build({ 'variant.kra': edited });
        const findings = (document: LangiumDocument) => (document.diagnostics ?? []).filter(diagnostic => diagnostic.code === 'units/mismatch').length;
        // The variant's target is in seconds; its KPI's formula gives a count after the edit.
        expect(findings(fresh.documents.get('variant.kra')!)).toBe(1);
        const workspace = await build({ 'variant.kra': text });
        const document = workspace.documents.get('variant.kra')!;
        await typeIn(workspace, 'variant.kra', text, 1);
        expect(findings(document)).toBe(0);
        const cst = document.parseResult.value.$cstNode;
        await typeIn(workspace, 'variant.kra', edited, 2);
        expect(document.parseResult.value.$cstNode).toBe(cst);
        expect(diagnostics(workspace)).toEqual(diagnostics(fresh));
    });

    it('moves a finding placed by its range when an edit above moves the lines', async () => {
        const text = [
            'metric talk "Talk time" { unit seconds }',
            'metric calls "Calls" { unit count }',
            'kpi handled "Handled" {',
            '  formula calls',
            '  unit count',
            '  unit count',
            '}',
            ''
        ].join('\n');
        const workspace = await build({ 'moved.kra': text });
        const document = workspace.documents.get('moved.kra')!;
        const duplicateLine = () => document.diagnostics?.find(diagnostic => diagnostic.code === 'structure/duplicate-field')?.range.start.line;
        await typeIn(workspace, 'moved.kra', text, 1);
        expect(duplicateLine()).toBe(5);
        // A line break in a metric the KPI does not use: only that metric is parsed again, and
        // the KPI, not checked again, moves down.
        const edited = text.replace('{ unit seconds }', '{\n  unit seconds }');
        await typeIn(workspace, 'moved.kra', edited, 2);
        expect(duplicateLine()).toBe(6);
        expect(diagnostics(workspace)).toEqual(diagnostics(await build({ 'moved.kra': edited })));
    });

    it('gives every document of generated workspaces the diagnostics of a fresh build', async () => {
        // Generated files refer to each other less often: most of these edits test the full path.
        const { spared, restored } = await checkSequences(validWorkspace.map(workspace => workspace.files).filter(files => Object.keys(files).length > 1), 80);
        expect(spared).toBeGreaterThan(0);
        expect(restored).toBeGreaterThan(0);
    }, 120_000);
});
