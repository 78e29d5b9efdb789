/**
 * The registry of declaration kinds (src/kinds.ts) against the grammar: every named type of the
 * grammar has an entry and every entry is a named type; every reference type has a label; the
 * keywords it lists are the grammar's; the editor kinds it names exist in the protocol. Adding
 * a construct to the grammar without an entry fails here, naming the type.
 */
import { AstUtils, GrammarAST } from 'langium';
import { describe, expect, it } from 'vitest';
import { CompletionItemKind, SemanticTokenTypes, SymbolKind } from 'vscode-languageserver-types';
import { reflection } from '../src/generated/ast.js';
import { KraLangGrammar } from '../src/generated/grammar.js';
import { DECLARATION_KINDS, REFERENCE_LABELS, TOP_LEVEL_DECLARATIONS } from '../src/kinds.js';
import { kindLabel } from '../src/validation/describe.js';
import { qualifiedName } from '../src/scoping/qualified-names.js';
import { buildWorkspace } from './test-utils.js';

const TYPES = Object.values(reflection.types);
const KEYWORDS = new Set(AstUtils.streamAllContents(KraLangGrammar()).filter(GrammarAST.isKeyword).map(keyword => keyword.value));

describe('the registry of declaration kinds', () => {
    it('has an entry for exactly the grammar\'s named types', () => {
        const named = TYPES.filter(type => 'name' in type.properties).map(type => type.name).sort();
        expect(Object.keys(DECLARATION_KINDS).sort()).toEqual(named);
    });

    it('labels every type the grammar refers to', () => {
        const referenced = new Set(TYPES.flatMap(type => Object.values(type.properties as Record<string, { referenceType?: string }>)
            .flatMap(property => (property.referenceType ? [property.referenceType] : []))));
        const unlabelled = [...referenced].filter(type => !(type in REFERENCE_LABELS));
        expect(unlabelled).toEqual([]);
    });

    it('lists top-level keywords for exactly the grammar\'s declarations, each a keyword of the grammar', () => {
        const declarations = TYPES.filter(type => (type.superTypes as readonly string[]).includes('Declaration')).map(type => type.name).sort();
        const withKeyword = Object.entries(DECLARATION_KINDS).filter(([, kind]) => kind.keyword).map(([type]) => type).sort();
        expect(withKeyword).toEqual(declarations);
        for (const keyword of TOP_LEVEL_DECLARATIONS) {
            expect(keyword.split(' ').every(word => KEYWORDS.has(word)), keyword).toBe(true);
        }
    });

    it('names field-start keywords of the grammar and editor kinds of the protocol', () => {
        const tokenTypes = new Set<string>(Object.values(SemanticTokenTypes));
        for (const [type, kind] of Object.entries(DECLARATION_KINDS)) {
            expect(kind.fieldStarts.filter(keyword => !KEYWORDS.has(keyword)), type).toEqual([]);
            expect(SymbolKind[kind.symbol as keyof typeof SymbolKind], `${type}.symbol`).toBeTypeOf('number');
            expect(CompletionItemKind[kind.completion as keyof typeof CompletionItemKind], `${type}.completion`).toBeTypeOf('number');
            expect(tokenTypes.has(kind.token), `${type}.token`).toBe(true);
        }
    });

    it('drives messages and qualified names', async () => {
        expect(kindLabel('RatingScale')).toBe('rating scale');
        expect(kindLabel('SomethingElse')).toBe('SomethingElse');
        const workspace = await buildWorkspace({ 'a.kra': 'department ops { kra service { kpi aht { variant acme { } } } }\nsource calls { }' });
        const names = AstUtils.streamAllContents(workspace.document('a.kra').parseResult.value)
            .filter(node => node.$type in DECLARATION_KINDS).map(node => qualifiedName(node as typeof node & { name: string })).toArray();
        expect(names).toEqual(['ops', 'ops.service', 'ops.service.aht', 'ops.service.aht.acme', 'calls']);
    });
});
