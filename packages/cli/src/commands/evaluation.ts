/**
 * The steps `kra eval` and `kra report` share: find and read the data, load and check the
 * workspace, compile it and evaluate it. Each problem is reported once, in the command's name,
 * and becomes the command's exit code.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { URI } from 'langium';
import { compileWorkspace, type KraModel } from '@kra-lang/compiler';
import {
    countProblems, dataFormat, evaluateModel, formatDataProblem, parseInput, prepareInputs, validateEvaluation, type DataFile, type EvaluationResult, type ParsedInput
} from '@kra-lang/compiler/evaluate';
import { loadWorkspace, readConfig, resolveTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { loadRawData } from '../engines/raw-data.js';
import { rawFormat } from '../engines/raw-files.js';
import { withDefinitionsInForce, type DefinitionMode } from './definitions-history.js';
import { loadOrReport, noteWholeWorkspace, type Output } from './shared.js';
import { ExitCode } from '../exit-code.js';

export interface EvaluationRequest {
    /** Data files or folders of them: aggregated data, and raw rows of sources. */
    readonly data?: string | readonly string[];
    /** Where sources with a `table` are aggregated: DuckDB reads files given with --data. */
    readonly engine?: 'duckdb' | 'postgres';
    /** With --engine postgres: the variable that holds the connection URL (else the PG* variables). */
    readonly databaseUrlEnv?: string;
    /** Evaluate only these periods; default every period of the data. */
    readonly periods?: readonly string[];
    /** `history`: each closed period with the definitions committed by its end (definitions-history.ts). */
    readonly definitions?: DefinitionMode;
    readonly allowErrors: boolean;
}

export interface Evaluation {
    /** The definitions the scorecard shows: with `--definitions history`, those in force for the latest period. */
    readonly model: KraModel;
    readonly result: EvaluationResult;
    readonly files: readonly DataFile[];
}

/** Data problems printed before the rest are counted, so a broken export stays readable. */
const MAX_PRINTED_PROBLEMS = 30;

/**
 * The workspace evaluated on the data, or the exit code after the problem was reported: 1 when
 * the workspace has errors, 2 on bad data, a bad path or an internal error.
 */
