/**
 * The benchmark generator (bench/generate.ts): deterministic, the sizes the issue asks for, a
 * YAML twin that its own schema accepts, and planted problems that `kra check` finds where the
 * manifest says (the last part runs in CI as `npm run bench:smoke`, on the built CLI).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generate, renderKraFile, renderYamlFile, writeOrganisation } from '../bench/generate.js';
import { scratchFolder } from './support/scratch.js';

const { root: scratch } = scratchFolder('kra-bench-generate-');

function filesUnder(root: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            const file = path.join(entry.parentPath, entry.name);
            files.set(path.relative(root, file), readFileSync(file, 'utf8'));
        }
    }
    return files;
}

describe('bench/generate.ts', () => {
    it('writes byte-identical organisations for the same size and seed, and another for another seed', () => {
        const first = path.join(scratch, 'first');
        const second = path.join(scratch, 'second');
        writeOrganisation({ size: 'S' }, first);
        writeOrganisation({ size: 'S' }, second);
        const a = filesUnder(first);
        expect(a.size).toBeGreaterThan(90); // .kra files, their YAML twins, the schema and the manifest
        expect(filesUnder(second)).toEqual(a);
        const other = generate({ size: 'S', seed: 7 }).files.map(renderKraFile).join('\n');
        expect(other).not.toEqual(generate({ size: 'S' }).files.map(renderKraFile).join('\n'));
    });

    it.each([
        ['S', 1_000, 50],
        ['M', 10_000, 500]
    ] as const)('size %s has %i KPIs in about %i files, with one department file of about 2,000 lines', (size, kpis, files) => {
        const generated = generate({ size });
        expect(generated.counts.kpis).toBe(kpis);
        expect(generated.counts.files).toBe(generated.files.length);
        expect(generated.files.length).toBeGreaterThan(files * 0.8);
        expect(generated.files.length).toBeLessThan(files * 1.2);
        const big = generated.files.find(file => `${file.path}.kra` === generated.bigFile);
        expect(big).toBeDefined();
        const lines = renderKraFile(big!).split('\n').length;
        expect(lines).toBeGreaterThan(1_800);
        expect(lines).toBeLessThan(2_500);
    });

    it('writes a YAML twin of every .kra file that the generated JSON Schema accepts, and the schema rejects an unknown field', () => {
        const out = path.join(scratch, 'yaml-check');
        const manifest = writeOrganisation({ size: 'S' }, out);
        const schema = JSON.parse(readFileSync(path.join(out, 'yaml', 'schema.json'), 'utf8')) as object;
        // Compiled as the baseline (bench/baseline/yaml-ajv.mjs) compiles it.
        const validate = new Ajv({ allErrors: true }).compile(schema);
        const yamlFiles = [...filesUnder(path.join(out, 'yaml')).entries()].filter(([file]) => file.endsWith('.yaml'));
        expect(yamlFiles).toHaveLength(manifest.counts.files);
        for (const [file, text] of yamlFiles) {
            expect(validate(parse(text)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
        }
        const department = generate({ size: 'S' }).files.find(file => file.path.startsWith('departments/'))!;
        const twin = parse(renderYamlFile(department)) as Record<string, unknown>;
        expect(validate(twin)).toBe(true);
        expect(validate({ ...twin, unexpected: 1 })).toBe(false);
    });

    it('lists planted violations, each in a file it wrote', () => {
        const generated = generate({ size: 'S' });
        const paths = new Set(generated.files.map(file => `${file.path}.kra`));
        expect(generated.violations.length).toBeGreaterThanOrEqual(5);
        for (const violation of generated.violations) {
            expect(paths.has(violation.file), violation.file).toBe(true);
            expect(violation.rule).toMatch(/^[a-z-]+\/[a-z-]+$/);
        }
    });
});
