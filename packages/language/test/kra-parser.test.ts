/**
 * KraParser (src/parser/kra-parser.ts) replaces the last step of Langium's parse with a faster
 * one; it must give exactly what Langium's own parser gives: the same AST, the same containers
 * and the same errors, on valid and broken text alike. It also notes the nodes given a field
 * twice, which must be every node the rule structure/duplicate-field can report.
 */
import { createLangiumParser, EmptyFileSystem } from 'langium';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kraFiles } from '../../../test/support/kra-files.js';
import { describe, expect, it } from 'vitest';
import { createKraServices } from '../src/index.js';
import { astNodes } from '../src/model/ast-walk.js';
import { fieldGivenTwice } from '../src/parser/kra-parser.js';
import { fieldNodes } from '../src/validation/rules/structure/duplicate-field.js';
import fc from 'fast-check';
import { validWorkspace } from '../../../test/fuzz/generate.js';
import { KraParser } from '../src/parser/kra-parser.js';
import { describeTree } from './tree-rows.js';

const FOLDERS = [new URL('./resources/', import.meta.url), new URL('./rules/', import.meta.url), new URL('../../../examples/', import.meta.url)]
    .map(url => fileURLToPath(url))
    .filter(folder => existsSync(folder));

const BROKEN = [
    '', 'kpi', 'kpi k {', 'kpi k { formula a + }', 'kpi k { target at least }\nmetric m',
    'metric m { unit }\n/* open', 'department d { kra x { kpi y { formula (a + b } } }',
    'role r { carries a. }', 'kpi k { thresholds green between 1 and, red otherwise }', '"unterminated\nmetric m'
];

describe('KraParser', () => {
    const { Kra } = createKraServices(EmptyFileSystem);
    const langium = createLangiumParser(Kra);

    it('is the parser the services use', () => {
        expect(Kra.parser.LangiumParser).toBeInstanceOf(KraParser);
    });

    it('gives the trees, containers and errors of Langium\'s parser', () => {
        const texts = [...FOLDERS.flatMap(kraFiles).map(file => readFileSync(file, 'utf8')), ...BROKEN];
        expect(texts.length).toBeGreaterThan(50);
        for (const text of texts) {
            const ours = Kra.parser.LangiumParser.parse(text);
            const theirs = langium.parse(text);
            expect(describeTree(ours.value).rows).toEqual(describeTree(theirs.value).rows);
            expect(ours.lexerErrors).toEqual(theirs.lexerErrors);
            expect(ours.parserErrors.map(error => [error.message, error.token.startOffset])).toEqual(theirs.parserErrors.map(error => [error.message, error.token.startOffset]));
        }
    });

    it('never throws: where Langium\'s parser fails, the file counts as empty with an error where reading stopped', () => {
        const failing = 'kpi k "K" { formula if then over';
        expect(() => langium.parse(failing)).toThrow(); // Langium 4.4; drop this case once Langium recovers
        const result = Kra.parser.LangiumParser.parse(failing);
        expect(result.value.$type).toBe('KraFile');
        expect(result.value.$cstNode?.astNode).toBe(result.value);
        expect(result.parserErrors.at(-1)?.message).toContain("could not read this file past a syntax error at 'over'");
        expect(result.parserErrors.at(-1)?.token.startOffset).toBe(failing.indexOf('over'));
        // The parser's state was reset: the next text parses as Langium parses it.
        const next = 'metric calls "Calls" {\n  unit count\n}\n';
        expect(describeTree(Kra.parser.LangiumParser.parse(next).value).rows).toEqual(describeTree(langium.parse(next).value).rows);
    });

    it('notes every node that structure/duplicate-field can report, and few others', () => {
        const generated = fc.sample(validWorkspace, { seed: 20261206, numRuns: 30 }).flatMap(workspace => Object.values(workspace.files));
        const texts = [...FOLDERS.flatMap(kraFiles).map(file => readFileSync(file, 'utf8')), ...generated];
        let nodes = 0;
        let noted = 0;
        let duplicated = 0;
        for (const text of texts) {
            const result = Kra.parser.LangiumParser.parse(text);
            if (result.lexerErrors.length > 0 || result.parserErrors.length > 0) {
                continue; // the rule walks every node of a file with syntax errors
            }
            for (const node of astNodes(result.value)) {
                nodes++;
                noted += fieldGivenTwice(node) ? 1 : 0;
                const properties = Kra.shared.AstReflection.getTypeMetaData(node.$type).properties;
                const fields = fieldNodes(node);
                const twice = Object.values(properties).filter(property => !Array.isArray(property.defaultValue) && (fields.get(property.name)?.length ?? 0) > 1);
                if (twice.length > 0) {
                    duplicated++;
                    expect(fieldGivenTwice(node), `${node.$type} in:\n${text}`).toBe(true);
                }
            }
        }
        expect(duplicated).toBeGreaterThan(3);
        expect(noted).toBeLessThan(nodes / 100);
    });
});
