import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

export const WORKSPACE = fileURLToPath(new URL('./workspace', import.meta.url));

/** A fresh copy of the test workspace in a temporary folder. */
export function copyWorkspace(): string {
    const folder = mkdtempSync(path.join(tmpdir(), 'kra-lsp-'));
    cpSync(WORKSPACE, folder, { recursive: true });
    return folder;
}

/** The position of `needle` in `text` (its `occurrence`-th match), moved `delta` characters on. */
export function at(text: string, needle: string, delta = 0, occurrence = 0): Position {
    let offset = -1;
    for (let i = 0; i <= occurrence; i++) {
        offset = text.indexOf(needle, offset + 1);
        if (offset < 0) {
            throw new Error(`'${needle}' (occurrence ${occurrence}) not found`);
        }
    }
    return positionAt(text, offset + delta);
}

/** The position just after `needle`. */
export function after(text: string, needle: string, occurrence = 0): Position {
    return at(text, needle, needle.length, occurrence);
}

export function positionAt(text: string, offset: number): Position {
    return TextDocument.create('file:///x', 'kra', 1, text).positionAt(offset);
}

export function textIn(text: string, range: Range): string {
    return TextDocument.create('file:///x', 'kra', 1, text).getText(range);
}

export function applyEdits(text: string, edits: TextEdit[]): string {
    return TextDocument.applyEdits(TextDocument.create('file:///x', 'kra', 1, text), edits);
}

/** The edits a workspace edit makes to one document. */
export function editsFor(edit: WorkspaceEdit | null | undefined, uri: string): TextEdit[] {
    return edit?.changes?.[uri] ?? [];
}

export function messageOf(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

export function codes(diagnostics: Diagnostic[]): string[] {
    return diagnostics.map(diagnostic => String(diagnostic.code));
}

export interface DecodedToken {
    readonly line: number;
    readonly character: number;
    readonly length: number;
    readonly type: string;
    readonly modifiers: string[];
}

/** Decodes LSP semantic tokens (relative encoding) with the server's legend. */
export function decodeTokens(data: number[], legend: { tokenTypes: string[]; tokenModifiers: string[] }): DecodedToken[] {
    const tokens: DecodedToken[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
        const [deltaLine, deltaStart, length, type, modifiers] = data.slice(i, i + 5);
        line += deltaLine;
        character = deltaLine === 0 ? character + deltaStart : deltaStart;
        tokens.push({
            line, character, length,
            type: legend.tokenTypes[type],
            modifiers: legend.tokenModifiers.filter((_, bit) => (modifiers & (1 << bit)) !== 0)
        });
    }
    return tokens;
}

/** Polls until `condition` holds, failing after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const start = Date.now();
    while (!condition()) {
        if (Date.now() - start > timeoutMs) {
            throw new Error(`Timed out waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}
