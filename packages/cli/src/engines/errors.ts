/** The engines' errors, apart from the engines so that reading them loads neither DuckDB nor pg. */

/** A raw file or table does not fit its source declaration (exit 2, nothing evaluated). */
export class RawDataError extends Error {}

/** The database cannot be reached or refuses the credentials (exit 2, no secret quoted). */
export class ConnectionError extends Error {}
