/**
 * `kra eval --data` with raw files: which files are raw rows of a source, aggregated by DuckDB
 * into the evaluator's data rows; the rest is aggregated data, read as before.
 */
import * as path from 'node:path';
import type { KraModel } from '@kra-lang/compiler';
import { dataFormat, type DataFile } from '@kra-lang/compiler/evaluate';
import type { Output } from '../commands/shared.js';
import { ConnectionError, RawDataError } from './errors.js';
import { assignFiles, postgresSources } from './raw-files.js';
import { ExitCode } from '../exit-code.js';

export interface RawData {
    /** Aggregated data files, still to be read. */
    readonly aggregated: string[];
    /** The aggregates of the raw files, as data files. */
    readonly files: DataFile[];
}

export function displayPath(file: string): string {
    return path.relative(process.cwd(), file).split(path.sep).join('/') || file;
}

/** Exit code 2 (after printing why) when a raw file does not fit its source. */
export async function loadRawData(
    model: KraModel, dataPaths: readonly string[], output: Output, options: { engine: 'duckdb' | 'postgres'; urlVariable?: string }
): Promise<RawData | number> {
    // With PostgreSQL, sources with a table are read from the database, not from files.
    const fromDatabase = options.engine === 'postgres' ? postgresSources(model) : [];
    const assignment = assignFiles(model, dataPaths, displayPath, new Set(fromDatabase.map(source => source.id)));
    const unreadable = assignment.aggregated.filter(file => !dataFormat(file));
    const problems = [
        ...assignment.problems,
        ...unreadable.map(file => `${displayPath(file)}: no source of the workspace reads this file (its name matches no source's \`file\` or \`table\`), and aggregated data must be .csv or .json.`)
    ];
    if (problems.length > 0) {
        problems.forEach(problem => output.err(`${problem}\n`));
        output.err('kra eval: the data does not fit the workspace\'s sources; nothing was evaluated.\n');
        return ExitCode.failure;
    }
    try {
        // Each engine is loaded only when used: DuckDB's native library and pg cost start-up time.
        const files = assignment.raw.length === 0 ? [] : await (await loadDuckdb()).aggregateRawData(assignment.raw, model.metrics, {
            display: displayPath,
            progress: line => output.err(`${line}\n`)
        });
        if (options.engine === 'postgres') {
            const { aggregateOnPostgres } = await import('./postgres-engine.js');
            files.push(...await aggregateOnPostgres(model, { urlVariable: options.urlVariable }, source => `table ${source.table!.join('.')} (source ${source.id})`));
        }
        return { aggregated: assignment.aggregated, files };
    } catch (error) {
        if (error instanceof ConnectionError) {
            output.err(`kra eval: ${error.message}\n`);
            return ExitCode.failure;
        }
        if (error instanceof EngineMissing) {
            output.err(`kra eval: ${error.message}\n`);
            return ExitCode.failure;
        }
        if (error instanceof RawDataError) {
            output.err(`${error.message}\n`);
            output.err('kra eval: the raw data does not fit its source declarations; nothing was evaluated.\n');
            return ExitCode.failure;
        }
        throw error;
    }
}

class EngineMissing extends Error {}

/** The DuckDB engine; the editor extension's bundled kra has no DuckDB, and says so. */
async function loadDuckdb(): Promise<typeof import('./duckdb-engine.js')> {
    try {
        return await import('./duckdb-engine.js');
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
            throw new EngineMissing('raw data needs DuckDB, which this kra does not have (the editor extension\'s kra ships without it); install the kra command from npm (`npm install -g @kra-lang/cli`) and run it again.');
        }
        throw error;
    }
}
