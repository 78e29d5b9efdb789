import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, git, REPO, runKra, scratchFolder } from '../../../test/support/cli.js';

const EXAMPLE = path.join(REPO, 'examples/contact-centre');

/** kra in `cwd`, with no git settings of the user's or the system's (the revisions are the scratch repositories'). */
function kra(args: string[], cwd = REPO) {
    return runKra(args, { cwd, env: cleanEnv() });
}

const { root: scratch } = scratchFolder('kra-diff-');

/** A copy of the example's .kra files (and README) in `dir`. */
function copyExample(dir: string): string {
    cpSync(EXAMPLE, dir, { recursive: true, filter: source => !source.includes(`${path.sep}data`) });
    return dir;
}

/** Replaces `from` with `to` in a file of `dir`; fails when `from` is not there exactly once. */
function replaceIn(dir: string, file: string, from: string | RegExp, to: string): void {
    const full = path.join(dir, file);
    const text = readFileSync(full, 'utf8');
    const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, `${from.flags.replace('g', '')}g`)) ?? []).length;
    expect(count, `${file} contains ${String(from)} once`).toBe(1);
    writeFileSync(full, text.replace(from, to));
}

/** Every kind of change the diff reports, made to a copy of the example. */
function changeEverything(dir: string): void {
    // KPIs: one added, one removed, one renamed (same title, new id)
    replaceIn(dir, 'operations.kra', '    kpi abandonment_rate "Abandonment rate" {',
        '    kpi repeat_contact_rate "Repeat contact rate" {\n'
        + '      description "Share of raised issues that needed a second contact within 7 days."\n'
        + '      formula safe_ratio(issues_raised - issues_resolved_first_contact, issues_raised)\n'
        + '      unit %\n      lower is better\n      target at most 20% by 2026-12-31\n      weight 10%\n    }\n\n'
        + '    kpi abandonment_rate "Abandonment rate" {');
    replaceIn(dir, 'operations.kra', /\n {4}\/\*\* NPS runs[\s\S]*?\n {4}kpi nps [\s\S]*?\n {4}\}\n/, '\n');
    replaceIn(dir, 'operations.kra', 'kpi schedule_adherence "Schedule adherence"', 'kpi adherence "Schedule adherence"');
    replaceIn(dir, 'roles.kra', 'measured by operations.productivity.schedule_adherence weighted 50%', 'measured by operations.productivity.adherence weighted 50%');
    replaceIn(dir, 'roles.kra', 'measured by operations.productivity.schedule_adherence weighted 35%', 'measured by operations.productivity.adherence weighted 35%');
    replaceIn(dir, 'workforce.kra', 'measured by operations.productivity.schedule_adherence weighted 50%', 'measured by operations.productivity.adherence weighted 50%');
    // KRAs: one added, one removed, one renamed
    replaceIn(dir, 'roles.kra', '  kra people_development "People development" {',
        '  kra escalations "Escalation handling" {\n'
        + '    description "Escalated calls are taken over quickly and resolved without a further complaint."\n'
        + '    owner team_leader\n    perspective customer\n    aligns to operations.service\n    weight 20%\n'
        + '    measured by operations.service.fcr weighted 100%\n  }\n\n'
        + '  kra people_development "People development" {');
    replaceIn(dir, 'roles.kra', /\n {2}kra process_compliance "Process compliance" \{[\s\S]*?\n {2}\}\n/, '\n');
    replaceIn(dir, 'roles.kra', 'kra floor_impact "Quality on the floor"', 'kra quality_on_floor "Quality on the floor"');
    // roles: one added, one removed, one renamed
    replaceIn(dir, 'roles.kra', '/** Team leaders: team performance',
        'role senior_agent "Senior agent" in operations {\n  reports to team_leader\n'
        + '  description "Takes the hardest calls and mentors new agents on the floor."\n'
        + '  carries operations.service weighted 100%\n}\n\n/** Team leaders: team performance');
    replaceIn(dir, 'roles.kra', /\nrole hr_business_partner [\s\S]*$/, '\n');
    writeFileSync(path.join(dir, 'roles.kra'), readFileSync(path.join(dir, 'roles.kra'), 'utf8')
        .replace('role quality_analyst "Quality analyst"', 'role qa_analyst "Quality analyst"')
        .replaceAll('owner quality_analyst', 'owner qa_analyst'));
    // fields
    replaceIn(dir, 'operations.kra', 'formula safe_ratio(calls_abandoned, calls_offered)', 'formula safe_ratio(calls_abandoned - short_abandons, calls_offered)');
    replaceIn(dir, 'operations.kra', /(kpi billable_utilisation[\s\S]*?)unit %/, '$1unit ratio');
    replaceIn(dir, 'operations.kra', 'target at most 380 s by 2026-12-31', 'target at most 360 s by 2026-12-31');
    replaceIn(dir, 'operations.kra', 'amber at most 420 s, red above 420 s', 'amber at most 400 s, red above 400 s');
    replaceIn(dir, 'roles.kra', 'carries operations.customer_experience weighted 25%', 'carries operations.customer_experience weighted 30%');
    replaceIn(dir, 'operations.kra', '      owner operations_manager\n      weight 60%', '      owner operations_manager\n      weight 65%');
    replaceIn(dir, 'operations.kra', '      owner operations_manager\n      weight 50%\n      tags "efficiency"', '      owner team_leader\n      weight 50%\n      tags "efficiency"');
}

