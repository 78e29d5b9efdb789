/** examples/mistakes is a workspace that shows every rule firing. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules } from '../packages/language/src/index.js';
import { loadWorkspace, resolveTarget } from '../packages/language/src/node/index.js';

const MISTAKES = fileURLToPath(new URL('../examples/mistakes', import.meta.url));

describe('examples/mistakes', () => {
    it('triggers every rule', async () => {
        const workspace = await loadWorkspace([await resolveTarget(MISTAKES)]);
        const fired = new Set(workspace.documents.flatMap(document => (document.diagnostics ?? []).map(d => String(d.code))));
        const missing = allRules().map(rule => rule.id).filter(id => !fired.has(id));
        expect(missing).toEqual([]);
    });
});
