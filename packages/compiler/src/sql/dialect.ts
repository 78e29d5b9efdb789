/**
 * What differs between SQL engines, in one table: how identifiers and literals are written, how
 * a date becomes a period label (`2026-07`, `2026-Q3`), the floating-point type. Everything
 * taken from a .kra file reaches SQL through `quote` (names) or `text`/`date` (values): nothing
 * is concatenated unquoted.
 */

export const DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark', 'trino'] as const;
export type DialectName = typeof DIALECTS[number];

export type SourceGrain = 'day' | 'month' | 'quarter' | 'year';

export interface Dialect {
    readonly name: DialectName;
    /** An identifier, always quoted, so that keywords, spaces and quotes in names are safe. */
    quote(identifier: string): string;
    /** A text literal. */
    text(value: string): string;
    /** A date literal from `YYYY-MM-DD`. */
    date(iso: string): string;
    /** The type aggregates are cast to, so every engine returns plain floating-point numbers. */
    readonly double: string;
    /** The text type dimension members are cast to. */
    readonly textType: string;
    /**
     * Whether a filter is written as the aggregate's `FILTER (WHERE …)` clause, which DuckDB and
     * PostgreSQL evaluate without a CASE per row; else as `CASE WHEN … END` inside it (same rows).
     */
    readonly aggregateFilter: boolean;
    /** The period id (`2026-07`, `2026-Q3`, `2026`, `2026-07-15`) of a date or timestamp expression. */
    periodLabel(expression: string, grain: SourceGrain): string;
    /** A number that orders periods of one grain and steps by 1 from one period to the next. */
    periodIndex(expression: string, grain: SourceGrain): string;
    /** Text concatenation of several expressions. */
    concat(...parts: string[]): string;
}

const ansiQuote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const backtickQuote = (identifier: string) => `\`${identifier.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
const standardText = (value: string) => `'${value.replace(/'/g, "''")}'`;
/** BigQuery and Spark read backslash escapes in string literals: escape the backslash too. */
const backslashText = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function checkedDate(iso: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
        throw new Error(`not a date: ${iso}`);
    }
    return iso;
}

/** year*12 + month - 1, year*4 + quarter - 1, year, or days since 1970-01-01. */
function indexFrom(year: string, month: string, quarter: string, days: string, grain: SourceGrain): string {
    switch (grain) {
        case 'month': return `(${year} * 12 + ${month} - 1)`;
        case 'quarter': return `(${year} * 4 + ${quarter} - 1)`;
        case 'year': return `(${year})`;
        case 'day': return `(${days})`;
    }
}

