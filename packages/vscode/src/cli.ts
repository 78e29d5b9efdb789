/**
 * Entry of out/cli.cjs: the `kra` command, bundled so that the extension's commands (build,
 * scorecard) run it with the extension host's own Node and need nothing installed.
 */
import * as nodeModule from 'node:module';
import { main } from '@kra-lang/cli/out/main.js';

// Node keeps compiled code between runs, which roughly halves start-up.
nodeModule.enableCompileCache?.();

main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
}, (error: unknown) => {
    process.stderr.write(`kra: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 2;
});
