import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateModel, type KraModel } from '@kra-lang/compiler';
import { BIN, REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const EXAMPLE = path.join(REPO, 'examples/contact-centre');
const { root: scratch } = scratchFolder('kra-build-');

function kra(args: string[]) {
    return runKra(args);
}

function write(dir: string, files: Record<string, string>): string {
    for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
    }
    return dir;
}

describe('kra build', () => {
    it('compiles the example to JSON that validates against the published schema', async () => {
        const out = path.join(scratch, 'json');
        const result = await kra(['build', EXAMPLE, '--out', out]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const model = JSON.parse(readFileSync(path.join(out, 'kra-model.json'), 'utf8')) as KraModel;
        expect(validateModel(model)).toEqual([]);
        expect(model.$schema).toBe('https://kra-lang.dev/schemas/kra-model/v2.json');
        expect(model.kpis.length).toBeGreaterThanOrEqual(25);
        const kpi = model.kpis.find(candidate => candidate.formula !== null)!;
        expect(kpi.formula!.text.length).toBeGreaterThan(0);
        expect(kpi.source.file).toMatch(/\.kra$/);
        expect(kpi.source.line).toBeGreaterThan(0);
    });

    it('is deterministic: two builds give byte-identical files', async () => {
        const first = path.join(scratch, 'det1');
        const second = path.join(scratch, 'det2');
        expect((await kra(['build', EXAMPLE, '--out', first, '--split'])).code).toBe(0);
        expect((await kra(['build', EXAMPLE, '--out', second, '--split'])).code).toBe(0);
        const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter(f => f.endsWith('.json')).sort();
        expect(files(first)).toEqual(files(second));
        for (const file of files(first)) {
            expect(readFileSync(path.join(second, file), 'utf8'), file).toBe(readFileSync(path.join(first, file), 'utf8'));
        }
    });

    it('writes YAML with --format yaml, and one valid file per department and role with --split', async () => {
        const out = path.join(scratch, 'yaml');
        expect((await kra(['build', EXAMPLE, '--out', out, '--format', 'yaml', '--split'])).code).toBe(0);
        const model = parseYaml(readFileSync(path.join(out, 'kra-model.yaml'), 'utf8')) as KraModel;
        expect(validateModel(model)).toEqual([]);
        for (const role of model.roles) {
            const slice = parseYaml(readFileSync(path.join(out, 'roles', `${role.id}.yaml`), 'utf8')) as KraModel;
            expect(validateModel(slice)).toEqual([]);
            expect(slice.roles.map(r => r.id)).toEqual([role.id]);
            for (const use of slice.roles[0].kras) {
                expect(slice.kras.map(kra => kra.id)).toContain(use.kra);
            }
        }
        expect(readdirSync(path.join(out, 'departments')).length).toBe(model.departments.length);
    });

    it('refuses to write when the workspace has errors, unless --allow-errors', async () => {
        const workspace = write(path.join(scratch, 'broken'), { 'a.kra': 'metric m { unit cont }\n' });
        const out = path.join(scratch, 'broken-out');
        const refused = await kra(['build', workspace, '--out', out]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('nothing was written');
        expect(existsSync(out)).toBe(false);
        const allowed = await kra(['build', workspace, '--out', out, '--allow-errors']);
        expect(allowed.code).toBe(0);
        expect(existsSync(path.join(out, 'kra-model.json'))).toBe(true);
    });

    it('gives a clear error when --out is a file, and writes nothing', async () => {
        const file = path.join(scratch, 'not-a-folder');
        writeFileSync(file, 'keep me');
        const result = await kra(['build', EXAMPLE, '--out', file]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('exists and is not a folder');
        expect(readFileSync(file, 'utf8')).toBe('keep me');
    });

    it('needs --out; given a file, builds the whole workspace it belongs to', async () => {
        expect((await kra(['build', EXAMPLE])).code).toBe(2);
        const fromFolder = await kra(['build', EXAMPLE, '--out', path.join(scratch, 'from-folder')]);
        const fromFile = await kra(['build', path.join(EXAMPLE, 'organisation.kra'), '--out', path.join(scratch, 'from-file')]);
        expect(fromFile.code, fromFile.stderr).toBe(0);
        expect(fromFile.stderr).toContain('organisation.kra is part of the workspace at examples/contact-centre; using the whole workspace.');
        expect(readFileSync(path.join(scratch, 'from-file/kra-model.json'), 'utf8')).toBe(readFileSync(path.join(scratch, 'from-folder/kra-model.json'), 'utf8'));
        expect(fromFolder.stderr).toBe('');
    });

    it('kra schema prints the published schema', async () => {
        const result = await kra(['schema']);
        expect(result.code).toBe(0);
        const schema = JSON.parse(result.stdout) as { $id: string; $schema: string };
        expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
        expect(schema).toEqual(JSON.parse(readFileSync(path.join(REPO, 'packages/compiler/schemas/kra-model.schema.json'), 'utf8')));
    });

    it('kra schema config prints the schema of kra.config.yaml, the one the VS Code extension ships', async () => {
        const result = await kra(['schema', 'config']);
        expect(result.code).toBe(0);
        const schema = JSON.parse(result.stdout) as { $id: string; properties: { rules: { properties: Record<string, unknown> } } };
        expect(schema.$id).toBe('https://kra-lang.dev/schemas/kra-config/v1.json');
        expect(Object.keys(schema.properties.rules.properties)).toContain('weights/sum');
        // Regenerate with: npx kra schema config > packages/vscode/schemas/kra-config.schema.json
        expect(schema).toEqual(JSON.parse(readFileSync(path.join(REPO, 'packages/vscode/schemas/kra-config.schema.json'), 'utf8')));
    });

    it('leaves the previous output intact when the build is killed while writing', async () => {
        // A workspace big enough that writing takes a while: 3,000 KPIs.
        const lines = ['metric calls "Calls" {', '  unit count', '}', 'department big "Big" {'];
        for (let k = 0; k < 60; k++) {
            lines.push(`  kra area_${k} "Area ${k}" {`);
            for (let i = 0; i < 50; i++) {
                lines.push(`    kpi k_${k}_${i} "KPI ${k}/${i}" {`, '      formula calls * 2', '      unit count', '    }');
            }
            lines.push('  }');
        }
        lines.push('}');
        const workspace = write(path.join(scratch, 'big'), { 'big.kra': lines.join('\n') });
        const out = path.join(scratch, 'big-out');
        const started = Date.now();
        expect((await kra(['build', workspace, '--out', out, '--allow-errors'])).code).toBe(0);
        const buildMs = Date.now() - started;
        const previous = readFileSync(path.join(out, 'kra-model.json'), 'utf8');
        // Change the workspace, then kill builds at increasing fractions of a build's duration,
        // the last ones during the write. A build that finishes first is fine too.
        writeFileSync(path.join(workspace, 'big.kra'), lines.join('\n').replace(/calls \* 2/g, 'calls * 3'));
        for (const fraction of [0.2, 0.4, 0.6, 0.8, 0.9, 1.0]) {
            const child = spawn(process.execPath, [BIN, 'build', workspace, '--out', out, '--allow-errors'], { stdio: 'ignore' });
            const exited = new Promise(resolve => child.once('exit', resolve));
            await new Promise(resolve => setTimeout(resolve, Math.round(buildMs * fraction)));
            child.kill('SIGKILL');
            await exited;
            const text = readFileSync(path.join(out, 'kra-model.json'), 'utf8');
            const model = JSON.parse(text) as KraModel; // never half-written
            expect(validateModel(model)).toEqual([]);
            expect(text === previous || text.includes('"text": "calls * 3"')).toBe(true);
        }
        // The next build cleans up what killed builds left behind.
        expect((await kra(['build', workspace, '--out', out, '--allow-errors'])).code).toBe(0);
        expect(readdirSync(out).filter(file => file.endsWith('.tmp'))).toEqual([]);
    }, 180_000);
});
