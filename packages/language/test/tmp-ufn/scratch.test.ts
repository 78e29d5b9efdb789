import { it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildWorkspace, summarise } from '../test-utils.js';
it('scratch', async () => {
  const target = process.env.UFN!;
  const files: Record<string, string> = {};
  if (statSync(target).isDirectory()) {
    for (const f of readdirSync(target)) if (f.endsWith('.kra')) files[f] = readFileSync(path.join(target, f), 'utf8');
  } else files['a.kra'] = readFileSync(target, 'utf8');
  const ws = await buildWorkspace(files);
  for (const [name, d] of ws.documents) for (const line of summarise(d.diagnostics ?? [])) if (!process.env.UFN_FILTER || line.startsWith(process.env.UFN_FILTER)) console.log('@@', name, line);
});
