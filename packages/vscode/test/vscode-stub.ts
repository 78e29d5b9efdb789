/**
 * A stand-in for the `vscode` module, enough to activate the bundled extension in plain Node:
 * every API name of @types/vscode exists, and any property or call on it answers with another
 * stand-in, recording what the extension did (commands registered, status bar text set). A few
 * parts behave for real: settings, messages (promises), diagnostics (none), `version`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface VscodeStub {
    readonly module: Record<string, unknown>;
    /** Everything called or set, in order: `commands.registerCommand(kra.build)`, `set …text=…`. */
    readonly calls: string[];
}

function describeValue(value: unknown): string {
    return typeof value === 'string' ? value : typeof value;
}

function stand(name: string, calls: string[], overrides: Record<string, unknown> = {}): any {
    const members = new Map<PropertyKey, unknown>(Object.entries(overrides));
    return new Proxy(function () { /* callable */ }, {
        get(_target, property) {
            if (property === 'then') {
                return undefined; // not a promise
            }
            if (property === Symbol.toPrimitive) {
                return () => `[${name}]`;
            }
            if (property === Symbol.iterator) {
                return function* () { /* empty */ };
            }
            if (typeof property === 'symbol') {
                return undefined;
            }
            if (!members.has(property)) {
                members.set(property, stand(`${name}.${property}`, calls));
            }
            return members.get(property);
        },
        set(_target, property, value) {
            members.set(property, value);
            calls.push(`set ${name}.${String(property)}=${describeValue(value)}`);
            return true;
        },
        apply(_target, _this, args: unknown[]) {
            calls.push(`${name}(${args.map(describeValue).join(',')})`);
            return stand(`${name}()`, calls);
        },
        construct() {
            calls.push(`new ${name}`);
            return stand(`new ${name}`, calls);
        }
    });
}

export function createVscodeStub(settings: Record<string, unknown>, version = '1.101.0'): VscodeStub {
    const calls: string[] = [];
    const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
    const names = new Set([...dts.matchAll(/^\t?export (?:namespace|class|enum|const|function|let) (\w+)/gm)].map(match => match[1]));
    const module: Record<string, unknown> = Object.fromEntries([...names].map(name => [name, stand(name, calls)]));
    const configuration = {
        get: (key: string, fallback?: unknown) => settings[key] ?? fallback,
        has: (key: string) => key in settings,
        inspect: () => undefined,
        update: async () => undefined
    };
    const message = (kind: string) => async (text: string) => {
        calls.push(`${kind}: ${text}`);
        return undefined;
    };
    module.version = version;
    module.workspace = stand('workspace', calls, { getConfiguration: () => configuration, workspaceFolders: undefined, textDocuments: [] });
    module.window = stand('window', calls, { showErrorMessage: message('error'), showWarningMessage: message('warning'), showInformationMessage: message('info') });
    module.languages = stand('languages', calls, { getDiagnostics: () => [] });
    return { module, calls };
}

/**
 * Loads a CommonJS bundle with `require('vscode')` answered by the stub, through Node's own
 * loader, as VS Code's extension host does. The stub stays in place until `restore()`, for
 * requires the bundle makes later.
 */
export function requireWithVscode(file: string, vscode: Record<string, unknown>): { exports: any; restore: () => void } {
    const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = Module._load;
    Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
        return request === 'vscode' ? vscode : load.call(this, request, ...rest);
    };
    try {
        return { exports: require(file), restore: () => { Module._load = load; } };
    } catch (error) {
        Module._load = load;
        throw error;
    }
}
