/**
 * The formatter (shared by `kra fmt` and the language server) on every .kra file in the
 * repository: idempotent, keeps every comment, and never changes the syntax tree.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CstUtils, EmptyFileSystem, URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { createKraServices } from '../packages/language/src/index.js';
import { shape } from './fuzz/properties.js';
import { kraFiles } from './support/kra-files.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { shared, Kra } = createKraServices(EmptyFileSystem);

function parse(text: string, name: string) {
    return shared.workspace.LangiumDocumentFactory.fromString(text, URI.file(`/virtual/${name}`));
}

function comments(text: string, name: string): string[] {
    const root = parse(text, name).parseResult.value.$cstNode!;
    return CstUtils.flattenCst(root).filter(leaf => leaf.hidden).map(leaf => leaf.text.trimEnd().replace(/\s+/g, ' ')).toArray();
}

const files = kraFiles(REPO).map(file => path.relative(REPO, file));

describe('formatter', () => {
    it('finds the repository\'s .kra files', () => {
        expect(files.length).toBeGreaterThan(20);
    });

    it('puts `missing as zero` on a line of its own, as every metric field', () => {
        const text = 'metric m { unit count   missing  as   zero aggregate by sum }\nmetric missing {\n  unit count\n      missing as zero\n}\n';
        expect(Kra.lsp.Formatter.formatText(parse(text, 'missing.kra'))).toBe(
            'metric m {\n  unit count\n  missing as zero\n  aggregate by sum\n}\n\nmetric missing {\n  unit count\n  missing as zero\n}\n');
    });

    it.each(files)('%s', file => {
        const text = readFileSync(path.join(REPO, file), 'utf8');
        const document = parse(text, file);
        const formatted = Kra.lsp.Formatter.formatText(document);
        if (formatted === undefined) {
            // Files with syntax errors are left alone, on purpose.
            expect(document.parseResult.lexerErrors.length + document.parseResult.parserErrors.length).toBeGreaterThan(0);
            return;
        }
        const again = Kra.lsp.Formatter.formatText(parse(formatted, file));
        expect(again, 'idempotent').toBe(formatted);
        expect(shape(parse(formatted, file).parseResult.value), 'same syntax tree').toEqual(shape(document.parseResult.value));
        expect(comments(formatted, file), 'every comment kept').toEqual(comments(text, file));
    });
});
