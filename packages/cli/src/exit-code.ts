/**
 * The exit codes of every kra command (docs/cli.md, "Exit codes"). A module of its own, so that
 * the commands return them without importing main.ts.
 */
export const ExitCode = {
    /** The command did what it was asked, with nothing at error level to report. */
    clean: 0,
    /**
     * The command ran and found what fails the run: errors in the workspace (or more warnings than
     * `--max-warnings`), files that are not formatted, changes for `kra diff --exit-code`.
     */
    errors: 1,
    /**
     * The run could not be done: a usage, input or output problem (bad arguments, a path, a
     * configuration or data that cannot be read or used, output that cannot be written), or an
     * internal error.
     */
    failure: 2
} as const;
