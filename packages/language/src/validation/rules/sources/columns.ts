import { AstUtils, UriUtils } from 'langium';
import type { Filter, FilterTest, Source } from '../../../generated/ast.js';
import { isFilterAnd, isFilterNot, isFilterOr, isFilterTest } from '../../../generated/ast.js';
import type { KraCoreServices } from '../../../kra-module.js';
import type { ColumnTypeName } from '../../../sources/vocabulary.js';

/** The columns a source is known to have, with their types where declared. */
export interface KnownColumns {
    /** Where the names come from, for messages. */
    readonly origin: 'declared' | 'header';
    readonly types: ReadonlyMap<string, ColumnTypeName | null>;
}

const headerCache = new WeakMap<Source, KnownColumns | undefined>();

/**
 * The declared columns of a source, or else the header of its CSV file (relative to the .kra
 * file), or undefined when neither is known (a table, a Parquet file, a file not there yet).
 */
export function knownColumns(source: Source, services: KraCoreServices): KnownColumns | undefined {
    if (source.columns.length > 0) {
        const types = new Map<string, ColumnTypeName>();
        for (const column of source.columns) {
            if (column.column !== undefined && column.type !== undefined) {
                types.set(column.column, column.type as ColumnTypeName);
            }
        }
        return { origin: 'declared', types };
    }
    if (headerCache.has(source)) {
        return headerCache.get(source);
    }
    const header = csvHeader(source, services);
    const known = header && { origin: 'header' as const, types: new Map(header.map(name => [name, null])) };
    headerCache.set(source, known);
    return known;
}

function csvHeader(source: Source, services: KraCoreServices): string[] | undefined {
    if (!source.file || !/\.csv$/i.test(source.file) || /[*?[]/.test(source.file)) {
        return undefined;
    }
    try {
        const document = AstUtils.getDocument(source);
        const uri = UriUtils.resolvePath(UriUtils.dirname(document.uri), source.file);
        const text = services.shared.workspace.FileSystemProvider.readFileSync(uri);
        const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
        return splitCsvLine(line);
    } catch {
        // No file (yet), or no file system (the browser): the columns are not known.
        return undefined;
    }
}

/** The cells of one CSV line, RFC 4180 quotes undone. */
export function splitCsvLine(line: string): string[] {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const char = line[i];
        if (quoted) {
            if (char === '"' && line[i + 1] === '"') {
                cell += '"';
                i++;
            } else if (char === '"') {
                quoted = false;
            } else {
                cell += char;
            }
        } else if (char === '"') {
            quoted = true;
        } else if (char === ',') {
            cells.push(cell.trim());
            cell = '';
        } else {
            cell += char;
        }
    }
    cells.push(cell.trim());
    return cells;
}

/** Every column test of a filter, in the order written. */
export function filterTests(filter: Filter | undefined): FilterTest[] {
    if (!filter) {
        return [];
    }
    if (isFilterTest(filter)) {
        return [filter];
    }
    if (isFilterNot(filter)) {
        return filterTests(filter.operand);
    }
    if (isFilterAnd(filter) || isFilterOr(filter)) {
        return filter.operands.flatMap(filterTests);
    }
    return [];
}