export async function evaluateWorkspace(command: string, workspacePath: string, request: EvaluationRequest, output: Output): Promise<Evaluation | number> {
    const engine = request.engine ?? 'duckdb';
    if (request.data === undefined && engine === 'duckdb') {
        output.err(`kra ${command}: give the data with --data <files or folders> (or read sources' tables with --engine postgres).\n`);
        return ExitCode.failure;
    }
    const dataPaths: string[] = [];
    for (const dataPath of typeof request.data === 'string' ? [request.data] : request.data ?? []) {
        const found = await findData(command, dataPath, output);
        if (typeof found === 'number') {
            return found;
        }
        dataPaths.push(...found.filter(file => !dataPaths.includes(file)));
    }
    const target = await loadOrReport(() => resolveTarget(workspacePath), output, command);
    if (typeof target === 'number') {
        return target;
    }
    noteWholeWorkspace(command, workspacePath, target, output);
    const workspace = await loadOrReport(() => loadWorkspace([target]), output, command);
    if (typeof workspace === 'number') {
        return workspace;
    }
    // The calibration guideline, if the workspace's kra.config.yaml sets one.
    const config = await loadOrReport(() => readConfig(target.root), output, command);
    if (typeof config === 'number') {
        return config;
    }
    const errors = collectFindings(workspace.documents, process.cwd()).filter(finding => finding.severity === 'error');
    if (errors.length > 0 && !request.allowErrors) {
        output.err(formatStylish(errors, workspace.documents.length));
        output.err(`kra ${command}: the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was evaluated. Fix them, or pass --allow-errors.\n`);
        return ExitCode.errors;
    }
    const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });

    // Raw rows of sources are aggregated by DuckDB (or read from PostgreSQL); the rest is aggregated data.
    const raw = await loadRawData(model, dataPaths, output, { engine, urlVariable: request.databaseUrlEnv });
    if (typeof raw === 'number') {
        return raw;
    }
    const read = await readData(command, raw.aggregated, model, output);
    if (typeof read === 'number') {
        return read;
    }
    const { data, assignments, problems } = prepareInputs(read, raw.files);
    const files = [...read.flatMap(input => (input.kind === 'data' ? [input.file] : [])), ...raw.files];
    problems.slice(0, MAX_PRINTED_PROBLEMS).forEach(problem => output.err(`${formatDataProblem(problem)}\n`));
    if (problems.length > MAX_PRINTED_PROBLEMS) {
        output.err(`... and ${problems.length - MAX_PRINTED_PROBLEMS} more\n`);
    }
    const dataErrors = countProblems(problems, 'error');
    if (dataErrors > 0) {
        output.err(`kra ${command}: ${dataErrors} error${dataErrors === 1 ? '' : 's'} in the data; nothing was evaluated.\n`);
        return ExitCode.failure;
    }
    if (data.rows.length === 0 && !request.periods) {
        output.err(`kra ${command}: the data has no rows; nothing to evaluate.\n`);
        return ExitCode.failure;
    }

    const evaluate = (version: KraModel) => evaluateModel(version, data, { periods: request.periods ? [...request.periods] : undefined, assignments, calibration: config?.calibration });
    let result = evaluate(model);
    let shown = model;
    if (request.definitions === 'history') {
        const inForce = await withDefinitionsInForce(command, target.root, model, result, evaluate, { allowErrors: request.allowErrors }, output);
        if (typeof inForce === 'number') {
            return inForce;
        }
        ({ result, latest: shown } = inForce);
    }
    const schemaProblems = validateEvaluation(result);
    if (schemaProblems.length > 0) {
        output.err(`kra ${command}: internal error: the result does not match its schema:\n`);
        schemaProblems.slice(0, 20).forEach(problem => output.err(`  ${problem.path}: ${problem.message}\n`));
        output.err('This is a bug in kra; please report it with the workspace and data that trigger it.\n');
        return ExitCode.failure;
    }
    for (const warning of result.warnings) {
        output.err(`warning: ${warning}\n`);
    }
    return { model: shown, result, files };
}

/**
 * The data files: the one given, or every data file in the folder given (not in subfolders),
 * sorted: aggregated .csv and .json, and raw .parquet, .csv.gz, .ndjson… for sources.
 */
async function findData(command: string, dataPath: string, output: Output): Promise<string[] | number> {
    const absolute = path.resolve(dataPath);
    let stat;
    try {
        stat = await fs.stat(absolute);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        output.err(`kra ${command}: --data ${dataPath} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'unknown error'})`}.\n`);
        return ExitCode.failure;
    }
    let paths: string[];
    if (stat.isDirectory()) {
        const entries = await fs.readdir(absolute, { withFileTypes: true });
        paths = entries.filter(entry => entry.isFile() && (dataFormat(entry.name) || rawFormat(entry.name))).map(entry => path.join(absolute, entry.name)).sort();
        if (paths.length === 0) {
            output.err(`kra ${command}: --data ${dataPath} has no .csv, .json or raw data (.parquet, .csv.gz, .ndjson) files.\n`);
            return ExitCode.failure;
        }
    } else if (dataFormat(absolute) || rawFormat(absolute)) {
        paths = [absolute];
    } else {
        output.err(`kra ${command}: --data ${dataPath} is not a .csv or .json file, nor raw data (.parquet, .csv.gz, .ndjson).\n`);
        return ExitCode.failure;
    }
    return paths;
}

/** The metric data files and the assignments exports among them (told from their header). */
async function readData(command: string, paths: readonly string[], model: KraModel, output: Output): Promise<ParsedInput[] | number> {
    const inputs: ParsedInput[] = [];
    for (const file of paths) {
        const name = path.relative(process.cwd(), file).split(path.sep).join('/') || file;
        let text: string;
        try {
            text = await fs.readFile(file, 'utf8');
        } catch (error) {
            output.err(`kra ${command}: ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).\n`);
            return ExitCode.failure;
        }
        inputs.push(parseInput(name, text, model));
    }
    return inputs;
}
