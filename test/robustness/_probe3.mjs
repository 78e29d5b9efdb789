import { createKraServices } from '/work/main/packages/language/out/index.js';
import { EmptyFileSystem } from 'langium';
const { Kra } = createKraServices(EmptyFileSystem);
const n = 100000;
const cases = {
  digits: '1'.repeat(n),
  dq: '"' + 'a'.repeat(n),
  dqesc: '"' + '\\"'.repeat(n/2),
  dqesc2: '"' + '\\a'.repeat(n/2),
  stars: '/*' + '*'.repeat(n),
  starsA: '/*' + 'a*'.repeat(n/2),
  id: 'a'.repeat(n),
  periods: '2026-Q1'.repeat(n/7),
  dashes: '2026-'.repeat(n/5),
  dates: '2026-01-0'.repeat(n/9),
  fy: 'FY'.repeat(n/2),
  quotesLines: ('"' + 'x'.repeat(100) + '\n').repeat(n/100),
  bin: Array.from({length: n}, (_, i) => String.fromCharCode((i*7919)%255+1)).join(''),
};
for (const [k, text] of Object.entries(cases)) {
  const t = Date.now();
  const r = Kra.parser.Lexer.tokenize(text);
  console.log(k, Date.now() - t, 'ms', r.tokens.length, r.errors.length);
}
