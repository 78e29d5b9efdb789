import stringWidth from 'string-width';

/**
 * Text in terminal columns: East Asian wide characters (顧客満足度) take two, combining marks and
 * colour codes none, so that table columns line up whatever the KPI titles are written in.
 */
export function width(text: string): number {
    return stringWidth(text);
}

export function padEnd(text: string, columns: number): string {
    return text + ' '.repeat(Math.max(0, columns - width(text)));
}

export function padStart(text: string, columns: number): string {
    return ' '.repeat(Math.max(0, columns - width(text))) + text;
}
