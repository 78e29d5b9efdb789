#!/usr/bin/env node
// The benchmark baseline: what a team without KRA Lang would run in CI over its KRAs and KPIs
// kept as YAML. Parses every .yaml file under a folder with `yaml` and validates each against
// the folder's schema.json with `ajv`. Plain JavaScript, started cold like `kra`, with Node's
// compile cache on as `kra` has it, so start-up is compared like for like.
//
//     node bench/baseline/yaml-ajv.mjs DIR/yaml
import * as nodeModule from 'node:module';

nodeModule.enableCompileCache?.();

const fs = await import('node:fs');
const path = await import('node:path');
const { parse } = await import('yaml');
const { default: Ajv } = await import('ajv');

const root = path.resolve(process.argv[2] ?? '.');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

let files = 0;
let problems = 0;
const pending = [root];
while (pending.length > 0) {
    const dir = pending.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            pending.push(file);
        } else if (entry.name.endsWith('.yaml')) {
            files++;
            const data = parse(fs.readFileSync(file, 'utf8'));
            if (!validate(data)) {
                for (const error of validate.errors ?? []) {
                    problems++;
                    process.stdout.write(`${path.relative(process.cwd(), file)}: ${error.instancePath || '/'} ${error.message}\n`);
                }
            }
        }
    }
}
process.stdout.write(`${files} YAML files, ${problems} schema problems.\n`);
process.exitCode = problems > 0 ? 1 : 0;
