/**
 * The human views of a semantic diff: GitHub-flavoured Markdown for a pull-request comment,
 * and plain text for a terminal (with colours when the caller passes them).
 */
import type { ChangeContext, ChangeKind, DiffElementKind, SemanticChange, SemanticDiff } from './types.js';

export interface DiffLabels {
    /** What was compared, e.g. `origin/main` and `working tree`. */
    base: string;
    head: string;
}

/** Colour functions for the terminal view; identity functions give plain text. */
export interface DiffStyle {
    bold(text: string): string;
    dim(text: string): string;
    green(text: string): string;
    red(text: string): string;
    yellow(text: string): string;
    cyan(text: string): string;
}

const PLAIN: DiffStyle = { bold: t => t, dim: t => t, green: t => t, red: t => t, yellow: t => t, cyan: t => t };

const SECTIONS: ReadonlyArray<{ kind: ChangeKind; heading: string }> = [
    { kind: 'added', heading: 'Added' },
    { kind: 'removed', heading: 'Removed' },
    { kind: 'renamed', heading: 'Renamed' },
    { kind: 'changed', heading: 'Changed' }
];

const ELEMENT_LABELS: Record<DiffElementKind, string> = {
    organisation: 'Organisation', 'rating-scale': 'Rating scale', unit: 'Unit', perspective: 'Perspective', client: 'Client',
    department: 'Department', role: 'Role', objective: 'Objective', metric: 'Metric', kra: 'KRA', kpi: 'KPI',
    // A variant's title starts with its KPI's: `KPI Service level variant Short abandons excluded`.
    variant: 'KPI'
};

/** `3 added, 1 removed, 2 renamed, 9 changed`, leaving out zeros; `no changes` when empty. */
export function summaryText(diff: SemanticDiff): string {
    const parts = SECTIONS
        .filter(section => diff.summary[section.kind] > 0)
        .map(section => `${diff.summary[section.kind]} ${section.kind}`);
    return parts.length === 0 ? 'no changes' : parts.join(', ');
}

/** Consecutive changes with the same context (changes arrive sorted by context). */
function byContext(changes: readonly SemanticChange[]): Array<{ context: ChangeContext; changes: SemanticChange[] }> {
    const groups: Array<{ context: ChangeContext; changes: SemanticChange[] }> = [];
    for (const change of changes) {
        const last = groups[groups.length - 1];
        if (last && last.context.kind === change.context.kind && last.context.id === change.context.id) {
            last.changes.push(change);
        } else {
            groups.push({ context: change.context, changes: [change] });
        }
    }
    return groups;
}

function contextHeading(context: ChangeContext): string {
    return context.kind === 'organisation' ? 'Organisation-wide' : `${context.title} (${context.kind})`;
}

// ------------------------------------------------------------------ Markdown

/** Escapes text for a Markdown table cell or list item. */
function md(text: string): string {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*`<>[\]])/g, '\\$1').replace(/\r?\n/g, ' ')
        // `_` inside a word (ids like first_contact_resolution) never starts emphasis in GFM.
        .replace(/_/g, (underscore, offset: number, whole: string) =>
            /\w/.test(whole[offset - 1] ?? '') && /\w/.test(whole[offset + 1] ?? '') ? underscore : '\\_');
}

function code(text: string): string {
    const fence = text.includes('`') ? '``' : '`';
    return `${fence}${text.replace(/\|/g, '\\|')}${fence}`;
}

/** The detail of a change for Markdown: formulas in code spans, the rest escaped. */
function markdownDetail(change: SemanticChange, withoutTitle = false): string {
    const title = withoutTitle ? '' : `${md(change.title)} `;
    if (change.kind === 'changed' && change.field === 'formula') {
        const before = typeof change.before === 'string' ? code(change.before) : 'none';
        const after = typeof change.after === 'string' ? code(change.after) : 'none';
        return `${title}formula ${before} → ${after}`;
    }
    if (withoutTitle && change.detail.startsWith(`${change.title} `)) {
        return md(change.detail.slice(change.title.length + 1));
    }
    return md(change.detail);
}

function rolesCell(change: SemanticChange, roleTitles: ReadonlyMap<string, string>): string {
    return change.roles.length === 0 ? '' : md(change.roles.map(role => roleTitles.get(role) ?? role).join(', '));
}

/**
 * A pull-request comment: a heading with the counts, then Added, Removed, Renamed and Changed,
 * each grouped by department or role (changes as a table: element, change, roles appraised on it).
 */
export function renderMarkdown(diff: SemanticDiff, labels: DiffLabels, options: { roleTitles?: ReadonlyMap<string, string>; warnings?: readonly string[] } = {}): string {
    const roleTitles = options.roleTitles ?? new Map<string, string>();
    const lines: string[] = [];
    lines.push(`## KRA changes: ${summaryText(diff)}`, '');
    lines.push(`Comparing ${code(labels.base)} → ${code(labels.head)}.`, '');
    for (const warning of options.warnings ?? []) {
        lines.push(`> [!WARNING]`, `> ${md(warning)}`, '');
    }
    if (diff.changes.length === 0) {
        lines.push('No changes to KRAs, KPIs, roles, departments, metrics or objectives.', '');
        return lines.join('\n');
    }
    for (const section of SECTIONS) {
        const changes = diff.changes.filter(change => change.kind === section.kind);
        if (changes.length === 0) {
            continue;
        }
        lines.push(`### ${section.heading} (${changes.length})`, '');
        for (const group of byContext(changes)) {
            if (section.kind === 'changed') {
                lines.push(`#### ${md(contextHeading(group.context))}`, '');
                lines.push('| Element | Change | Roles appraised on it |', '|---|---|---|');
                for (const change of group.changes) {
                    lines.push(`| ${ELEMENT_LABELS[change.element]} ${md(change.title)} | ${markdownDetail(change, true)} | ${rolesCell(change, roleTitles)} |`);
                }
                lines.push('');
            } else {
                lines.push(`**${md(contextHeading(group.context))}**`, '');
                for (const change of group.changes) {
                    const roles = change.roles.length > 0 && change.element !== 'role' ? ` — appraises ${rolesCell(change, roleTitles)}` : '';
                    lines.push(`- ${markdownDetail(change)}${roles}`);
                }
                lines.push('');
            }
        }
    }
    return lines.join('\n');
}

// ------------------------------------------------------------------ terminal

const MARKS: Record<ChangeKind, { mark: string; colour: keyof DiffStyle }> = {
    added: { mark: '+', colour: 'green' },
    removed: { mark: '-', colour: 'red' },
    renamed: { mark: '~', colour: 'yellow' },
    changed: { mark: '*', colour: 'cyan' }
};

/** The terminal view: one line per change, `+ Operations · new KPI …`, grouped by section. */
export function renderText(diff: SemanticDiff, labels: DiffLabels, style: DiffStyle = PLAIN): string {
    const lines: string[] = [style.bold(`KRA changes ${labels.base} → ${labels.head}: ${summaryText(diff)}`)];
    for (const section of SECTIONS) {
        const changes = diff.changes.filter(change => change.kind === section.kind);
        if (changes.length === 0) {
            continue;
        }
        lines.push('', style.bold(`${section.heading} (${changes.length})`));
        const { mark, colour } = MARKS[section.kind];
        for (const change of changes) {
            lines.push(`  ${style[colour](mark)} ${style.dim(`${change.context.title} ·`)} ${change.detail}`);
        }
    }
    return `${lines.join('\n')}\n`;
}
