/**
 * The file tree and the problems list: plain DOM, keyboard first. The tree follows the ARIA tree
 * pattern (one tab stop, arrow keys move, Enter opens); the problems list is a list of buttons.
 */
import type * as lsp from 'vscode-languageserver-protocol';
import { messageOf, ruleLink, ruleOf, severityOf, type Severity } from './diagnostics.js';
import type { Studio } from './studio.js';

const SEVERITY_LABELS: Record<Severity, { icon: string; label: string }> = {
    error: { icon: '⛔', label: 'Error' },
    warning: { icon: '⚠', label: 'Warning' },
    info: { icon: 'ℹ', label: 'Info' },
    hint: { icon: '💡', label: 'Hint' }
};

export function renderTree(container: HTMLElement, studio: Studio): void {
    // Redrawn on every change: the item that had the keyboard focus keeps it.
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-path]');
    const focusedPath = focused && container.contains(focused) ? focused.dataset.path : undefined;
    const files = studio.list();
    const errorsByUri = new Map<string, number>();
    for (const [uri, diagnostics] of studio.diagnostics.all()) {
        errorsByUri.set(uri, diagnostics.filter(diagnostic => severityOf(diagnostic) === 'error').length);
    }
    const tree = document.createElement('ul');
    tree.setAttribute('role', 'tree');
    tree.setAttribute('aria-label', 'Workspace files');
    let folder = '';
    let group: HTMLElement = tree;
    for (const file of files) {
        const slash = file.path.lastIndexOf('/');
        const dir = slash < 0 ? '' : file.path.substring(0, slash);
        if (dir !== folder) {
            folder = dir;
            if (dir === '') {
                group = tree;
            } else {
                const item = document.createElement('li');
                item.setAttribute('role', 'treeitem');
                item.setAttribute('aria-expanded', 'true');
                item.className = 'folder';
                const label = document.createElement('span');
                label.textContent = `${dir}/`;
                group = document.createElement('ul');
                group.setAttribute('role', 'group');
                item.append(label, group);
                tree.append(item);
            }
        }
        const item = document.createElement('li');
        item.setAttribute('role', 'treeitem');
        item.dataset.path = file.path;
        item.tabIndex = file.path === (focusedPath ?? studio.current ?? files[0]?.path) ? 0 : -1;
        item.className = `file kind-${file.kind}`;
        if (file.path === studio.current) {
            item.setAttribute('aria-selected', 'true');
        }
        const errors = errorsByUri.get(file.uri) ?? 0;
        const name = file.path.substring(slash + 1);
        item.textContent = name;
        const notes: string[] = [];
        if (file.modified) {
            notes.push('modified');
            item.append(badge('●', 'modified'));
        }
        if (errors > 0) {
            notes.push(`${errors} error${errors === 1 ? '' : 's'}`);
            item.append(badge(`⛔ ${errors}`, `${errors} error${errors === 1 ? '' : 's'}`));
        }
        item.setAttribute('aria-label', [name, ...notes].join(', '));
        group.append(item);
    }
    container.replaceChildren(tree);
    if (focusedPath !== undefined) {
        tree.querySelector<HTMLElement>(`[data-path="${CSS.escape(focusedPath)}"]`)?.focus();
    }
    tree.addEventListener('click', event => {
        const item = (event.target as HTMLElement).closest<HTMLElement>('[data-path]');
        if (item) {
            void studio.open(item.dataset.path);
        }
    });
    tree.addEventListener('keydown', event => {
        const items = [...tree.querySelectorAll<HTMLElement>('[data-path]')];
        const index = items.indexOf(document.activeElement as HTMLElement);
        const move = (to: number) => {
            const target = items[Math.max(0, Math.min(items.length - 1, to))];
            items.forEach(item => { item.tabIndex = item === target ? 0 : -1; });
            target?.focus();
        };
        switch (event.key) {
            case 'ArrowDown': move(index + 1); break;
            case 'ArrowUp': move(index - 1); break;
            case 'Home': move(0); break;
            case 'End': move(items.length - 1); break;
            case 'Enter':
            case ' ':
                if (index >= 0) {
                    void studio.open(items[index].dataset.path).then(() => studio.view.focus());
                }
                break;
            default: return;
        }
        event.preventDefault();
    });
}

function badge(text: string, label: string): HTMLElement {
    const element = document.createElement('span');
    element.className = 'badge';
    element.textContent = text;
    element.setAttribute('aria-hidden', 'true');
    element.title = label;
    return element;
}

/** Every file's problems, errors first; each one opens its place in the editor. */
export function renderProblems(list: HTMLElement, summary: HTMLElement, studio: Studio): void {
    const rows: Array<{ path: string; diagnostic: lsp.Diagnostic }> = [];
    for (const [uri, diagnostics] of studio.diagnostics.all()) {
        const path = studio.pathOf(uri) ?? decodeURIComponent(uri.replace(/^file:\/\/\/workspace\//, ''));
        diagnostics.forEach(diagnostic => rows.push({ path, diagnostic }));
    }
    const order: Severity[] = ['error', 'warning', 'info', 'hint'];
    rows.sort((a, b) => order.indexOf(severityOf(a.diagnostic)) - order.indexOf(severityOf(b.diagnostic))
        || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
        || a.diagnostic.range.start.line - b.diagnostic.range.start.line);
    const counts = order.map(severity => ({ severity, count: rows.filter(row => severityOf(row.diagnostic) === severity).length }));
    summary.textContent = rows.length === 0 ? 'No problems'
        : counts.filter(entry => entry.count > 0).map(entry => `${entry.count} ${SEVERITY_LABELS[entry.severity].label.toLowerCase()}${entry.count === 1 ? '' : 's'}`).join(', ');
    const items = rows.map(({ path, diagnostic }) => {
        const severity = severityOf(diagnostic);
        const item = document.createElement('li');
        item.className = `problem severity-${severity}`;
        const button = document.createElement('button');
        button.type = 'button';
        const { line, character } = diagnostic.range.start;
        const icon = document.createElement('span');
        icon.className = 'severity';
        icon.textContent = `${SEVERITY_LABELS[severity].icon} ${SEVERITY_LABELS[severity].label}`;
        const place = document.createElement('span');
        place.className = 'place';
        place.textContent = `${path}:${line + 1}:${character + 1}`;
        const message = document.createElement('span');
        message.className = 'message';
        message.textContent = messageOf(diagnostic);
        button.append(icon, ' ', place, ' ', message);
        button.addEventListener('click', () => {
            void studio.open(path, diagnostic.range.start).then(() => studio.view.focus());
        });
        item.append(button);
        const rule = ruleOf(diagnostic);
        if (rule) {
            item.append(' ', ruleLink(rule, diagnostic.codeDescription?.href));
        }
        return item;
    });
    list.replaceChildren(...items);
}