/** The lines every format must word the same way (the text view prefixes them with a mark). */
const EXPECTED_MESSAGES = [
    'Operations · new KPI Repeat contact rate in Service performance weighted 10% (KPI weights in Service performance now sum to 110%)',
    'Operations · new role Senior agent with 1 KRA',
    'Team leader · new KRA Escalation handling weighted 20% (KRA weights now sum to 105%)',
    'Operations · KPI Net promoter score (NPS) removed from Customer experience (KPI weights in Customer experience now sum to 65%)',
    'Team leader · KRA Process compliance removed (KRA weights now sum to 105%)',
    'Human resources · role HR business partner removed',
    'HR business partner · KRA Employee relations removed',
    'HR business partner · KPI Grievance resolution time removed from Employee relations',
    'Operations · KPI Schedule adherence renamed (id schedule_adherence → adherence)',
    'Training and quality · role Quality analyst renamed (id quality_analyst → qa_analyst)',
    'Trainer · KRA Quality on the floor renamed (id floor_impact → quality_on_floor)',
    'Operations · Abandonment rate formula safe_ratio(calls_abandoned, calls_offered) → safe_ratio(calls_abandoned - short_abandons, calls_offered)',
    'Operations · Customer satisfaction (CSAT) weight in Customer experience 60% → 65% (KPI weights in Customer experience now sum to 65%)',
    'Operations · Average handle time (AHT) target 380 s → 360 s by 2026-12-31',
    'Operations · Average handle time (AHT) amber threshold at most 420 s → at most 400 s',
    'Operations · Average handle time (AHT) red threshold above 420 s → above 400 s',
    'Operations · Average handle time (AHT) owner Operations manager → Team leader',
    'Operations · Billable utilisation unit percent → ratio',
    'Team leader · Customer experience weight 25% → 30% (KRA weights now sum to 105%)'
];

