import { describe, expect, it } from 'vitest';
import type { DataProblem } from '../../src/evaluate/data.js';
import { checkAssignments, isAssignmentsText, parseAssignments } from '../../src/evaluate/appraisal/assignments.js';
import { AGENTS_CSV, assignments, dataSet, FINANCE_CSV, TEAMS_CSV } from './fixture.js';

function text(problems: readonly DataProblem[]): string[] {
    return problems.map(problem => `${[problem.file, problem.row, problem.column].filter(part => part !== null).join(':')} ${problem.severity}: ${problem.message}`);
}

const DATA = dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV });

describe('assignments export', () => {
    it('reads person, role, team, from and to; an empty `to` is open-ended, an empty team a role outside teams', () => {
        const file = assignments('person,role,team,from,to\nann,agent,north,2026-01-01,2026-06-30\neve,lead,,2026-01-01,\n');
        expect(file.problems).toEqual([]);
        expect(file.assignments.map(a => [a.person, a.role, a.team, a.row, a.to === null])).toEqual([['ann', 'agent', 'north', 2, false], ['eve', 'lead', null, 3, true]]);
    });

    it('is told from its header', () => {
        expect(isAssignmentsText('person,role,team,from,to\n', 'csv')).toBe(true);
        expect(isAssignmentsText('\uFEFF"person",role\n', 'csv')).toBe(true);
        expect(isAssignmentsText('period,agent,calls\n', 'csv')).toBe(false);
        expect(isAssignmentsText('[{"person":"ann","role":"agent"}]', 'json')).toBe(true);
        expect(isAssignmentsText('{"assignments":[]}', 'json')).toBe(true);
        expect(isAssignmentsText('[{"period":"2026-07"}]', 'json')).toBe(false);
    });

    it('reports an unknown role, bad or out-of-order dates and empty cells with file, row and column', () => {
        const file = assignments([
            'person,role,team,from,to,email',
            'ann,agnet,north,2026-01-01,,ann@example.com',
            'bob,agent,north,2026-13-01,',
            'cat,agent,north,2026-07-01,2026-06-30',
            ',agent,north,2026-01-01,',
            'dan,agent,north,,'
        ].join('\n'));
        expect(text(file.problems)).toEqual([
            "people/assignments.csv:1:6 warning: column 'email' is ignored: an assignments export has the columns person, role, team, from, to (leave other personal data out of it)",
            "people/assignments.csv:2:2 error: column 'role': the workspace declares no role 'agnet'. Did you mean 'agent'?",
            "people/assignments.csv:3:4 error: column 'from': '2026-13-01' is not a date; write YYYY-MM-DD",
            'people/assignments.csv:4:5 error: dates out of order: the assignment ends (2026-06-30) before it starts (2026-07-01)',
            "people/assignments.csv:5:1 error: column 'person' is empty: every assignment names the person",
            "people/assignments.csv:6:4 error: column 'from' is empty: every assignment has a first day (YYYY-MM-DD)"
        ]);
        expect(file.assignments).toEqual([]);
        expect(text(parseAssignments('name,role\n', { file: 'a.csv', roles: [] }).problems)).toContain(
            "a.csv:1 error: the header has no 'person', 'from' columns; an assignments export has the columns person, role, team, from, to");
    });

    it('reads JSON, naming the object and the key', () => {
        const file = parseAssignments(JSON.stringify({ assignments: [{ person: 'ann', role: 'agent', team: 'north', from: '2026-01-01', to: null }, { person: 'bob', role: 'boss', from: '2026-01-01' }] }),
            { file: 'hr.json', roles: ['agent'] });
        expect(text(file.problems)).toEqual(['hr.json:2 error: key "role": the workspace declares no role \'boss\'']);
        expect(file.assignments).toHaveLength(1);
    });

    it('finds overlapping assignments, unknown teams, people in the data with no assignment and the reverse', () => {
        const file = assignments([
            'person,role,team,from,to',
            'ann,agent,north,2026-01-01,2026-06-30',
            'ann,agent,nrth,2026-06-30,',
            'bob,agent,north,2026-07-01,',
            'zoe,agent,south,2026-01-01,',
            'dave,lead,north,2026-01-01,'
        ].join('\n'));
        expect(file.problems).toEqual([]);
        expect(text(checkAssignments(file.assignments, DATA))).toEqual([
            "people/assignments.csv:3 error: unknown team 'nrth' for ann: the data's teams are north, south. Did you mean 'north'?",
            'people/assignments.csv:3 error: overlapping assignments for ann: this one starts 2026-06-30, but the one in people/assignments.csv:2 runs to 2026-06-30; end the earlier one the day before the later one starts',
            "agents.csv:3 warning: agent 'bob' has data for 2026-06 but no assignment in it: they are not scored for it",
            "agents.csv:4 warning: agent 'cat' has no assignment: their data counts in their team's and the organisation's values, but they are not scored; add them to the assignments export",
            "people/assignments.csv:5 warning: zoe holds the role agent, whose people are measured per agent, but the data has no rows for agent 'zoe': their per-agent KPIs are missing data"
        ]);
    });

    it('accepts the fixture\'s assignments as they are', () => {
        const file = assignments();
        expect(file.problems).toEqual([]);
        expect(checkAssignments(file.assignments, DATA)).toEqual([]);
    });
});
