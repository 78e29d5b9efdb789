import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CheckOptions } from './commands/check.js';
import type { EvalOptions } from './commands/eval.js';
import type { StudioOptions } from './commands/studio.js';
import type { ReportOptions } from './commands/report.js';
import type { SqlOptions } from './commands/sql.js';
import type { Output } from './commands/shared.js';
import * as path from 'node:path';
import { fileErrorReason, isFileError } from './files.js';
import { ExitCode } from './exit-code.js';
import { colourEnabled, useColour } from './report/colours.js';
import { CHECK_FORMATS } from './report/formats.js';
import { printableOutput } from './report/printable.js';
import { VERSION } from './version.js';

// Commands are imported when they run, so `kra --version` and `kra --help` do not load the
// language core.
export function buildProgram(output: Output): Command {
    const program = new Command('kra')
        .description('KRA Lang: check Key Result Areas and Key Performance Indicators declared as code.')
        .version(VERSION, '-v, --version', 'print the version')
        .helpOption('-h, --help', 'show help')
        .showSuggestionAfterError(true)
        .configureOutput({ writeOut: output.out, writeErr: output.err })
        .exitOverride()
        .hook('preAction', (_program, command) => refuseEmptyValues(command));

    program.command('check')
        .description('check .kra files or folders and report problems')
        .argument('[paths...]', '.kra files, workspace folders or quoted globs; - reads standard input')
        .addOption(new Option('-f, --format <format>', 'output format').choices([...CHECK_FORMATS]).default('stylish'))
        .option('--max-warnings <n>', 'exit 1 when there are more warnings than n (-1: no limit)', parseWarningLimit)
        .option('-o, --output-file <file>', 'write the report to this file instead of standard output')
        .option('-c, --config <file>', 'use this kra.config.yaml instead of the workspace\'s own')
        .option('-q, --quiet', 'report errors only', false)
        .option('--fix', 'apply the fixes that cannot change meaning (misspelt names, missing imports and units), then report what is left')
        .option('--fix-dry-run', 'print those fixes as a unified diff and change nothing')
        .option('--stdin-filename <file>', 'with the path -, the .kra file that standard input stands for (its workspace, configuration and name in messages)')
        .option('--print-config <file>', 'print the rule settings that apply to a .kra file (after presets and overrides), and check nothing')
        .option('--cache', 'check only the files whose findings may have changed since the last run with --cache, and keep the rest from the cache')
        .option('--cache-location <path>', 'the cache file, or a folder to keep .kracache in (default: .kracache in the working folder)')
        .action(async (paths: string[], options: CheckOptions & { printConfig?: string }) => {
            if (options.printConfig !== undefined) {
                program.setOptionValue('exitCode', await (await import('./commands/print-config.js')).runPrintConfig(options.printConfig, options.config, output));
                return;
            }
            if (paths.length === 0) {
                program.error("error: missing required argument 'paths'", { exitCode: ExitCode.failure });
            }
            if (options.fix && options.fixDryRun) {
                program.error('error: --fix and --fix-dry-run exclude each other: use one.', { exitCode: ExitCode.failure });
            }
            program.setOptionValue('exitCode', await (await import('./commands/check.js')).runCheck(paths, options, output));
        });

    program.command('fmt')
        .description('format .kra files in place (the same formatter as the editor)')
        .argument('[paths...]', '.kra files, folders or quoted globs (default: the current folder); - reads standard input and writes the result to standard output')
        .option('--check', 'list the files that are not formatted and exit 1; change nothing', false)
        .option('--stdin-filename <file>', 'with the path -, the .kra file that standard input stands for, in messages')
        .action(async (paths: string[], options: { check: boolean; stdinFilename?: string }) => {
            program.setOptionValue('exitCode', await (await import('./commands/fmt.js')).runFmt(paths, options, output));
        });

    program.command('build')
        .description('compile a workspace to the JSON model (validated against the published schema)')
        .argument('<workspace>', 'the workspace folder, or a file or folder in it (its whole workspace is used)')
        .requiredOption('-o, --out <dir>', 'the folder to write to')
        .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml']).default('json'))
        .option('--split', 'also write one file per department and per role', false)
        .option('--allow-errors', 'write even when the workspace has errors', false)
        .action(async (workspace: string, options: { out: string; format: 'json' | 'yaml'; split: boolean; allowErrors: boolean }) => {
            program.setOptionValue('exitCode', await (await import('./commands/build.js')).runBuild(workspace, options, output));
        });

    program.command('init')
        .description('create a workspace that checks clean: a config, a department, a role, a KRA and two KPIs')
        .argument('[dir]', 'the folder to create it in (default: the current folder)')
        .action(async (dir: string | undefined) => {
            program.setOptionValue('exitCode', await (await import('./commands/init.js')).runInit(dir, output));
        });

    program.command('eval')
        .description('compute KPI values, achievement, RAG status and weighted KRA and role scores from data')
        .argument('<workspace>', 'the workspace folder, or a file or folder in it (its whole workspace is used)')
        .option('-d, --data <file-or-dir...>', 'data files or folders: aggregated .csv/.json, or raw .csv, .csv.gz, .parquet, .json/.ndjson rows of the workspace\'s sources')
        .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv', 'markdown']).default('table'))
        .option('--period <periods>', 'report these periods: one (2026-07, 2026-Q3, 2026-H1, 2026, 2026-07-15), a list (2026-Q1,2026-Q2) or a range (2026-01..2026-06); default: the latest for table and markdown, every period for json and csv')
        .addOption(new Option('--engine <engine>', 'where sources with a table are aggregated: duckdb (files given with --data) or postgres (the PG* environment variables, or --database-url-env)').choices(['duckdb', 'postgres']).default('duckdb'))
        .option('--database-url-env <name>', 'with --engine postgres: the environment variable that holds the connection URL (never the URL itself)')
        .addOption(new Option('--definitions <which>', 'current: every period with the files as they are; history: each closed period with the definitions committed to git by its end').choices(['current', 'history']).default('current'))
        .option('--allow-errors', 'evaluate even when the workspace has errors', false)
        .action(async (workspace: string, options: EvalOptions) => {
            program.setOptionValue('exitCode', await (await import('./commands/eval.js')).runEval(workspace, options, output));
        });

    program.command('report')
        .description('write the scorecard as one self-contained HTML file: per role and KRA, RAG heat maps, KPI trends, definitions')
        .argument('<workspace>', 'the workspace folder')
        .requiredOption('-d, --data <file-or-dir>', 'a .csv or .json data file, or a folder of them')
        .requiredOption('-o, --out <file>', 'the HTML file to write, such as report.html')
        .option('--period <period>', 'the period the scorecard and the by-team heat maps show (one of the data\'s periods); default the latest')
        .option('--title <title>', 'the heading; default the organisation\'s title')
        .addOption(new Option('--definitions <which>', 'current: every period with the files as they are; history: each closed period with the definitions committed to git by its end').choices(['current', 'history']).default('current'))
        .option('--allow-errors', 'report even when the workspace has errors', false)
        .action(async (workspace: string, options: ReportOptions) => {
            program.setOptionValue('exitCode', await (await import('./commands/report.js')).runReport(workspace, options, output));
        });

    program.command('sql')
        .description('write the SQL that computes metrics from the sources\' raw rows and KPI values from them, for one SQL dialect')
        .argument('<workspace>', 'the workspace folder')
        .addOption(new Option('--dialect <dialect>', 'the SQL dialect').choices(['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark', 'trino']).default('duckdb'))
        .option('-o, --out <file>', 'write to this file (atomically) instead of standard output')
        .option('--allow-errors', 'write SQL even when the workspace has errors', false)
        .action(async (workspace: string, options: SqlOptions) => {
            program.setOptionValue('exitCode', await (await import('./commands/sql.js')).runSql(workspace, options, output));
        });

    program.command('export')
        .description('export the workspace for another tool: metricflow (dbt semantic models and metrics YAML)')
        .addArgument(new Argument('<format>', 'what to export').choices(['metricflow']))
        .argument('<workspace>', 'the workspace folder')
        .requiredOption('-o, --out <dir>', 'the folder to write kra_metricflow.yml into')
        .option('--allow-errors', 'export even when the workspace has errors', false)
        .action(async (_format: 'metricflow', workspace: string, options: { out: string; allowErrors: boolean }) => {
            program.setOptionValue('exitCode', await (await import('./commands/export.js')).runExportMetricFlow(workspace, options, output));
        });

    program.command('diff')
        .description('compare two versions of a workspace (folders or git revisions) in HR terms: KRAs, KPIs, roles, targets, weights')
        .argument('<base>', 'the earlier version: a folder (or .kra file), or a git revision such as origin/main')
        .argument('[head]', 'the later version: a folder (or .kra file) or a git revision (default: the workspace on disk)')
        .option('-p, --path <dir>', 'the workspace, or a file or folder in it, inside the git repository (for revisions, and the default head)', '.')
        .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
        .option('--exit-code', 'exit 1 when there are changes, 0 when there are none (like git diff --exit-code)', false)
        .action(async (base: string, head: string | undefined, options: { path: string; format: 'text' | 'markdown' | 'json'; exitCode: boolean }) => {
            program.setOptionValue('exitCode', await (await import('./commands/diff.js')).runDiff(base, head, options, output));
        });

    program.command('studio')
        .description('open KRA Studio in the browser for a workspace: editor, problems and live scorecard (served on 127.0.0.1 only)')
        .argument('[workspace]', 'the workspace folder', '.')
        .option('-p, --port <n>', 'the port to listen on (0: a free one)', parsePort, 0)
        .option('--open', 'open the browser at the address', false)
        .action(async (workspace: string, options: StudioOptions) => {
            program.setOptionValue('exitCode', await (await import('./commands/studio.js')).runStudio(workspace, options, output));
        });

    program.command('schema')
        .description('print a published JSON Schema: of the compiled model (default), of kra eval --format json, or of kra.config.yaml')
        .addArgument(new Argument('[which]', 'which schema').choices(['model', 'eval', 'config']).default('model'))
        .action(async (which: 'model' | 'eval' | 'config') => {
            program.setOptionValue('exitCode', (await import('./commands/schema.js')).runSchema(which, output));
        });

    program.command('rules')
        .description('list every rule with its default severity and summary')
        .action(async () => {
            program.setOptionValue('exitCode', (await import('./commands/rules.js')).runRules(output));
        });

    return program;
}

