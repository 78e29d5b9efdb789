/**
 * A watch on the framing of the messages a client sends over stdio. vscode-jsonrpc's reader
 * stops at a frame it cannot parse (`Content-Length: abc` or `-5`, or headers that end in LF
 * only) and waits for ever: the server goes deaf, at 0 % CPU, without a word. Framing cannot be
 * recovered (where the next message starts is unknown), so the guard reads the same bytes as the
 * reader, and at the first frame that breaks the base protocol it names the fault on stderr and
 * ends the process with exit code 1: the client sees the server die and can restart it.
 *
 * The rules (LSP base protocol): a header part of `Name: value` lines, each ended by CR LF, and an
 * empty line; a `Content-Length` header of decimal digits; then that many bytes of content.
 */

/** A header part longer than this is not a header (the usual one is under 100 bytes). */
export const MAX_HEADER_BYTES = 8 * 1024;

/** The largest content accepted: a message this big is a fault, not a document. */
export const MAX_CONTENT_BYTES = 512 * 1024 * 1024;

const CR = 0x0d;
const LF = 0x0a;

/** Follows the frames of a byte stream; `push` returns the first fault, once, then stops. */
export class FrameGuard {
    private header: number[] = [];
    private contentLeft = 0;
    private fault: string | undefined;

    /** Takes the next chunk; returns a fault message when the framing breaks. */
    push(chunk: Uint8Array): string | undefined {
        if (this.fault) {
            return undefined;
        }
        let offset = 0;
        while (offset < chunk.length) {
            if (this.contentLeft > 0) {
                const take = Math.min(this.contentLeft, chunk.length - offset);
                this.contentLeft -= take;
                offset += take;
                continue;
            }
            const byte = chunk[offset++];
            if (byte === LF && this.header[this.header.length - 1] !== CR) {
                return this.fail('a header line ends with LF alone; the base protocol ends header lines with CR LF');
            }
            this.header.push(byte);
            if (this.header.length > MAX_HEADER_BYTES) {
                return this.fail(`the header part is longer than ${MAX_HEADER_BYTES} bytes without an empty line`);
            }
            if (this.endsHeaderPart()) {
                const problem = this.readHeaderPart();
                if (problem) {
                    return this.fail(problem);
                }
            }
        }
        return undefined;
    }

    private endsHeaderPart(): boolean {
        const h = this.header;
        const n = h.length;
        return n >= 4 && h[n - 4] === CR && h[n - 3] === LF && h[n - 2] === CR && h[n - 1] === LF;
    }

    /** Parses the finished header part; sets the content length, or returns the fault. */
    private readHeaderPart(): string | undefined {
        const text = Buffer.from(this.header).toString('ascii');
        this.header = [];
        let length: string | undefined;
        for (const line of text.slice(0, -4).split('\r\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) {
                return `a header line has no "Name: value" form (${JSON.stringify(line.slice(0, 40))})`;
            }
            if (line.slice(0, colon).trim().toLowerCase() === 'content-length') {
                length = line.slice(colon + 1).trim();
            }
        }
        if (length === undefined) {
            return 'a message has no Content-Length header';
        }
        if (!/^\d{1,10}$/.test(length) || Number(length) > MAX_CONTENT_BYTES) {
            return `Content-Length ${JSON.stringify(length.slice(0, 20))} is not a byte count from 0 to ${MAX_CONTENT_BYTES}`;
        }
        this.contentLeft = Number(length);
        return undefined;
    }

    private fail(reason: string): string {
        this.fault = reason;
        return reason;
    }
}

/**
 * Watches `input` (the server's stdin) beside the protocol reader; at a framing fault, writes
 * one line to stderr and exits with code 1.
 */
export function guardFraming(input: NodeJS.ReadableStream, exit: (line: string) => never = exitWith): void {
    const guard = new FrameGuard();
    input.on('data', (chunk: Buffer | string) => {
        const fault = guard.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        if (fault) {
            exit(`kra-language-server: the client broke the message framing: ${fault}. The connection cannot recover; the server stops (exit code 1) so that the client can restart it.`);
        }
    });
}

function exitWith(line: string): never {
    process.stderr.write(`${line}\n`);
    process.exit(1);
}
