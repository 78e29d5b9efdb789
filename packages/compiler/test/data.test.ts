import { describe, expect, it } from 'vitest';
import { countProblems, formatDataProblem, mergeData, parseDataFile, type DataFile, type DataProblem } from '../src/evaluate/data.js';
import { parsePeriod, periodProblem } from '../src/evaluate/index.js';

const METRICS = ['calls_offered', 'calls_handled', 'talk_time', 'headcount'];

function csv(text: string, file = 'data/calls.csv'): DataFile {
    return parseDataFile(text, { file, metrics: METRICS });
}

function json(value: unknown, file = 'data/calls.json'): DataFile {
    return parseDataFile(typeof value === 'string' ? value : JSON.stringify(value), { file, metrics: METRICS });
}

/** `file:row:column message` of each problem, for readable assertions. */
function problems(file: DataFile | { problems: readonly DataProblem[] }): string[] {
    return file.problems.map(problem => `${[problem.file, problem.row, problem.column].filter(part => part !== null).join(':')} ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`);
}

describe('periods', () => {
    it('reads the five forms and gives each its first and last day', () => {
        expect(parsePeriod('2026-07')).toMatchObject({ id: '2026-07', grain: 'month' });
        expect(parsePeriod('2026-Q3')).toMatchObject({ id: '2026-Q3', grain: 'quarter' });
        expect(parsePeriod('2026-q3')).toMatchObject({ id: '2026-Q3', grain: 'quarter' });
        expect(parsePeriod('2026-H1')).toMatchObject({ id: '2026-H1', grain: 'half' });
        expect(parsePeriod('2026')).toMatchObject({ id: '2026', grain: 'year' });
        expect(parsePeriod('2024-02-29')).toMatchObject({ id: '2024-02-29', grain: 'day' });
        const quarter = parsePeriod('2026-Q3')!;
        expect(quarter.end - quarter.start + 1).toBe(92);
    });

    it('rejects anything else', () => {
        for (const text of ['07/2026', '2026-7', 'FY2026', '2026-13', '2025-02-29', '2026-Q5', 'July 2026', '', '0000-07', '12026-07', '-0001-07']) {
            expect(parsePeriod(text), text).toBeUndefined();
        }
    });

    it('reads years 0001 to 0099 as those years (not 1901 to 1999), and says why year 0000 or five digits are refused', () => {
        // 0096 is a leap year, and so is 1996; 0100 is not (1900 was not either, but 2000 was).
        expect(parsePeriod('0001-01-01')).toMatchObject({ id: '0001-01-01', grain: 'day' });
        expect(parsePeriod('0096-02-29')).toMatchObject({ id: '0096-02-29' });
        expect(parsePeriod('0100-02-29')).toBeUndefined();
        const early = parsePeriod('0099-07')!;
        expect(early.id).toBe('0099-07');
        expect(early.start).not.toBe(parsePeriod('1999-07')!.start);
        // 0001-01-01 is 719,162 days before 1970-01-01 in the proleptic Gregorian calendar.
        expect(parsePeriod('0001-01-01')!.start).toBe(-719_162);
        expect(periodProblem('0000-07')).toBe('year 0000 is outside the years kra accepts (0001 to 9999)');
        expect(periodProblem('12026-07')).toBe('a year has four digits, from 0001 to 9999');
        expect(periodProblem('2026-07')).toBeUndefined();
        expect(problems(csv('period,calls_offered\n0000-07,1\n0099-07,2\n'))).toEqual([
            "data/calls.csv:2:1 column 'period': '0000-07' is not a period kra understands; year 0000 is outside the years kra accepts (0001 to 9999)"
        ]);
    });
});

