/**
 * The server lifecycle and request shapes the LSP specification prescribes, enforced before any
 * handler runs:
 * - before `initialize`, a request gets -32002 (ServerNotInitialized) and notifications are
 *   dropped, except `exit`;
 * - a second `initialize` gets -32600 (InvalidRequest);
 * - after `shutdown`, a request gets -32600 (InvalidRequest);
 * - a document request without a well-formed `textDocument.uri`, `position` or `range` gets
 *   -32602 (InvalidParams) naming the parameter, instead of a handler failing on it.
 *
 * vscode-jsonrpc hands each incoming message to a message strategy before dispatching it. The
 * strategy cannot answer by itself, so a refused request is dispatched to a request type of
 * this module's own, whose handler answers with the error.
 */
import { ErrorCodes, Message, ResponseError, type Connection, type MessageStrategy, type RequestMessage } from 'vscode-languageserver/node';

/** The request method refusals are dispatched to. */
const REFUSAL_METHOD = '$/kra/refuse';

class Refusal {
    constructor(readonly code: number, readonly message: string) {}
}

/** Document requests and the position-like parameters each needs. */
const DOCUMENT_PARAMETERS: Readonly<Record<string, ReadonlyArray<'position' | 'range'>>> = {
    'textDocument/completion': ['position'],
    'textDocument/hover': ['position'],
    'textDocument/signatureHelp': ['position'],
    'textDocument/definition': ['position'],
    'textDocument/declaration': ['position'],
    'textDocument/typeDefinition': ['position'],
    'textDocument/implementation': ['position'],
    'textDocument/references': ['position'],
    'textDocument/documentHighlight': ['position'],
    'textDocument/prepareRename': ['position'],
    'textDocument/rename': ['position'],
    'textDocument/prepareCallHierarchy': ['position'],
    'textDocument/prepareTypeHierarchy': ['position'],
    'textDocument/linkedEditingRange': ['position'],
    'textDocument/onTypeFormatting': ['position'],
    'textDocument/selectionRange': [],
    'textDocument/codeAction': ['range'],
    'textDocument/rangeFormatting': ['range'],
    'textDocument/inlayHint': ['range'],
    'textDocument/semanticTokens/range': ['range'],
    'textDocument/formatting': [],
    'textDocument/documentSymbol': [],
    'textDocument/foldingRange': [],
    'textDocument/documentLink': [],
    'textDocument/codeLens': [],
    'textDocument/semanticTokens/full': [],
    'textDocument/semanticTokens/full/delta': [],
    'textDocument/diagnostic': []
};

function isPosition(value: unknown): boolean {
    if (!value || typeof value !== 'object') {
        return false;
    }
    const { line, character } = value as { line?: unknown; character?: unknown };
    return Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0;
}

function isRange(value: unknown): boolean {
    return !!value && typeof value === 'object' && isPosition((value as { start?: unknown }).start) && isPosition((value as { end?: unknown }).end);
}

/** The fault in a document request's parameters, if any. */
export function invalidParameters(method: string, params: unknown): string | undefined {
    const needs = DOCUMENT_PARAMETERS[method];
    if (!needs) {
        return undefined;
    }
    const record = params && typeof params === 'object' && !Array.isArray(params) ? params as Record<string, unknown> : undefined;
    const uri = (record?.textDocument as { uri?: unknown } | undefined)?.uri;
    if (typeof uri !== 'string' || uri === '') {
        return `${method} needs params.textDocument.uri, a document URI`;
    }
    for (const name of needs) {
        const ok = name === 'position' ? isPosition(record?.[name]) : isRange(record?.[name]);
        if (!ok) {
            return name === 'position'
                ? `${method} needs params.position, { line, character } with whole numbers from 0`
                : `${method} needs params.range, { start, end } positions with whole numbers from 0`;
        }
    }
    return undefined;
}

type Phase = 'waiting' | 'running' | 'shut down';

/** The message strategy that keeps the lifecycle; install its answers with {@link answerRefusals}. */
export class LifecycleGate implements MessageStrategy {
    private phase: Phase = 'waiting';

    handleMessage(message: Message, next: (message: Message) => void): void {
        if (Message.isRequest(message)) {
            const refusal = this.refusal(message);
            if (refusal) {
                next({ ...message, method: REFUSAL_METHOD, params: refusal } as RequestMessage);
                return;
            }
            if (message.method === 'initialize') {
                this.phase = 'running';
            } else if (message.method === 'shutdown') {
                this.phase = 'shut down';
            }
        } else if (Message.isNotification(message) && this.phase === 'waiting' && message.method !== 'exit') {
            return;
        }
        next(message);
    }

    private refusal(request: RequestMessage): Refusal | undefined {
        if (request.method === REFUSAL_METHOD) {
            return new Refusal(ErrorCodes.MethodNotFound, `Unhandled method ${REFUSAL_METHOD}`);
        }
        if (this.phase === 'waiting') {
            return request.method === 'initialize'
                ? undefined
                : new Refusal(ErrorCodes.ServerNotInitialized, `The server is not initialized: send initialize before ${request.method}.`);
        }
        if (this.phase === 'shut down') {
            return new Refusal(ErrorCodes.InvalidRequest, `The server is shut down: after shutdown only the exit notification is accepted, not ${request.method}.`);
        }
        if (request.method === 'initialize') {
            return new Refusal(ErrorCodes.InvalidRequest, 'The server is already initialized: initialize may be sent only once.');
        }
        const invalid = invalidParameters(request.method, request.params);
        return invalid ? new Refusal(ErrorCodes.InvalidParams, `Invalid params: ${invalid}.`) : undefined;
    }
}

/** Answers the requests the gate refused with their errors. */
export function answerRefusals(connection: Connection): void {
    connection.onRequest(REFUSAL_METHOD, (params: unknown) => {
        const refusal = params instanceof Refusal ? params : new Refusal(ErrorCodes.MethodNotFound, `Unhandled method ${REFUSAL_METHOD}`);
        return new ResponseError(refusal.code, refusal.message);
    });
}

