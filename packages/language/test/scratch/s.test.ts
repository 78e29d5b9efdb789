import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildWorkspace, summarise } from '../test-utils.js';
it('scratch', async () => {
    const text = readFileSync(new URL('../resources/corpus/contact-centre.kra', import.meta.url), 'utf8');
    const ws = await buildWorkspace({ 'a.kra': text });
    console.log(summarise(ws.diagnostics()));
});
