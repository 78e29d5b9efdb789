/**
 * The server releases the syntax trees of the workspace's files as they load and of closed files
 * after each build, and collects the garbage once a large release is followed by a second
 * without changes (src/main.ts, language/src/workspace/syntax-trees.ts). Over the protocol, on a
 * workspace large enough for that collection (a change of kra.config.yaml checks every file
 * again, restoring and then releasing every tree): requests into closed files, an edit that
 * other files depend on, and a save answer as they should after it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover, Location, Range } from 'vscode-languageserver-protocol';
import { LspClient } from '../../../test/support/lsp-client.js';
import { at, codes, textIn, waitUntil } from './helpers.js';

/** More KPI files than the release that makes the server collect (LARGE_RELEASE). */
const FILES = 120;

const METRICS = Array.from({ length: FILES }, (_, index) => `/** Calls of queue ${index}. */\nmetric calls_${index} "Calls ${index}" { unit count }`).join('\n') + '\n';

function kpiFile(index: number, metric = `calls_${index}`): string {
    return [
        'import "./metrics.kra"',
        `kpi handled_${index} "Handled ${index}" {`,
        `  description "Calls of queue ${index} answered."`,
        `  formula ${metric}`,
        '  unit count',
        '}',
        ''
    ].join('\n');
}

let workspace: string;
let client: LspClient;

beforeAll(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'kra-lsp-released-'));
    writeFileSync(path.join(workspace, 'metrics.kra'), METRICS);
    for (let index = 0; index < FILES; index++) {
        writeFileSync(path.join(workspace, `kpi_${index}.kra`), kpiFile(index));
    }
    client = await LspClient.start({ workspace });
    await waitUntil(() => client.diagnostics.size >= FILES + 1, 60_000, 'the diagnostics of every file');
    // A configuration that turns a rule off: every file is checked again, every tree restored and released.
    const first = client.uri('kpi_0.kra');
    const rule = String(client.diagnostics.get(first)?.[0]?.code);
    expect(rule).toMatch(/\//);
    writeFileSync(path.join(workspace, 'kra.config.yaml'), `rules:\n  ${rule}: off\n`);
    await client.filesChanged([{ uri: client.uri('kra.config.yaml'), type: 1 }]);
    await client.waitForDiagnostics(first, diagnostics => !codes(diagnostics).includes(rule));
    // A second without changes: the server collects what the release left.
    await new Promise(resolve => setTimeout(resolve, 1500));
}, 90_000);

afterAll(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
});

describe('released syntax trees over the protocol', () => {
    it('goes to a definition, hovers and finds references in closed files', async () => {
        const uri = await client.open('kpi_7.kra');
        const text = kpiFile(7);
        const position = at(text, 'calls_7', 2);
        const definition = await client.request<Location[] | Location>('textDocument/definition', { textDocument: { uri }, position });
        const target = (Array.isArray(definition) ? definition[0] : definition) as Location & { targetUri?: string; targetSelectionRange?: Range };
        expect(target.uri ?? target.targetUri).toBe(client.uri('metrics.kra'));
        expect(textIn(METRICS, target.range ?? target.targetSelectionRange!)).toBe('calls_7');
        const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position });
        expect(JSON.stringify(hover.contents)).toContain('Calls of queue 7.');
        const references = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: true } });
        expect(references.map(reference => `${path.basename(new URL(reference.uri).pathname)} ${textIn(reference.uri === uri ? text : METRICS, reference.range)}`).sort())
            .toEqual(['kpi_7.kra calls_7', 'metrics.kra calls_7']);
    });

    it('checks the files that use a declaration renamed in an open file, and a save', async () => {
        const uri = await client.open('metrics.kra');
        await client.change(uri, METRICS.replace('metric calls_3 ', 'metric dropped_3 '));
        const broken = await client.waitForDiagnostics(client.uri('kpi_3.kra'), diagnostics => codes(diagnostics).includes('structure/unresolved-reference'));
        expect(broken.map(diagnostic => diagnostic.range.start.line)).toContain(3);
        await client.save(uri);
        // The save's slow checks: the renamed metric is used by no KPI.
        const unused = await client.waitForDiagnostics(uri, diagnostics => codes(diagnostics).includes('metrics/unused'));
        expect(unused.filter(diagnostic => String(diagnostic.code) === 'metrics/unused').map(diagnostic => diagnostic.range.start.line)).toEqual([7]);
        await client.change(uri, METRICS);
        await client.waitForDiagnostics(client.uri('kpi_3.kra'), diagnostics => !codes(diagnostics).includes('structure/unresolved-reference'));
        expect(client.alive).toBe(true);
    });
});
