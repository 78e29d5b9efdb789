/**
 * Reads a .zip (a .vsix is one) without any tool: the central directory lists the entries,
 * each entry's data is stored or deflated.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
    readonly name: string;
    readonly size: number;
    read(): Buffer;
}

export function readZip(zip: Buffer): ZipEntry[] {
    // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
    let end = -1;
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
        if (zip.readUInt32LE(i) === 0x06054b50) {
            end = i;
            break;
        }
    }
    if (end < 0) {
        throw new Error('not a zip file: no end of central directory');
    }
    const count = zip.readUInt16LE(end + 10);
    let offset = zip.readUInt32LE(end + 16);
    const entries: ZipEntry[] = [];
    for (let i = 0; i < count; i++) {
        if (zip.readUInt32LE(offset) !== 0x02014b50) {
            throw new Error(`bad central directory entry at ${offset}`);
        }
        const method = zip.readUInt16LE(offset + 10);
        const compressedSize = zip.readUInt32LE(offset + 20);
        const size = zip.readUInt32LE(offset + 24);
        const nameLength = zip.readUInt16LE(offset + 28);
        const extraLength = zip.readUInt16LE(offset + 30);
        const commentLength = zip.readUInt16LE(offset + 32);
        const localOffset = zip.readUInt32LE(offset + 42);
        const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
        offset += 46 + nameLength + extraLength + commentLength;
        entries.push({
            name,
            size,
            read: () => {
                if (zip.readUInt32LE(localOffset) !== 0x04034b50) {
                    throw new Error(`bad local header for ${name}`);
                }
                const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
                const data = zip.subarray(start, start + compressedSize);
                if (method === 0) {
                    return Buffer.from(data);
                }
                if (method === 8) {
                    return inflateRawSync(data);
                }
                throw new Error(`${name}: unsupported compression method ${method}`);
            }
        });
    }
    return entries;
}