/**
 * An empty argument (`kra check ''`, `--out ''`, `--config "$UNSET"`) is a usage error: a shell
 * variable that was never set must not turn into "the current folder" and check or write there.
 * `--title ''` alone may be empty (a report without a heading).
 */
function refuseEmptyValues(command: Command): void {
    const empty = (value: unknown) => value === '' || (Array.isArray(value) && value.includes(''));
    command.registeredArguments.forEach((argument, index) => {
        if (empty(command.processedArgs[index])) {
            command.error(`error: the argument '${argument.name()}' is empty; give a path ('.' for the current folder).`, { exitCode: ExitCode.failure });
        }
    });
    for (const option of command.options) {
        if (option.long !== '--title' && empty(command.getOptionValue(option.attributeName()))) {
            command.error(`error: option '${option.flags}' is empty; give a value ('.' for the current folder where a path is expected).`, { exitCode: ExitCode.failure });
        }
    }
}

/** `--max-warnings`: a count, or -1 for no limit (as in ESLint). */
function parseWarningLimit(value: string): number {
    if (value.trim() === '-1') {
        return Number.POSITIVE_INFINITY;
    }
    if (!/^\d+$/.test(value)) {
        throw new InvalidArgumentError('a whole number of 0 or more (or -1 for no limit) is expected.');
    }
    return Number(value);
}

