/**
 * The live scorecard: what the worker evaluated after the last valid edit, what that edit
 * changed, and why there is nothing new when the workspace or the data has errors (the last
 * scorecard stays, marked as out of date).
 */
import type { DataProblem } from '@kra-lang/compiler/evaluate';
import type { ScorecardMessage, StatusChangeView } from '../protocol.js';

export class ScorecardPanel {
    private readonly state: HTMLElement;
    private readonly changes: HTMLElement;
    private readonly problems: HTMLElement;
    private readonly body: HTMLElement;
    private readonly style: HTMLStyleElement;
    /** Set once a scorecard has been shown: later failures mark it stale instead of removing it. */
    private shown = false;
    /** Evaluations so far (tests and the benchmark wait for the next one). */
    count = 0;

    constructor(private readonly root: HTMLElement, private readonly openSource: (path: string, line: number) => void) {
        this.state = element('p', 'scorecard-state');
        this.state.setAttribute('role', 'status');
        this.changes = element('div', 'scorecard-changes');
        this.changes.setAttribute('aria-live', 'polite');
        this.problems = element('div', 'scorecard-problems');
        this.body = element('div', 'scorecard-body');
        this.style = document.createElement('style');
        root.append(this.style, this.state, this.changes, this.problems, this.body);
        this.body.addEventListener('click', event => {
            const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[href^="#source="]');
            if (!link) {
                return;
            }
            event.preventDefault();
            const match = /^#source=(.*):(\d+)$/.exec(link.getAttribute('href') ?? '');
            if (match) {
                this.openSource(decodeURIComponent(match[1]), Number(match[2]));
            }
        });
        this.setState('Load data files (CSV or JSON, as kra eval takes them) to see the scorecard.');
    }

    update(message: ScorecardMessage): void {
        this.count++;
        this.root.dataset.state = message.state;
        this.problems.replaceChildren();
        switch (message.state) {
            case 'evaluated':
                this.shown = true;
                this.root.classList.remove('stale');
                if (this.style.textContent !== message.css) {
                    this.style.textContent = message.css;
                }
                // Escaped by @kra-lang/scorecard: every text from the workspace and the data.
                this.body.innerHTML = message.html;
                this.setState(`Scorecard for ${message.period}, updated after the last edit (${message.milliseconds} ms).`);
                this.showChanges(message.changes);
                if (message.problems.length > 0) {
                    this.showProblems('Warnings about the data', message.problems);
                }
                break;
            case 'invalid':
                this.stale(`The workspace has ${message.errors} error${message.errors === 1 ? '' : 's'}; the scorecard shows the last valid edit. Fix them (see Problems) to update it.`);
                break;
            case 'no-data':
                this.body.replaceChildren();
                this.changes.replaceChildren();
                this.shown = false;
                this.setState('No data files: load CSV or JSON files (as kra eval takes them) to see the scorecard.');
                break;
            case 'data-problems':
                this.stale('The data has errors; nothing was evaluated. The editor keeps working.');
                this.showProblems('Data problems', message.problems);
                break;
            case 'failed':
                this.stale(`The evaluator failed: ${message.message}. This is a bug in KRA Lang; please report it with the workspace and the data.`);
                break;
        }
    }

    private stale(text: string): void {
        this.root.classList.toggle('stale', this.shown);
        this.setState(text);
    }

    private setState(text: string): void {
        this.state.textContent = text;
    }

    private showChanges(changes: readonly StatusChangeView[] | null): void {
        if (changes === null) {
            this.changes.replaceChildren();
            return;
        }
        const heading = element('h3', '');
        heading.textContent = changes.length === 0 ? 'The last edit changed no KPI\'s status.' : `The last edit changed the status of ${changes.length} KPI${changes.length === 1 ? '' : 's'}:`;
        const list = element('ul', 'status-changes');
        for (const change of changes) {
            const item = element('li', 'status-change');
            item.dataset.kpi = change.kpi;
            item.textContent = `${change.title} (${change.kpi}): ${change.beforeText} → ${change.afterText}`;
            list.append(item);
        }
        this.changes.replaceChildren(heading, ...(changes.length > 0 ? [list] : []));
    }

    private showProblems(title: string, problems: readonly DataProblem[]): void {
        const heading = element('h3', '');
        heading.textContent = title;
        const list = element('ul', 'data-problems');
        for (const problem of problems.slice(0, 100)) {
            const item = element('li', `data-problem severity-${problem.severity}`);
            const place = [problem.file, problem.row === null ? null : `row ${problem.row}`, problem.column === null ? null : `column ${problem.column}`]
                .filter(part => part !== null).join(', ');
            item.textContent = `${problem.severity === 'error' ? '⛔ Error' : '⚠ Warning'}: ${place}: ${problem.message}`;
            list.append(item);
        }
        if (problems.length > 100) {
            const more = element('li', '');
            more.textContent = `… and ${problems.length - 100} more`;
            list.append(more);
        }
        this.problems.replaceChildren(heading, list);
    }
}

function element(tag: string, className: string): HTMLElement {
    const created = document.createElement(tag);
    if (className) {
        created.className = className;
    }
    return created;
}
