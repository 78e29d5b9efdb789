import fs from 'node:fs';
const [file, mb] = [process.argv[2], Number(process.argv[3])];
let out = ''; let i = 0;
while (out.length < mb * 1e6) {
  out += `metric m${i} "Metric ${i}" {\n  description "Counts things for number ${i}."\n  unit count\n  additive\n}\n\nkpi k${i} "KPI ${i}" {\n  formula m${i} + 1\n  unit count\n  higher is better\n  target at least 10 by 2026-12-31\n}\n\n`;
  i++;
}
fs.mkdirSync(process.argv[2].replace(/\/[^/]*$/, ''), { recursive: true });
fs.writeFileSync(file, out);
console.log(i, out.length);
