/**
 * Every ```kra block of docs/language.md is a complete, single-file workspace that parses,
 * links and passes every check without an error, and evaluates on complete data without a unit
 * refusal (whatever `kra check` accepts, `kra eval` computes). Blocks that show a mistake on
 * purpose are fenced as ```text and are not checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { URI } from 'langium';
import { BUILTIN_LIBRARY_URI } from '../packages/language/src/index.js';
import { buildWorkspace, summarise } from '../packages/language/test/test-utils.js';
import { compileWorkspace } from '../packages/compiler/src/compile.js';
import { mergeData, parseDataFile } from '../packages/compiler/src/evaluate/data.js';
import { evaluateModel } from '../packages/compiler/src/evaluate/evaluate.js';

const DOC_PATH = fileURLToPath(new URL('../docs/language.md', import.meta.url));

/** LSP DiagnosticSeverity.Error. */
const ERROR = 1;

interface KraBlock {
    /** 0-based position among the kra blocks. */
    readonly index: number;
    /** 1-based line of the opening fence in the document. */
    readonly line: number;
    /** The first non-blank line of the block, to recognise it in test names. */
    readonly firstLine: string;
    readonly text: string;
    /** The test name. */
    readonly name: string;
}

/**
 * The fenced code blocks whose info string is exactly `kra`. Tracks every fence (``` or ~~~,
 * any info string), so that a fence-like line inside another block is not mistaken for one.
 */
function kraBlocks(markdown: string): KraBlock[] {
    const lines = markdown.split(/\r?\n/);
    const blocks: KraBlock[] = [];
    let open: { fence: string; info: string; line: number; body: string[] } | undefined;
    lines.forEach((line, i) => {
        if (!open) {
            const start = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
            if (start) {
                open = { fence: start[1], info: start[2], line: i + 1, body: [] };
            }
            return;
        }
        const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
        if (close && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
            if (open.info === 'kra') {
                const index = blocks.length;
                const text = open.body.join('\n') + '\n';
                const firstLine = open.body.find(l => l.trim() !== '')?.trim() ?? '(empty)';
                blocks.push({ index, line: open.line, firstLine, text, name: `kra block #${index} (docs/language.md:${open.line}) ${firstLine}` });
            }
            open = undefined;
            return;
        }
        open.body.push(line);
    });
    if (open) {
        throw new Error(`docs/language.md: the code block opened at line ${open.line} is never closed.`);
    }
    return blocks;
}

const blocks = kraBlocks(readFileSync(DOC_PATH, 'utf8'));

describe('docs/language.md', () => {

    it('has at least 20 kra examples', () => {
        expect(blocks.length).toBeGreaterThanOrEqual(20);
    });

    it.each(blocks)('$name', async block => {
        expect(block.text.trim(), `kra block #${block.index} at line ${block.line} is empty`).not.toBe('');
        const workspace = await buildWorkspace({ 'doc.kra': block.text });
        const errors = workspace.diagnostics('doc.kra').filter(d => d.severity === ERROR);
        // Line numbers in the messages are relative to the block; the block starts after line `block.line`.
        expect(summarise(errors), `kra block #${block.index} at docs/language.md:${block.line} (${block.firstLine}) has errors`).toEqual([]);
    });

    /** The blocks whose KPIs compute something in a unit. */
    const unitBlocks = blocks.filter(block => /\bformula\b/.test(block.text) && /\bunit\b/.test(block.text));

    it('has unit examples to evaluate', () => {
        expect(unitBlocks.length).toBeGreaterThanOrEqual(5);
    });

    it.each(unitBlocks)('$name evaluates without a unit refusal', async block => {
        const workspace = await buildWorkspace({ 'doc.kra': block.text });
        const builtin = workspace.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(BUILTIN_LIBRARY_URI))!;
        const model = compileWorkspace({ documents: [...workspace.documents.values(), builtin], root: URI.parse('file:///ws') });
        // Complete data: every metric has a value (none zero) in three months.
        const metrics = model.metrics.map(metric => metric.id);
        const rows = ['2026-05', '2026-06', '2026-07'].map((period, row) => `${period},${metrics.map((_, index) => 5 + index * 3 + row).join(',')}`);
        const csv = `period,${metrics.join(',')}\n${rows.join('\n')}\n`;
        const result = evaluateModel(model, mergeData([parseDataFile(csv, { file: 'data.csv', metrics })]), {});
        const refused = result.kpis.filter(entry => /^unit /.test(entry.reason ?? '')).map(entry => `${entry.kpi}: ${entry.reason}`);
        expect(refused, `kra block #${block.index} at docs/language.md:${block.line}`).toEqual([]);
        expect(result.kpis.some(entry => entry.value !== null), 'some KPI has a value: the data reached the evaluator').toBe(true);
        expect(model.kpis.filter(kpi => kpi.formula?.unitProblem).map(kpi => kpi.id)).toEqual([]);
    });
});
