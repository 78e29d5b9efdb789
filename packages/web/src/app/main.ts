/**
 * KRA Studio's entry point: lays out the page, loads the workspace (from `kra studio`, or
 * whatever the user opens) and wires the toolbar.
 */
import { ScorecardPanel } from './scorecard-panel.js';
import { renderProblems, renderTree } from './panels.js';
import { canOpenFolder, downloadZip, loadFromServer, loadUploads, openFolder, type LoadedWorkspace } from './sources.js';
import { Studio } from './studio.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const tree = byId('files');
const problems = byId('problems-list');
const problemsSummary = byId('problems-summary');
const status = byId('status');
const saveButton = byId<HTMLButtonElement>('save');
const workspaceName = byId('workspace-name');

let redraw: number | undefined;
const scheduleRedraw = (what: 'files' | 'problems') => {
    pendingRedraw.add(what);
    redraw ??= requestAnimationFrame(() => {
        redraw = undefined;
        if (pendingRedraw.has('files') || pendingRedraw.has('problems')) {
            renderTree(tree, studio);
        }
        if (pendingRedraw.has('problems')) {
            renderProblems(problems, problemsSummary, studio);
        }
        pendingRedraw.clear();
        const modified = studio.list().filter(file => file.modified).length;
        // Files loaded into the page have nowhere to be saved but a download.
        saveButton.hidden = !studio.canSave;
        saveButton.textContent = `Save${modified > 0 ? ` (${modified})` : ''}`;
        document.title = `${modified > 0 ? '● ' : ''}${studio.name ? `${studio.name} – ` : ''}KRA Studio`;
    });
};
const pendingRedraw = new Set<'files' | 'problems'>();

const panel = new ScorecardPanel(byId('scorecard-panel'), (path, line) => void studio.open(path, { line: line - 1, character: 0 }).then(() => studio.view.focus()));

const studio = new Studio(byId('editor'), {
    filesChanged: () => scheduleRedraw('files'),
    problemsChanged: () => scheduleRedraw('problems'),
    scorecard: message => panel.update(message),
    status: (text, kind) => {
        status.textContent = text;
        status.classList.toggle('error', kind === 'error');
    }
});

async function show(loaded: LoadedWorkspace | undefined): Promise<void> {
    if (!loaded) {
        return;
    }
    await studio.load(loaded);
    workspaceName.textContent = loaded.name;
    const refused = loaded.refusals.length;
    const kraFiles = loaded.files.filter(file => file.path.endsWith('.kra')).length;
    status.classList.toggle('error', refused > 0);
    status.textContent = `Loaded ${loaded.files.length} file${loaded.files.length === 1 ? '' : 's'} (${kraFiles} .kra).`
        + (refused === 0 ? '' : ` Left out ${refused}: ${loaded.refusals.slice(0, 5).map(refusal => `${refusal.path} (${refusal.reason})`).join('; ')}${refused > 5 ? '; …' : ''}.`);
    scheduleRedraw('problems');
}

const failed = (error: unknown) => {
    status.textContent = `Could not load: ${error instanceof Error ? error.message : String(error)}`;
    status.classList.add('error');
};

const openFolderButton = byId<HTMLButtonElement>('open-folder');
openFolderButton.hidden = !canOpenFolder();
openFolderButton.addEventListener('click', () => { openFolder().then(show, failed); });
const upload = byId<HTMLInputElement>('upload');
upload.addEventListener('change', () => {
    const chosen = [...(upload.files ?? [])];
    upload.value = '';
    if (chosen.length > 0) {
        loadUploads(chosen).then(show, failed);
    }
});
saveButton.addEventListener('click', () => { void studio.save(); });
byId<HTMLButtonElement>('download').addEventListener('click', () => {
    downloadZip(studio.all(), `${studio.name || 'workspace'}.zip`);
});
window.addEventListener('beforeunload', event => {
    if (studio.list().some(file => file.modified)) {
        event.preventDefault();
    }
});

// Tests and the benchmark read the Studio's state through this (nothing else uses it).
(window as unknown as { kraStudio: unknown }).kraStudio = { studio, panel };

loadFromServer().then(async loaded => {
    if (loaded) {
        await show(loaded);
    } else {
        status.textContent = 'Open a folder, or load .kra files, kra.config.yaml, data files or a zip. Nothing leaves this browser.';
    }
}, failed);