describe('CSV data', () => {
    it('reads wide rows: a period, dimension columns, one column per metric; empty cells are missing', () => {
        const file = csv('period,team,calls_offered,calls_handled\n2026-07,north,100,96\n2026-07,south, 200 ,\n');
        expect(problems(file)).toEqual([]);
        expect(file.grain).toBe('month');
        expect(file.rows.map(row => ({ row: row.row, period: row.period.id, members: row.members, values: Object.fromEntries(row.values) }))).toEqual([
            { row: 2, period: '2026-07', members: { team: 'north' }, values: { calls_offered: 100, calls_handled: 96 } },
            { row: 3, period: '2026-07', members: { team: 'south' }, values: { calls_offered: 200 } }
        ]);
    });

    it('accepts a byte-order mark, CRLF line ends, quoted fields, blank lines, signs, decimals and exponents', () => {
        const file = csv('\uFEFFperiod,"team",calls_offered,talk_time\r\n2026-Q3,"north, east",-1.5,2e3\r\n\r\n2026-Q4,south,+7,.5\r\n');
        expect(problems(file)).toEqual([]);
        expect(file.rows.map(row => [row.row, row.members.team, Object.fromEntries(row.values)])).toEqual([
            [2, 'north, east', { calls_offered: -1.5, talk_time: 2000 }],
            [4, 'south', { calls_offered: 7, talk_time: 0.5 }]
        ]);
    });

    it('counts rows by the line they start on, past multi-line quoted fields', () => {
        const file = csv('period,team,calls_offered\n2026-07,"two\nlines",1\n2026-07,south,x\n');
        expect(problems(file)).toEqual(["data/calls.csv:4:3 column 'calls_offered': 'x' is not a number"]);
    });

    it('tolerates a trailing comma, but not a value under a column with no header', () => {
        expect(problems(csv('period,calls_offered,\n2026-07,1,\n'))).toEqual([]);
        expect(problems(csv('period,calls_offered,\n2026-07,1,5\n'))).toEqual(["data/calls.csv:2:3 a value under a column with no header: '5'"]);
    });

    it('names an unknown metric column with file, row 1 and column, and suggests the nearest id', () => {
        expect(problems(csv('period,team,calls_ofered\n2026-07,north,1\n'))).toEqual([
            "data/calls.csv:1:3 unknown metric column 'calls_ofered': the workspace declares no metric 'calls_ofered'. Did you mean 'calls_offered'? (columns are 'period', the dimensions agent, team, client, channel, site, region, and metric ids)"
        ]);
        expect(problems(csv('period,Team\n2026-07,north\n'))[0]).toContain("Did you mean 'team'?");
        expect(problems(csv('period,zzz\n2026-07,1\n'))[0]).not.toContain('Did you mean');
    });

    it('needs a period column, once; a duplicate column is an error', () => {
        expect(problems(csv('month,calls_offered\n2026-07,1\n'))).toEqual([
            "data/calls.csv:1:1 unknown metric column 'month': the workspace declares no metric 'month' (columns are 'period', the dimensions agent, team, client, channel, site, region, and metric ids)",
            "data/calls.csv:1 the header has no 'period' column"
        ]);
        expect(problems(csv('period,calls_offered,calls_offered\n2026-07,1,2\n'))).toEqual(["data/calls.csv:1:3 column 'calls_offered' appears twice in the header"]);
    });

    it('reports malformed CSV with the line', () => {
        expect(problems(csv('period,calls_offered\n2026-07,"1\n'))).toEqual([
            'data/calls.csv:2 not valid CSV: the parsing is finished with an opening quote at line 2'
        ]);
        expect(problems(csv('period,calls_offered\n2026-07,1,2,3\n'))).toEqual(['data/calls.csv:2 this row has 4 fields, the header has 2']);
        expect(problems(csv('period,calls_offered\n2026-07\n'))).toEqual(['data/calls.csv:2 this row has 1 field, the header has 2']);
        expect(problems(csv(''))).toEqual(['data/calls.csv the file is empty: it needs a header row with a period column and metric columns']);
    });

    it('rejects cells that are not plain numbers, with file, row and column, and never evaluates them', () => {
        const cases: Array<[string, string]> = [
            ['abc', "'abc' is not a number"],
            ['"1,234"', "'1,234' has thousands separators; write 1234"],
            ['"1,5"', "'1,5' has a decimal comma; write 1.5"],
            ['85%', "'85%' has a percent sign; write the value in the metric's unit, without units"],
            ['12 s', "'12 s' has a unit or other text after the number; write plain numbers in the metric's unit"],
            ['NaN', "'NaN' is not a finite number; leave the cell empty for missing data"],
            ['Infinity', "'Infinity' is not a finite number; leave the cell empty for missing data"],
            ['-inf', "'-inf' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            ['=SUM(A1)', "'=SUM(A1)' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            ['+1+1', "'+1+1' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            ['@x', "'@x' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            // A leading tab or CR hides a formula from a check that trims first (docs/security.md).
            ['\t42', "'\\t42' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            ['\t=1+2', "'\\t=1+2' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            ['"\r7"', "'\\r7' looks like a spreadsheet formula; kra never evaluates cells: export the values, not the formulas"],
            ['1e999', "'1e999' is out of range"]
        ];
        for (const [cell, message] of cases) {
            expect(problems(csv(`period,team,calls_offered\n2026-07,north,1\n2026-08,north,${cell}\n`)), cell).toEqual([`data/calls.csv:3:3 column 'calls_offered': ${message}`]);
        }
        // Huge but finite numbers are fine.
        expect(csv('period,calls_offered\n2026-07,1e300\n').rows[0].values.get('calls_offered')).toBe(1e300);
    });

    it('rejects periods it does not understand, and an empty period', () => {
        for (const period of ['07/2026', '2026-7', 'FY2026', '2026-13', 'July']) {
            expect(problems(csv(`period,calls_offered\n${period},1\n`)), period).toEqual([
                `data/calls.csv:2:1 column 'period': '${period}' is not a period kra understands; write 2026-07 (month), 2026-Q3 (quarter), 2026-H1 (half-year), 2026 (year) or 2026-07-15 (day)`
            ]);
        }
        expect(problems(csv('calls_offered,period\n1,\n'))).toEqual(["data/calls.csv:2:2 column 'period' is empty: every row needs a period"]);
    });

    it('holds one grain per file', () => {
        expect(problems(csv('period,calls_offered\n2026-07,1\n2026-Q3,2\n'))).toEqual([
            "data/calls.csv:3:1 '2026-Q3' is a quarter, but this file's periods are months (from line 2); one file holds one grain: put other grains in another file"
        ]);
    });

    it('keeps a row without metric values as missing data for its members, with a warning', () => {
        const file = csv('period,team,calls_offered\n2026-07,north,\n2026-07,south,3\n');
        expect(problems(file)).toEqual(['data/calls.csv:2 warning: no metric values for 2026-07: every metric of the file is missing data for this row\'s period and members']);
        expect(file.rows.map(row => [row.members.team, [...row.values.keys()], [...row.missing]])).toEqual([
            ['north', [], ['calls_offered']],
            ['south', ['calls_offered'], []]
        ]);
    });

    it('stops listing problems after 50 in one file, but counts them all', () => {
        const rows = Array.from({ length: 60 }, () => '2026-07,x').join('\n');
        const file = csv(`period,calls_offered\n${rows}\n`);
        expect(file.problems).toHaveLength(51);
        expect(problems(file).at(-1)).toBe('data/calls.csv 10 more errors in this file not shown');
        expect(countProblems(file.problems, 'error')).toBe(60);
    });

    it('counts 200,000 unknown columns as 200,000 errors', () => {
        const count = 200_000;
        const names = Array.from({ length: count }, (_, index) => `x${index}`);
        const file = csv(`period,calls_offered,${names.join(',')}\n2026-07,1,${names.map(() => '1').join(',')}\n`);
        expect(file.problems).toHaveLength(51);
        expect(countProblems(file.problems, 'error')).toBe(count);
        expect(countProblems(mergeData([file]).problems, 'error')).toBe(count);
    });

    it('quotes at most 80 characters of a cell, a column name or a member', () => {
        const long = 'y'.repeat(100_000);
        const messages = [
            ...problems(csv(`period,${long}\n2026-07,1\n`)),
            ...problems(csv(`period,calls_offered\n${long},1\n`)),
            ...problems(csv(`period,calls_offered\n2026-07,${'9'.repeat(100_000)}x\n`)),
            ...problems(mergeData([csv(`period,team,calls_offered\n2026-07,${long},1\n2026-07,${long},2\n`)]))
        ];
        expect(messages).toHaveLength(4);
        for (const message of messages) {
            expect(message.length).toBeLessThan(400);
        }
        expect(messages[0]).toContain(`'${'y'.repeat(79)}…'`);
    });
});

describe('JSON data', () => {
    it('reads an array of row objects, or { rows: [...] }, with the same keys as CSV', () => {
        const rows = [{ period: '2026-07', team: 'north', calls_offered: 100, calls_handled: '96' }, { period: 2026, calls_offered: null, talk_time: 5 }];
        for (const file of [json(rows), json({ rows })]) {
            expect(problems(file)).toEqual(["data/calls.json:2 '2026' is a year, but this file's periods are months (from row 1); one file holds one grain: put other grains in another file"]);
            expect(Object.fromEntries(file.rows[0].values)).toEqual({ calls_offered: 100, calls_handled: 96 });
        }
    });

    it('reports invalid JSON, a wrong shape, rows that are not objects and values that are not numbers', () => {
        expect(problems(json('[{"period": "2026-07",'))[0]).toMatch(/^data\/calls\.json not valid JSON: /);
        expect(problems(json({ period: '2026-07' }))).toEqual(['data/calls.json expected an array of row objects, or an object with a "rows" array']);
        expect(problems(json([1, { calls_offered: 1 }]))).toEqual(['data/calls.json:1 row 1 is not an object', 'data/calls.json:2 this row has no "period"']);
        expect(problems(json([{ period: '2026-07', calls_offered: true, calls_handled: [1], talk_time: 'NaN' }]))).toEqual([
            'data/calls.json:1 key "calls_offered": expected a number, found boolean',
            'data/calls.json:1 key "calls_handled": expected a number, found an array',
            `data/calls.json:1 key "talk_time": 'NaN' is not a finite number; leave the cell empty for missing data`
        ]);
        expect(problems(json('[{"period": "2026-07", "calls_offered": 1e999}]'))).toEqual(['data/calls.json:1 key "calls_offered": the number is out of range']);
    });

    it('names an unknown key once, with the row it first appears in', () => {
        expect(problems(json([{ period: '2026-07', calls: 1 }, { period: '2026-08', calls: 2 }]))).toEqual([
            `data/calls.json:1 unknown metric key "calls": the workspace declares no metric 'calls' (columns are 'period', the dimensions agent, team, client, channel, site, region, and metric ids)`
        ]);
    });
});

describe('merging files', () => {
    it('refuses a value given twice for one period and member, naming both places', () => {
        const a = csv('period,team,calls_offered\n2026-07,north,1\n', 'a.csv');
        const b = json([{ period: '2026-07', team: 'north', calls_offered: 2 }], 'b.json');
        expect(problems(mergeData([a, b]))).toEqual(['b.json:1 calls_offered for 2026-07 (team north) is given twice: here and in a.csv:2']);
    });

    it('refuses a metric given both in total and by team in one period: the total would count it twice', () => {
        const byTeam = csv('period,team,calls_offered\n2026-07,north,1\n2026-07,south,2\n', 'teams.csv');
        const total = csv('period,calls_offered\n2026-07,3\n2026-08,4\n', 'total.csv');
        expect(problems(mergeData([byTeam, total]))).toEqual([
            'total.csv:2 calls_offered for 2026-07 is given in total here but by team in teams.csv:2; give one breakdown per metric and period, or totals would count it twice'
        ]);
    });

    it('merges files of different grains and different metrics', () => {
        const months = csv('period,calls_offered\n2026-07,1\n', 'months.csv');
        const quarters = csv('period,headcount\n2026-Q3,300\n', 'quarters.csv');
        const merged = mergeData([months, quarters]);
        expect(merged.problems).toEqual([]);
        expect(merged.rows).toHaveLength(2);
        expect(merged.files).toEqual(['months.csv', 'quarters.csv']);
    });

    it('formats a problem as file:row:column  severity  message', () => {
        const [problem] = csv('period,calls_offered\n2026-07,x\n').problems;
        expect(formatDataProblem(problem)).toBe("data/calls.csv:2:2  error  column 'calls_offered': 'x' is not a number");
    });
});
