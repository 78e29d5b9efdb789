/**
 * The benchmark smoke test, for CI: generates the S organisation into a temporary folder and runs
 * `kra check` and `kra build` on it once each, checking that they do what they should (the planted
 * problems are found, the model is written). No timing assertions; well under a minute.
 *
 *     npm run bench:smoke
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KRA = path.join(ROOT, 'packages/cli/bin/kra.js');
const started = performance.now();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-bench-smoke-'));
const problems: string[] = [];

function run(label: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    process.stdout.write(`${label}: exit ${result.status} in ${Math.round(performance.now() - start)} ms\n`);
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

try {
    const data = path.join(work, 'S');
    const generated = run('generate S', ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', path.join(ROOT, 'bench/generate.ts'), '--size', 'S', '--out', data]);
    if (generated.status !== 0) {
        throw new Error(`bench/generate.ts failed:\n${generated.stderr}`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(data, 'manifest.json'), 'utf8')) as {
        counts: { files: number; kpis: number }; violations: Array<{ file: string; rule: string }>;
    };

    // check: exit 1 (the planted weights/sum error), and every planted problem reported where it was put.
    const check = run('kra check S', [KRA, 'check', data, '--format', 'json']);
    if (check.status !== 1) {
        problems.push(`kra check exited ${check.status}, expected 1 (the planted error):\n${check.stderr}`);
    } else {
        const report = JSON.parse(check.stdout) as { files: Array<{ path: string; findings: Array<{ rule: string }> }> };
        const found = report.files.flatMap(file => file.findings.map(finding => `${file.path.split(path.sep).join('/')}: ${finding.rule}`));
        for (const violation of manifest.violations) {
            if (!found.some(finding => finding.endsWith(`${violation.file}: ${violation.rule}`))) {
                problems.push(`kra check did not report ${violation.rule} in ${violation.file}`);
            }
        }
        if (found.length !== manifest.violations.length) {
            problems.push(`kra check reported ${found.length} problems, expected the ${manifest.violations.length} planted ones:\n  ${found.join('\n  ')}`);
        }
    }

    // build: writes a model with every KPI.
    const out = path.join(work, 'build');
    const build = run('kra build S', [KRA, 'build', data, '--out', out, '--allow-errors']);
    const modelFile = path.join(out, 'kra-model.json');
    if (build.status !== 0 || !fs.existsSync(modelFile)) {
        problems.push(`kra build exited ${build.status} without writing kra-model.json:\n${build.stderr}`);
    } else {
        const model = JSON.parse(fs.readFileSync(modelFile, 'utf8')) as { kpis: unknown[] };
        if (model.kpis.length !== manifest.counts.kpis) {
            problems.push(`kra build wrote ${model.kpis.length} KPIs, expected ${manifest.counts.kpis}`);
        }
    }

    // The YAML baseline runs and its twin is valid against its schema.
    const baseline = run('yaml+ajv S', [path.join(ROOT, 'bench/baseline/yaml-ajv.mjs'), path.join(data, 'yaml')]);
    if (baseline.status !== 0) {
        problems.push(`the YAML baseline found problems in the YAML twin:\n${baseline.stdout.slice(0, 2000)}`);
    }
} catch (error) {
    problems.push((error as Error).message);
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
    process.stderr.write(`bench:smoke FAILED:\n- ${problems.join('\n- ')}\n`);
    process.exitCode = 1;
} else {
    process.stdout.write(`bench:smoke passed in ${Math.round((performance.now() - started) / 1000)} s.\n`);
}
