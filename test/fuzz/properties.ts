/**
 * The properties every workspace must have, valid or broken: nothing the language core, the
 * formatter, the compiler or the evaluator does on it throws, diagnostics lie inside their
 * documents, and compiled output matches the published schema. Valid workspaces also format
 * idempotently without changing the syntax tree, and compile deterministically.
 */
import { EmptyFileSystem, URI, type AstNode, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { compileWorkspace, validateModel } from '../../packages/compiler/src/index.js';
import { evaluateModel, mergeData, parseDataFile, validateEvaluation } from '../../packages/compiler/src/evaluate/index.js';
import { createKraServices, type KraServices } from '../../packages/language/src/index.js';

export const ROOT = 'file:///ws';

export interface BuiltWorkspace {
    readonly services: KraServices;
    readonly documents: LangiumDocument[];
    readonly all: LangiumDocument[];
}

/** Builds an in-memory workspace as the CLI does: every validation category. */
export async function build(files: Record<string, string>): Promise<BuiltWorkspace> {
    const { shared, Kra } = createKraServices(EmptyFileSystem);
    await shared.workspace.WorkspaceManager.initializeWorkspace([{ name: 'ws', uri: ROOT }]);
    const documents = Object.entries(files).map(([name, text]) => {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`${ROOT}/${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(documents, { validation: { categories: ['built-in', 'fast', 'slow'] } });
    return { services: Kra, documents, all: shared.workspace.LangiumDocuments.all.toArray() };
}

/** The AST as plain data: types, properties and reference texts, no positions. */
export function shape(node: AstNode): unknown {
    const result: Record<string, unknown> = { $type: node.$type };
    for (const [key, value] of Object.entries(node)) {
        if (!key.startsWith('$')) {
            result[key] = plain(value);
        }
    }
    return result;
}

function plain(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (value && typeof value === 'object') {
        if ('$refText' in value) {
            return { ref: (value as { $refText: string }).$refText };
        }
        if ('$type' in value) {
            return shape(value as AstNode);
        }
    }
    return value;
}

function lineLengths(text: string): number[] {
    return text.split(/\r\n|\r|\n/).map(line => line.length);
}

function message(diagnostic: Diagnostic): string {
    return typeof diagnostic.message === 'string' ? diagnostic.message : String(diagnostic.message);
}

/** A problem a property found, with what is needed to see it again. */
export class PropertyViolation extends Error { }

function fail(what: string, detail?: unknown): never {
    throw new PropertyViolation(detail === undefined ? what : `${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail, null, 1)?.slice(0, 2000)}`);
}

function syntaxErrors(document: LangiumDocument): number {
    return document.parseResult.lexerErrors.length + document.parseResult.parserErrors.length;
}

export interface CheckOptions {
    /** The workspace was generated valid: it must parse and link without errors. */
    readonly valid: boolean;
    /** CSV data to evaluate the compiled model on. */
    readonly data?: string;
}

/**
 * Runs everything on a workspace and throws a PropertyViolation (or whatever threw) when a
 * property does not hold. Langium catches exceptions in validation checks and reports them as
 * diagnostics and on the console: both count as a check that threw.
 */
/** What went to console.error during the current check. */
let logged: unknown[][] = [];

export async function checkWorkspace(files: Record<string, string>, options: CheckOptions): Promise<void> {
    logged = [];
    const original = console.error;
    console.error = (...args: unknown[]) => { logged.push(args); };
    try {
        await checkQuietly(files, options);
    } finally {
        console.error = original;
    }
    if (logged.length > 0) {
        fail('something was logged to console.error (a check threw?)', logged.map(args => args.map(arg => (arg instanceof Error ? arg.stack : String(arg))).join(' ')).join('\n'));
    }
}

async function checkQuietly(files: Record<string, string>, options: CheckOptions): Promise<void> {
    const workspace = await build(files);
    const formatter = workspace.services.lsp.Formatter;

    for (const document of workspace.documents) {
        const text = document.textDocument.getText();
        const lengths = lineLengths(text);
        const inside = (position: { line: number; character: number }) =>
            Number.isInteger(position.line) && Number.isInteger(position.character) && position.line >= 0 && position.character >= 0
            && position.line < lengths.length && position.character <= lengths[position.line];
        for (const diagnostic of document.diagnostics ?? []) {
            const { start, end } = diagnostic.range;
            if (!inside(start) || !inside(end) || start.line > end.line || (start.line === end.line && start.character > end.character)) {
                fail(`diagnostic range outside ${document.uri.path}`, { range: diagnostic.range, message: message(diagnostic), lines: lengths.length });
            }
            if (/An error occurred/.test(message(diagnostic))) {
                fail('a check threw', `${message(diagnostic)}\n${logged.map(args => args.map(arg => (arg instanceof Error ? arg.stack : String(arg))).join(' ')).join('\n')}`);
            }
        }
        if (options.valid) {
            const errors = (document.diagnostics ?? []).filter(d => String(d.code).startsWith('syntax/') || d.code === 'structure/unresolved-reference');
            if (errors.length > 0) {
                fail(`a generated workspace has syntax or linking errors in ${document.uri.path}`, errors.map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${message(d)}`));
            }
        }

        // The formatter never throws; on a file without syntax errors it is idempotent and keeps the tree.
        const edits = await formatter.formatDocument(document, { textDocument: { uri: document.uri.toString() }, options: { tabSize: 2, insertSpaces: true } });
        for (const edit of edits) {
            if (!inside(edit.range.start) || !inside(edit.range.end)) {
                fail('a formatting edit outside the document', edit.range);
            }
        }
        const formatted = formatter.formatText(document);
        if (formatted === undefined) {
            if (syntaxErrors(document) === 0 && options.valid) {
                fail('the formatter refused a file without syntax errors');
            }
            continue;
        }
        const { shared } = createKraServices(EmptyFileSystem);
        const reparsed = shared.workspace.LangiumDocumentFactory.fromString(formatted, document.uri);
        if (syntaxErrors(reparsed) > 0) {
            fail('formatting broke the syntax', { formatted, errors: [...reparsed.parseResult.lexerErrors, ...reparsed.parseResult.parserErrors].map(e => e.message) });
        }
        if (JSON.stringify(shape(reparsed.parseResult.value)) !== JSON.stringify(shape(document.parseResult.value))) {
            fail('formatting changed the syntax tree', { before: text, after: formatted });
        }
        const again = formatter.formatText(reparsed);
        if (again !== formatted) {
            fail('formatting is not idempotent', { once: formatted, twice: again });
        }
        if (text.includes('\r\n') && !text.replace(/\r\n/g, '').includes('\n') && formatted.replace(/\r\n/g, '').includes('\n')) {
            fail('formatting changed CRLF line endings to LF', formatted);
        }
        if (text.startsWith('\uFEFF') !== formatted.startsWith('\uFEFF')) {
            fail('formatting added or dropped the byte order mark', formatted);
        }
    }

    // The compiler never throws, and its output always matches the published schema (kra build
    // --allow-errors writes the model of a workspace with errors too).
    const model = compileWorkspace({ documents: workspace.all, root: URI.parse(ROOT) });
    const problems = validateModel(model);
    if (problems.length > 0) {
        fail('the compiled model does not match the schema', problems.slice(0, 10));
    }
    const json = JSON.stringify(model);
    if (JSON.stringify(compileWorkspace({ documents: workspace.all, root: URI.parse(ROOT) })) !== json) {
        fail('two compiles of the same documents differ');
    }
    if (options.valid) {
        // The same texts built again (new services, files added in the reverse order) compile the same.
        const reversed = Object.fromEntries(Object.entries(files).reverse());
        const again = await build(reversed);
        if (JSON.stringify(compileWorkspace({ documents: again.all, root: URI.parse(ROOT) })) !== json) {
            fail('two builds of the same workspace compile differently');
        }
    }

    // The evaluator never throws; its result matches its schema and has finite numbers only.
    if (options.data !== undefined) {
        const data = mergeData([parseDataFile(options.data, { file: 'data.csv', metrics: model.metrics.map(metric => metric.id) })]);
        const result = evaluateModel(model, data);
        const evaluationProblems = validateEvaluation(result);
        if (evaluationProblems.length > 0) {
            fail('the evaluation result does not match its schema', evaluationProblems.slice(0, 10));
        }
    }
}