function parsePort(value: string): number {
    const port = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(port >= 0 && port <= 65535)) {
        throw new InvalidArgumentError('a port number from 0 to 65535 is expected.');
    }
    return port;
}

/** Runs the CLI with the given arguments and returns the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
    // Everything kra prints for people passes the one sanitiser (report/printable.ts); only a
    // file's own text (`kra fmt -`) is written as it is.
    const colour = colourEnabled();
    useColour(colour);
    const output = {
        out: (text: string) => { process.stdout.write(printableOutput(text, colour)); },
        err: (text: string) => { process.stderr.write(printableOutput(text, colour)); },
        raw: (text: string) => { process.stdout.write(text); }
    };
    const program = buildProgram(output);
    try {
        await program.parseAsync([...argv], { from: 'user' });
        return (program.getOptionValue('exitCode') as number | undefined) ?? ExitCode.clean;
    } catch (error) {
        if (error instanceof CommanderError) {
            if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
                return ExitCode.clean;
            }
            // Commander has already printed the one-line error.
            output.err(`Run 'kra --help' for usage.\n`);
            return ExitCode.failure;
        }
        if (isFileError(error)) {
            // An ordinary condition of the file system (a full disk, a folder where a file was
            // expected, no permission) that a command did not foresee: one line, exit 2.
            const where = error.path !== undefined ? `${path.relative(process.cwd(), error.path) || error.path}: ` : '';
            output.err(`kra${argv[0] && !argv[0].startsWith('-') ? ` ${argv[0]}` : ''}: ${where}${fileErrorReason(error)} (${error.code} on ${error.syscall}).\n`);
            return ExitCode.failure;
        }
        output.err(`kra: internal error: ${error instanceof Error ? error.message : String(error)}\nThis is a bug in kra; please report it with the command you ran.\n`);
        return ExitCode.failure;
    }
}
