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
    dataFormat, evaluateModel, formatDataProblem, mergeData, parseDataFile, validateEvaluation,
    type DataFile, type EvaluationResult
} from '@kra-lang/compiler/evaluate';
import { loadWorkspace, resolveTarget } from '@kra-lang/language/node';
import { collectFindings } from '../report/findings.js';
import { formatStylish } from '../report/stylish.js';
import { loadOrReport, noteWholeWorkspace, type Output } from './shared.js';

export interface EvaluationRequest {
    /** A data file, or a folder of them. */
    readonly data: string;
    /** Evaluate only these periods; default every period of the data. */
    readonly periods?: readonly string[];
    readonly allowErrors: boolean;
}

export interface Evaluation {
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
    const dataPaths = await findData(command, request.data, output);
    if (typeof dataPaths === 'number') {
        return dataPaths;
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
    const errors = collectFindings(workspace.documents, process.cwd()).filter(finding => finding.severity === 'error');
    if (errors.length > 0 && !request.allowErrors) {
        output.err(formatStylish(errors, workspace.documents.length));
        output.err(`kra ${command}: the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was evaluated. Fix them, or pass --allow-errors.\n`);
        return 1;
    }
    const model = compileWorkspace({ documents: [...workspace.documents, ...workspace.library], root: URI.file(target.root) });

    const files = await readData(command, dataPaths, model.metrics.map(metric => metric.id), output);
    if (typeof files === 'number') {
        return files;
    }
    const data = mergeData(files);
    const problems = data.problems;
    problems.slice(0, MAX_PRINTED_PROBLEMS).forEach(problem => output.err(`${formatDataProblem(problem)}\n`));
    if (problems.length > MAX_PRINTED_PROBLEMS) {
        output.err(`... and ${problems.length - MAX_PRINTED_PROBLEMS} more\n`);
    }
    const dataErrors = problems.filter(problem => problem.severity === 'error').length;
    if (dataErrors > 0) {
        output.err(`kra ${command}: ${dataErrors} error${dataErrors === 1 ? '' : 's'} in the data; nothing was evaluated.\n`);
        return 2;
    }
    if (data.rows.length === 0 && !request.periods) {
        output.err(`kra ${command}: the data has no rows; nothing to evaluate.\n`);
        return 2;
    }

    const result = evaluateModel(model, data, { periods: request.periods ? [...request.periods] : undefined });
    const schemaProblems = validateEvaluation(result);
    if (schemaProblems.length > 0) {
        output.err(`kra ${command}: internal error: the result does not match its schema:\n`);
        schemaProblems.slice(0, 20).forEach(problem => output.err(`  ${problem.path}: ${problem.message}\n`));
        output.err('This is a bug in kra; please report it with the workspace and data that trigger it.\n');
        return 2;
    }
    for (const warning of result.warnings) {
        output.err(`warning: ${warning}\n`);
    }
    return { model, result, files };
}

/** The data files: the one given, or every .csv and .json in the folder given (not in subfolders), sorted. */
async function findData(command: string, dataPath: string, output: Output): Promise<string[] | number> {
    const absolute = path.resolve(dataPath);
    let stat;
    try {
        stat = await fs.stat(absolute);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        output.err(`kra ${command}: --data ${dataPath} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'unknown error'})`}.\n`);
        return 2;
    }
    let paths: string[];
    if (stat.isDirectory()) {
        const entries = await fs.readdir(absolute, { withFileTypes: true });
        paths = entries.filter(entry => entry.isFile() && dataFormat(entry.name)).map(entry => path.join(absolute, entry.name)).sort();
        if (paths.length === 0) {
            output.err(`kra ${command}: --data ${dataPath} has no .csv or .json files.\n`);
            return 2;
        }
    } else if (dataFormat(absolute)) {
        paths = [absolute];
    } else {
        output.err(`kra ${command}: --data ${dataPath} is not a .csv or .json file.\n`);
        return 2;
    }
    return paths;
}

async function readData(command: string, paths: readonly string[], metrics: readonly string[], output: Output): Promise<DataFile[] | number> {
    const files: DataFile[] = [];
    for (const file of paths) {
        const name = path.relative(process.cwd(), file).split(path.sep).join('/') || file;
        let text: string;
        try {
            text = await fs.readFile(file, 'utf8');
        } catch (error) {
            output.err(`kra ${command}: ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).\n`);
            return 2;
        }
        files.push(parseDataFile(text, { file: name, metrics }));
    }
    return files;
}
