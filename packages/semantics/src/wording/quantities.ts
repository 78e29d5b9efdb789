/**
 * How numbers and quantities read, everywhere KRA Lang shows one to a person: diagnostics,
 * hover cards and inlay hints, `kra eval` tables, diff reports and evaluation results.
 *
 * The one wording: a percent sign stands right after its number (`85%`, `12.5%`), as the
 * language writes it; every other unit follows after a space (`360 s`, `3.80 GBP`,
 * `12 calls`). Numbers carry no floating-point noise (`0.3`, never `0.30000000000000004`).
 */

/** A number without floating-point noise: at most `significant` significant digits (12 by default), no trailing zeros. */
export function formatNumber(value: number, significant = 12): string {
    if (!Number.isFinite(value)) {
        return String(value);
    }
    const text = String(Number(value.toPrecision(significant)));
    return text === '-0' ? '0' : text;
}

/** A number with exactly `decimals` decimals (for tables), never `-0.0`. */
export function formatFixed(value: number, decimals: number): string {
    if (!Number.isFinite(value)) {
        return String(value);
    }
    const text = value.toFixed(decimals);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

export interface QuantityFormat {
    /** Exactly this many decimals; otherwise the number without floating-point noise. */
    readonly decimals?: number;
    /** Significant digits when `decimals` is not given (12 by default). */
    readonly significant?: number;
}

/**
 * A value with its unit symbol: `85%`, `360 s`, `3.80 GBP`; the bare number when there is no
 * unit. `symbol` is what the unit declares as its symbol (`%`, `s`), else its name.
 */
export function formatQuantity(value: number, symbol: string | null | undefined, format: QuantityFormat = {}): string {
    const number = format.decimals !== undefined ? formatFixed(value, format.decimals) : formatNumber(value, format.significant);
    if (!symbol) {
        return number;
    }
    return symbol === '%' ? `${number}%` : `${number} ${symbol}`;
}

/** A value in percent: `12.5%`; two decimals at most unless `format` says otherwise. */
export function formatPercent(value: number, format: QuantityFormat = {}): string {
    if (format.decimals === undefined && format.significant === undefined) {
        return formatQuantity(Number(value.toFixed(2)), '%');
    }
    return formatQuantity(value, '%', format);
}
