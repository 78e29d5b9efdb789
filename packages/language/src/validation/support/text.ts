// Small message helpers of the smart/* rules.
import type { AstNode } from 'langium';

/** `describe(node)` starts a sentence: "Objective 'grow'", "KPI 'aht'". */
export function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "improve", "quality" and "performance" */
export function quoteList(items: readonly string[]): string {
    const quoted = items.map(item => `"${item}"`);
    return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** The source text of a node, on one line, as the user wrote it. */
export function sourceText(node: AstNode | undefined): string {
    return node?.$cstNode?.text.replace(/\s+/g, ' ').trim() ?? '';
}
