/**
 * Which `--data` files are raw rows of a source and which are aggregated metric data, and in
 * which format each raw file is. A source claims the files whose name matches its `file` (a
 * `*` matches any characters of one name) or, for a `table` source, the files named after the
 * table (`calls.parquet`, `calls.csv.gz`, `calls-2026-07.csv` for `table "ops"."calls"`).
 */
import * as path from 'node:path';
import type { DataSource, KraModel } from '@kra-lang/compiler';
import { rawFormat, type RawFormat } from '@kra-lang/compiler/sql';

export { rawFormat, type RawFormat };

export interface RawSourceFiles {
    readonly source: DataSource;
    readonly format: RawFormat;
    /** Absolute paths, sorted. */
    readonly files: readonly string[];
}

function globToRegExp(pattern: string): RegExp {
    const escaped = pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
    return new RegExp(`^${escaped}$`, 'i');
}

/** Whether a file (by its name) is one of the source's. */
export function claims(source: DataSource, file: string): boolean {
    const name = path.basename(file);
    if (source.file !== null) {
        return globToRegExp(path.posix.basename(source.file)).test(name);
    }
    if (source.table !== null) {
        const table = source.table[source.table.length - 1];
        const stem = name.replace(/\.(gz|zst)$/i, '').replace(/\.[^.]+$/, '');
        return rawFormat(name) !== undefined && (stem.toLowerCase() === table.toLowerCase() || stem.toLowerCase().startsWith(`${table.toLowerCase()}-`));
    }
    return false;
}

export interface Assignment {
    readonly raw: RawSourceFiles[];
    /** Files no source claims: aggregated metric data (CSV or JSON). */
    readonly aggregated: string[];
    readonly problems: string[];
}

/** The sources that metrics are measured from. */
export function measuredSources(model: KraModel): DataSource[] {
    const used = new Set(model.metrics.flatMap(metric => (metric.measure ? [metric.measure.dataSource] : [])));
    return model.sources.filter(source => used.has(source.id));
}

/**
 * Splits the `--data` files between sources. Only files given are read: the same workspace
 * evaluates on raw data or on aggregated data, whichever `--data` names.
 */
export function assignFiles(model: KraModel, files: readonly string[], display: (file: string) => string, elsewhere: ReadonlySet<string> = new Set()): Assignment {
    const sources = measuredSources(model).filter(source => !elsewhere.has(source.id));
    const problems: string[] = [];
    const raw: RawSourceFiles[] = [];
    const claimed = new Set<string>();
    for (const source of sources) {
        const mine = files.filter(file => claims(source, file));
        mine.forEach(file => claimed.add(file));
        if (mine.length === 0) {
            continue; // its metrics have no data: the evaluator warns, as for aggregated data
        }
        const formats = new Set(mine.map(file => rawFormat(file)));
        const format = formats.size === 1 ? [...formats][0] : undefined;
        if (!format) {
            problems.push(`source '${source.id}' (${source.source.file}:${source.source.line}) matches files of ${formats.size > 1 ? 'several formats' : 'no readable format'}: ${mine.map(display).join(', ')}; give it CSV, Parquet or JSON files of one format.`);
            continue;
        }
        raw.push({ source, format, files: [...mine].sort() });
    }
    return { raw, aggregated: files.filter(file => !claimed.has(file)), problems };
}

/** The sources that `--engine postgres` reads from the database: those with a table. */
export function postgresSources(model: KraModel): DataSource[] {
    return measuredSources(model).filter(source => source.table !== null);
}