describe('kra diff between two folders', () => {
    const base = path.join(scratch, 'base');
    const head = path.join(scratch, 'head');
    beforeAll(() => {
        copyExample(base);
        copyExample(head);
        changeEverything(head);
    });

    it('words every kind of change in the terminal view, grouped in sections, and exits 0', async () => {
        const result = await kra(['diff', base, head]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const lines = result.stdout.split('\n');
        expect(lines[0]).toBe(`KRA changes ${base} → ${head}: 3 added, 5 removed, 3 renamed, 8 changed`);
        for (const message of EXPECTED_MESSAGES) {
            expect(lines.some(line => /^ {2}[+\-~*] /.test(line) && line.slice(4) === message), message).toBe(true);
        }
        expect(lines.filter(line => /^ {2}[+\-~*] /.test(line))).toHaveLength(EXPECTED_MESSAGES.length);
        expect(lines).toContain('Added (3)');
        expect(lines).toContain('Changed (8)');
        expect(lines).toContain('  + Operations · new role Senior agent with 1 KRA');
        expect(lines).toContain('  - Team leader · KRA Process compliance removed (KRA weights now sum to 105%)');
        expect(lines).toContain('  ~ Operations · KPI Schedule adherence renamed (id schedule_adherence → adherence)');
        expect(lines).toContain('  * Operations · Average handle time (AHT) target 380 s → 360 s by 2026-12-31');
    });

    it('gives a Markdown comment with counts, sections and tables grouped by department and role', async () => {
        const result = await kra(['diff', base, head, '--format', 'markdown']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const markdown = result.stdout;
        expect(markdown.startsWith('## KRA changes: 3 added, 5 removed, 3 renamed, 8 changed\n')).toBe(true);
        const sections = ['### Added (3)', '### Removed (5)', '### Renamed (3)', '### Changed (8)'].map(heading => markdown.indexOf(heading));
        expect(sections.every(index => index > 0)).toBe(true);
        expect([...sections].sort((a, b) => a - b)).toEqual(sections);
        expect(markdown).toContain('**Team leader (role)**\n\n- new KRA Escalation handling weighted 20% (KRA weights now sum to 105%) — appraises Team leader\n');
        expect(markdown).toContain('- role HR business partner removed\n');
        expect(markdown).toContain('#### Operations (department)\n\n| Element | Change | Roles appraised on it |\n|---|---|---|\n');
        expect(markdown).toContain('| KPI Abandonment rate | formula `safe_ratio(calls_abandoned, calls_offered)` → `safe_ratio(calls_abandoned - short_abandons, calls_offered)` | Operations manager, Senior agent |\n');
        expect(markdown).toContain('| KPI Average handle time (AHT) | target 380 s → 360 s by 2026-12-31 | Customer support executive, Operations manager, Team leader |\n');
        expect(markdown).toContain('#### Team leader (role)\n\n| Element | Change | Roles appraised on it |\n|---|---|---|\n'
            + '| Role Team leader | Customer experience weight 25% → 30% (KRA weights now sum to 105%) | Team leader |\n');
    });

    it('gives JSON with a stable structure for every change', async () => {
        const result = await kra(['diff', base, head, '--format', 'json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const json = JSON.parse(result.stdout);
        expect(Object.keys(json)).toEqual(['version', 'base', 'head', 'summary', 'changes', 'warnings']);
        expect(json.version).toBe(1);
        expect(json.base).toEqual({ kind: 'folder', label: base, path: realpathSync(base) });
        expect(json.summary).toEqual({ added: 3, removed: 5, renamed: 3, changed: 8, total: 19 });
        expect(json.warnings).toEqual([]);
        expect(json.changes.map((change: { message: string }) => change.message).sort()).toEqual([...EXPECTED_MESSAGES].sort());
        for (const change of json.changes) {
            expect(Object.keys(change)).toEqual(['kind', 'element', 'id', 'previousId', 'field', 'key', 'before', 'after', 'title', 'context', 'roles', 'detail', 'message', 'source']);
        }
        const target = json.changes.find((change: { field: string }) => change.field === 'target');
        expect(target).toMatchObject({
            kind: 'changed', element: 'kpi', id: 'operations.productivity.aht', previousId: null, field: 'target', key: '|at-most',
            before: { client: null, goal: { kind: 'at-most', value: { value: 380, unit: 'seconds' } }, timing: { deadline: '2026-12-31' } },
            after: { client: null, goal: { kind: 'at-most', value: { value: 360, unit: 'seconds' } } },
            context: { kind: 'department', id: 'operations', title: 'Operations' },
            source: { file: 'operations.kra', line: expect.any(Number) }
        });
        const weight = json.changes.find((change: { field: string; element: string }) => change.field === 'kra-weight');
        expect(weight).toMatchObject({ element: 'role', id: 'team_leader', key: 'operations.customer_experience', before: 25, after: 30 });
        const renamed = json.changes.find((change: { kind: string; element: string }) => change.kind === 'renamed' && change.element === 'role');
        expect(renamed).toMatchObject({ id: 'qa_analyst', previousId: 'quality_analyst', before: { id: 'quality_analyst' }, after: { id: 'qa_analyst' } });
    });

    it('exits 1 with --exit-code when there are changes and 0 when there are none', async () => {
        expect((await kra(['diff', base, head, '--exit-code'])).code).toBe(1);
        const same = await kra(['diff', base, base, '--exit-code']);
        expect(same.code).toBe(0);
        expect(same.stdout).toBe(`KRA changes ${base} → ${base}: no changes\n`);
        expect((await kra(['diff', base, base, '--exit-code', '--format', 'json'])).code).toBe(0);
    });

    it('diffs what parsed when a file does not parse, with a warning naming the file', async () => {
        const broken = copyExample(path.join(scratch, 'broken'));
        replaceIn(broken, 'operations.kra', 'target at most 380 s by 2026-12-31', 'target at most 360 s by 2026-12-31');
        replaceIn(broken, 'operations.kra', 'target at most 5% by 2026-12-31', 'target at most by 2026-12-31');
        const text = await kra(['diff', base, broken]);
        expect(text.code).toBe(0);
        expect(text.stderr).toMatch(/^warning head \(.*broken\): operations\.kra has (a syntax error|\d+ syntax errors) \(line \d+: .*\); the diff shows the declarations that parsed; changes in this file may be incomplete\.\n$/);
        expect(text.stdout).toContain('  * Operations · Average handle time (AHT) target 380 s → 360 s by 2026-12-31');
        expect(text.stdout).toContain('  * Operations · Abandonment rate target removed (was at most 5% by 2026-12-31)');
        expect(text.stdout).not.toContain('KPI Abandonment rate removed');

        const json = await kra(['diff', base, broken, '--format', 'json']);
        expect(json.stderr).toBe('');
        const parsed = JSON.parse(json.stdout);
        expect(parsed.warnings).toEqual([{ side: 'head', file: 'operations.kra', line: expect.any(Number), message: expect.stringContaining('operations.kra has') }]);

        const markdown = await kra(['diff', broken, base, '--format', 'markdown']);
        expect(markdown.stderr).toContain('warning base (');
        expect(markdown.stdout).toContain('> [!WARNING]\n> base (');
    });

    it('refuses an argument that is neither a folder nor a revision, and a bad --format', async () => {
        const missing = await kra(['diff', path.join(scratch, 'no-such-folder'), head]);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toBe(`kra diff: ${path.join(scratch, 'no-such-folder')} is neither a folder nor a git revision.\nRun 'kra diff --help' for usage.\n`);
        const outsideGit = await kra(['diff', 'main'], base);
        expect(outsideGit.code).toBe(2);
        expect(outsideGit.stderr).toBe(`kra diff: main is not a folder, and ${base} is not in a git repository, so it cannot be a revision.\nRun 'kra diff --help' for usage.\n`);
        expect((await kra(['diff', base, head, '--format', 'html'])).code).toBe(2);
    });
});

describe('kra diff against git revisions', () => {
    const repo = path.join(scratch, 'repo');
    beforeAll(() => {
        mkdirSync(repo);
        git(['init', '-q'], repo);
        copyExample(path.join(repo, 'org'));
        writeFileSync(path.join(repo, 'README.md'), 'A repository with a KRA workspace in org/.\n');
        git(['add', '-A'], repo);
        git(['commit', '-q', '-m', 'example'], repo);
    });

    it('compares the working tree with HEAD, from inside the workspace and with --path', async () => {
        const workspace = path.join(repo, 'org');
        expect(await kra(['diff', 'HEAD', '--exit-code'], workspace)).toMatchObject({ code: 0, stdout: 'KRA changes HEAD → working tree: no changes\n' });
        replaceIn(workspace, 'operations.kra', 'target at most 380 s by 2026-12-31', 'target at most 330 s by 2026-12-31');
        replaceIn(workspace, 'roles.kra', 'carries operations.customer_experience weighted 25%', 'carries operations.customer_experience weighted 30%');
        const inside = await kra(['diff', 'HEAD'], workspace);
        expect(inside.stderr).toBe('');
        expect(inside.code).toBe(0);
        expect(inside.stdout).toBe([
            'KRA changes HEAD → working tree: 2 changed',
            '',
            'Changed (2)',
            '  * Operations · Average handle time (AHT) target 380 s → 330 s by 2026-12-31',
            '  * Team leader · Customer experience weight 25% → 30% (KRA weights now sum to 105%)',
            '',
            'Not committed yet: with `kra eval --definitions history`, these changes apply to the periods that close after the commit that records them; periods already closed keep the definitions they had.',
            ''
        ].join('\n'));
        const fromRoot = await kra(['diff', 'HEAD', '--path', 'org', '--exit-code', '--format', 'json'], repo);
        expect(fromRoot.code).toBe(1);
        const json = JSON.parse(fromRoot.stdout);
        expect(json.base).toMatchObject({ kind: 'revision', label: 'HEAD', revision: 'HEAD', path: 'org', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
        expect(json.head).toMatchObject({ kind: 'folder', label: 'working tree (org)' });
        expect(json.changes.map((change: { message: string }) => change.message)).toEqual([
            'Operations · Average handle time (AHT) target 380 s → 330 s by 2026-12-31',
            'Team leader · Customer experience weight 25% → 30% (KRA weights now sum to 105%)'
        ]);
    });

    it('compares two revisions, and a revision with a broken file', async () => {
        const workspace = path.join(repo, 'org');
        git(['commit', '-q', '-am', 'tighter AHT target'], repo, '2026-07-01T09:00:00+02:00');
        const revisions = await kra(['diff', 'HEAD~1', 'HEAD', '--path', 'org'], repo);
        expect(revisions.code).toBe(0);
        expect(revisions.stdout).toContain('KRA changes HEAD~1 → HEAD: 2 changed\n');
        // An effective-dated change is worded as such: from the day of its commit (UTC).
        expect(revisions.stdout).toContain('In force from 2026-07-01 (committed 2026-07-01T09:00:00+02:00): with `kra eval --definitions history`, these changes apply to the periods that end on or after 2026-07-01;');
        expect(revisions.stdout).toContain('  * Operations · Average handle time (AHT) target 380 s → 330 s by 2026-12-31\n');

        replaceIn(workspace, 'operations.kra', 'kpi fcr "First contact resolution (FCR)" {', 'kpi fcr "First contact resolution (FCR)" {\n      unit %%%\n');
        git(['commit', '-q', '-am', 'broken'], repo);
        const broken = await kra(['diff', 'HEAD~1', 'HEAD'], workspace);
        expect(broken.code).toBe(0);
        expect(broken.stderr).toMatch(/^warning head \(HEAD\): operations\.kra has .*syntax error/);
        expect(broken.stdout).toContain('KRA changes HEAD~1 → HEAD');
    });

    it('refuses a revision that does not exist with a one-line error, the usage hint and exit 2', async () => {
        const result = await kra(['diff', 'no-such-branch'], path.join(repo, 'org'));
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe("kra diff: no-such-branch is neither a folder nor a git revision.\nRun 'kra diff --help' for usage.\n");
        expect(await kra(['diff', 'HEAD', '--path', 'nowhere'], repo)).toMatchObject({ code: 2, stderr: "kra diff: --path nowhere: no such file or folder.\nRun 'kra diff --help' for usage.\n" });
    });

    it('reads files through git, not from the disk: a file deleted from the working tree shows as removed', async () => {
        const other = path.join(scratch, 'repo2');
        mkdirSync(other);
        git(['init', '-q'], other);
        copyExample(other);
        git(['add', '-A'], other);
        git(['commit', '-q', '-m', 'example'], other);
        rmSync(path.join(other, 'workforce.kra'));
        const result = await kra(['diff', 'HEAD', '--exit-code'], other);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain('  - Operations · department Workforce management removed\n');
    });
});
