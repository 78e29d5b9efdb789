/**
 * Entry of out/server.cjs: the KRA Lang language server, the same as `kra-language-server`.
 * The extension starts it with --node-ipc; other editors can run it with --stdio.
 */
import { startServer } from '@kra-lang/language-server';
import extension from '../package.json' with { type: 'json' };

startServer({ name: 'kra-language-server', version: extension.version });
