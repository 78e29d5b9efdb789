/** Small pieces of HTML that every section uses. Every text from the model or the data goes through `escapeHtml`. */
import type { RagStatus } from '@kra-lang/compiler/evaluate';
import { NO_STATUS, RAG } from './rag.js';

export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, char => ENTITIES[char]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `name="value"` pairs, escaped; null and undefined values are left out. */
export function attributes(values: Record<string, string | number | null | undefined>): string {
    return Object.entries(values)
        .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== undefined)
        .map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`)
        .join('');
}

/** A status with its icon and its word: `● Green`. */
export function ragBadge(status: RagStatus | null | undefined): string {
    if (!status) {
        return `<span class="rag rag-none" data-status="none"><span class="rag-icon" aria-hidden="true">${NO_STATUS.icon}</span> ${NO_STATUS.label}</span>`;
    }
    const style = RAG[status];
    return `<span class="rag rag-${status}" data-status="${status}"><span class="rag-icon" aria-hidden="true">${style.icon}</span> ${style.label}</span>`;
}

/** A status as an icon, with its word for screen readers and in the cell's tooltip. */
export function ragIcon(status: RagStatus | null | undefined): string {
    if (!status) {
        return `<span class="rag-icon" aria-hidden="true">${NO_STATUS.icon}</span><span class="sr">${NO_STATUS.label}</span>`;
    }
    return `<span class="rag-icon" aria-hidden="true">${RAG[status].icon}</span><span class="sr">${RAG[status].label}</span>`;
}

/** The key to the icons, shown above the tables and heat maps. */
export function ragLegend(): string {
    const items = (['green', 'amber', 'red'] as const).map(status => `<li>${ragBadge(status)}</li>`);
    return `<ul class="rag-legend" aria-label="Status key">${items.join('')}<li>${ragBadge(null)}</li></ul>`;
}
