/**
 * The facts a rule carries (RuleFacts: suppressible, scope, fix) are the ones its consumers act
 * on: the code action provider has a fixer for exactly the rules that say they have fixes, and
 * offers a suppression for exactly the suppressible ones; the validator refuses a suppression
 * comment for a rule that is not suppressible.
 */
import { EmptyFileSystem } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { allRules, isSuppressible, readsOtherDocuments, ruleFacts } from '../src/validation/rules/index.js';
import { createKraServices } from '../src/lsp/kra-lsp-module.js';
import { buildWorkspace } from './test-utils.js';

describe('rule facts', () => {
    it('the code actions have a fixer for exactly the rules that say they have fixes', () => {
        const provider = createKraServices(EmptyFileSystem).Kra.lsp.CodeActionProvider as unknown as { fixedRules(): string[] };
        const withFix = allRules().filter(rule => ruleFacts(rule.id)?.fix).map(rule => rule.id).sort();
        expect(provider.fixedRules().sort()).toEqual(withFix);
        expect(withFix).toEqual(['smart/measurable', 'smart/time-bound', 'structure/unresolved-reference', 'units/mismatch', 'weights/sum']);
    });

    it('syntax, unresolved names and the suppression rules themselves cannot be suppressed; every other rule can', () => {
        const refused = allRules().filter(rule => !isSuppressible(rule.id)).map(rule => rule.id).sort();
        expect(refused).toEqual([
            'structure/unresolved-reference', 'suppressions/missing-reason', 'suppressions/unknown-rule', 'suppressions/unused',
            'syntax/invalid-character', 'syntax/unexpected-token'
        ]);
        expect(isSuppressible('no/such-rule')).toBe(false);
        expect(readsOtherDocuments('structure/duplicate-id')).toBe(true);
        expect(readsOtherDocuments('smart/specific')).toBe(false);
    });

    it('the editor offers to suppress a suppressible rule, and the validator refuses to suppress the others', async () => {
        const workspace = await buildWorkspace({
            'a.kra': '// kra-disable-next-line structure/unresolved-reference -- not a rule one may switch off\nkpi k "K" { formula nothing }\n'
        });
        const diagnostics = workspace.diagnostics('a.kra');
        expect(diagnostics.map(diagnostic => String(diagnostic.code))).toContain('structure/unresolved-reference');
        expect(diagnostics.find(diagnostic => diagnostic.code === 'suppressions/unknown-rule')?.message)
            .toBe("'structure/unresolved-reference' cannot be suppressed: fix the file instead.");
        const provider = workspace.services.lsp.CodeActionProvider!;
        const titles = async (diagnostic: Diagnostic) => {
            const actions = await provider.getCodeActions(workspace.document('a.kra'), {
                textDocument: { uri: workspace.document('a.kra').uri.toString() }, range: diagnostic.range, context: { diagnostics: [diagnostic] }
            }) ?? [];
            return actions.map(action => action.title);
        };
        const unresolved = diagnostics.find(diagnostic => diagnostic.code === 'structure/unresolved-reference')!;
        expect((await titles(unresolved)).some(title => /suppress|disable/i.test(title))).toBe(false);
        const specific = diagnostics.find(diagnostic => diagnostic.code === 'smart/specific')!;
        expect((await titles(specific)).some(title => /smart\/specific/.test(title))).toBe(true);
    });
});
