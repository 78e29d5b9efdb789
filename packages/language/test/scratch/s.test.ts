import { it } from 'vitest';
import { buildWorkspace, summarise } from '../test-utils.js';
const cases: Record<string, string> = {
  missingBrace: 'metric calls\nkpi aht {\n  unit seconds\n\nkpi fcr { formula calls }\n',
  badField: 'metric calls\nkpi aht {\n  colour red\n  unit seconds\n}\nkpi fcr { formula calls }\n',
  unknownKeyword: 'metrik calls\nmetric ok\nkpi k { formula ok }\n',
  invalidChar: 'metric calls\nkpi k { formula calls # 2 }\nkpi j { formula calls }',
  invalidChar2: 'metric café\nmetric ok',
  unterminated: 'metric calls "Calls\nmetric ok\nkpi k { formula ok }',
  unterminatedComment: 'metric ok\n/* never ends\nmetric x',
  empty: '',
  comments: '// just a comment\n/* and a block */\n/** doc */\n',
  missingValue: 'kpi k {\n  target at least by 2026-12-31\n}\nmetric after\nkpi j { formula after }',
  extraClose: 'metric a }\nmetric b\nkpi j { formula b }',
  eof: 'kpi k {\n  unit',
  formulaErr: 'metric a\nkpi k {\n  formula a + * 2\n  unit count\n}\nkpi j { formula a }',
  badDate: 'objective o { by 2026-1-01 }',
  hyphenId: 'metric talk-time',
};
it('scratch', async () => {
  for (const [name, text] of Object.entries(cases)) {
    const ws = await buildWorkspace({ 'a.kra': text });
    const d = ws.document('a.kra');
    console.log(name, JSON.stringify(summarise(ws.diagnostics()), null, 1), (d.parseResult.value as any).declarations.map((x: any) => `${x.$type}:${x.name}`).join(','));
  }
});