export const DIALECT: Readonly<Record<DialectName, Dialect>> = {
    duckdb: {
        name: 'duckdb',
        aggregateFilter: true,
        textType: 'VARCHAR',
        quote: ansiQuote,
        text: standardText,
        date: iso => `DATE '${checkedDate(iso)}'`,
        double: 'DOUBLE',
        periodLabel: (e, grain) => grain === 'quarter'
            ? `strftime(CAST(${e} AS DATE), '%Y') || '-Q' || CAST(quarter(CAST(${e} AS DATE)) AS VARCHAR)`
            : `strftime(CAST(${e} AS DATE), '${{ day: '%Y-%m-%d', month: '%Y-%m', year: '%Y' }[grain]}')`,
        periodIndex: (e, grain) => indexFrom(`year(CAST(${e} AS DATE))`, `month(CAST(${e} AS DATE))`, `quarter(CAST(${e} AS DATE))`,
            `date_diff('day', DATE '1970-01-01', CAST(${e} AS DATE))`, grain),
        concat: (...parts) => parts.join(' || ')
    },
    postgres: {
        name: 'postgres',
        aggregateFilter: true,
        textType: 'VARCHAR',
        quote: ansiQuote,
        text: standardText,
        date: iso => `DATE '${checkedDate(iso)}'`,
        double: 'DOUBLE PRECISION',
        periodLabel: (e, grain) => `to_char(CAST(${e} AS DATE), '${{ day: 'YYYY-MM-DD', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' }[grain]}')`,
        periodIndex: (e, grain) => indexFrom(`CAST(EXTRACT(YEAR FROM CAST(${e} AS DATE)) AS INTEGER)`, `CAST(EXTRACT(MONTH FROM CAST(${e} AS DATE)) AS INTEGER)`,
            `CAST(EXTRACT(QUARTER FROM CAST(${e} AS DATE)) AS INTEGER)`, `(CAST(${e} AS DATE) - DATE '1970-01-01')`, grain),
        concat: (...parts) => parts.join(' || ')
    },
    bigquery: {
        name: 'bigquery',
        aggregateFilter: false,
        textType: 'STRING',
        quote: backtickQuote,
        text: backslashText,
        date: iso => `DATE '${checkedDate(iso)}'`,
        double: 'FLOAT64',
        periodLabel: (e, grain) => `FORMAT_DATE('${{ day: '%Y-%m-%d', month: '%Y-%m', quarter: '%Y-Q%Q', year: '%Y' }[grain]}', DATE(${e}))`,
        periodIndex: (e, grain) => indexFrom(`EXTRACT(YEAR FROM DATE(${e}))`, `EXTRACT(MONTH FROM DATE(${e}))`, `EXTRACT(QUARTER FROM DATE(${e}))`,
            `DATE_DIFF(DATE(${e}), DATE '1970-01-01', DAY)`, grain),
        concat: (...parts) => `CONCAT(${parts.join(', ')})`
    },
    snowflake: {
        name: 'snowflake',
        aggregateFilter: false,
        textType: 'VARCHAR',
        quote: ansiQuote,
        text: backslashText,
        date: iso => `DATE '${checkedDate(iso)}'`,
        double: 'DOUBLE',
        periodLabel: (e, grain) => grain === 'quarter'
            ? `TO_CHAR(CAST(${e} AS DATE), 'YYYY') || '-Q' || CAST(QUARTER(CAST(${e} AS DATE)) AS VARCHAR)`
            : `TO_CHAR(CAST(${e} AS DATE), '${{ day: 'YYYY-MM-DD', month: 'YYYY-MM', year: 'YYYY' }[grain]}')`,
        periodIndex: (e, grain) => indexFrom(`YEAR(CAST(${e} AS DATE))`, `MONTH(CAST(${e} AS DATE))`, `QUARTER(CAST(${e} AS DATE))`,
            `DATEDIFF(day, DATE '1970-01-01', CAST(${e} AS DATE))`, grain),
        concat: (...parts) => parts.join(' || ')
    },
    spark: {
        name: 'spark',
        aggregateFilter: false,
        textType: 'STRING',
        quote: backtickQuote,
        text: backslashText,
        date: iso => `DATE '${checkedDate(iso)}'`,
        double: 'DOUBLE',
        periodLabel: (e, grain) => grain === 'quarter'
            ? `concat(date_format(CAST(${e} AS DATE), 'yyyy'), '-Q', CAST(quarter(CAST(${e} AS DATE)) AS STRING))`
            : `date_format(CAST(${e} AS DATE), '${{ day: 'yyyy-MM-dd', month: 'yyyy-MM', year: 'yyyy' }[grain]}')`,
        periodIndex: (e, grain) => indexFrom(`year(CAST(${e} AS DATE))`, `month(CAST(${e} AS DATE))`, `quarter(CAST(${e} AS DATE))`,
            `datediff(CAST(${e} AS DATE), DATE '1970-01-01')`, grain),
        concat: (...parts) => `concat(${parts.join(', ')})`
    },
    trino: {
        name: 'trino',
        aggregateFilter: false,
        textType: 'VARCHAR',
        quote: ansiQuote,
        text: standardText,
        date: iso => `DATE '${checkedDate(iso)}'`,
        double: 'DOUBLE',
        periodLabel: (e, grain) => grain === 'quarter'
            ? `format_datetime(CAST(${e} AS TIMESTAMP), 'yyyy') || '-Q' || CAST(quarter(CAST(${e} AS DATE)) AS VARCHAR)`
            : `format_datetime(CAST(${e} AS TIMESTAMP), '${{ day: 'yyyy-MM-dd', month: 'yyyy-MM', year: 'yyyy' }[grain]}')`,
        periodIndex: (e, grain) => indexFrom(`year(CAST(${e} AS DATE))`, `month(CAST(${e} AS DATE))`, `quarter(CAST(${e} AS DATE))`,
            `date_diff('day', DATE '1970-01-01', CAST(${e} AS DATE))`, grain),
        concat: (...parts) => parts.join(' || ')
    }
};
