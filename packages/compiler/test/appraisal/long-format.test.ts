import { beforeAll, describe, expect, it } from 'vitest';
import type { KraModel } from '../../src/model.js';
import { parseDataFile, type DataFile } from '../../src/evaluate/data.js';
import { evaluateModel } from '../../src/evaluate/evaluate.js';
import { AGENTS_CSV, compileFixture, dataSet, FINANCE_CSV, METRIC_IDS, TEAMS_CSV } from './fixture.js';

/** The same data in long form: one row per value, with the dimensions the wide rows give. */
function toLong(wide: string): string {
    const [header, ...rows] = wide.trim().split('\n').map(line => line.split(','));
    const dimensions = header.filter(name => !METRIC_IDS.includes(name) && name !== 'period');
    const lines = [['period', ...dimensions, 'metric', 'value'].join(',')];
    for (const row of rows) {
        header.forEach((name, index) => {
            if (METRIC_IDS.includes(name)) {
                lines.push([row[0], ...dimensions.map(dimension => row[header.indexOf(dimension)]), name, row[index]].join(','));
            }
        });
    }
    return `${lines.join('\n')}\n`;
}

function problems(file: DataFile): string[] {
    return file.problems.map(problem => `${[problem.file, problem.row, problem.column].filter(part => part !== null).join(':')} ${problem.message}`);
}

describe('long-format data', () => {
    let model: KraModel;
    beforeAll(async () => {
        model = await compileFixture();
    });

    it('gives the same evaluation as the same data in wide form', () => {
        const wide = dataSet({ 'agents.csv': AGENTS_CSV, 'teams.csv': TEAMS_CSV, 'finance.csv': FINANCE_CSV });
        const longCsv = dataSet({ 'agents.csv': toLong(AGENTS_CSV), 'teams.csv': toLong(TEAMS_CSV), 'finance.csv': toLong(FINANCE_CSV) });
        expect(wide.problems).toEqual([]);
        expect(longCsv.problems).toEqual([]);
        expect(longCsv.rows.length).toBeGreaterThan(wide.rows.length);
        const expected = evaluateModel(model, wide);
        expect(expected.kpis.some(kpi => kpi.dimension === 'agent' && kpi.value !== null)).toBe(true);
        expect(evaluateModel(model, longCsv)).toEqual(expected);
        const json = JSON.stringify(toLong(FINANCE_CSV).trim().split('\n').slice(1).map(line => {
            const [period, metric, value] = line.split(',');
            return { period, metric, value: Number(value) };
        }));
        const longJson = dataSet({ 'agents.csv': toLong(AGENTS_CSV), 'teams.csv': TEAMS_CSV, 'finance.json': json });
        expect(longJson.problems).toEqual([]);
        expect(evaluateModel(model, longJson)).toEqual(expected);
    });

    it('is told from the header: metric and value columns, and no column named after a metric', () => {
        const long = parseDataFile('period,team,metric,value\n2026-07,north,calls_handled,100\n', { file: 'a.csv', metrics: METRIC_IDS });
        expect(long.rows).toHaveLength(1);
        expect(long.rows[0]).toMatchObject({ row: 2, members: { team: 'north' } });
        expect([...long.rows[0].values]).toEqual([['calls_handled', 100]]);
        // A workspace with a metric called `value` keeps wide files wide.
        const wide = parseDataFile('period,metric,value\n2026-07,,5\n', { file: 'b.csv', metrics: ['value'] });
        expect(problems(wide)[0]).toContain("unknown metric column 'metric'");
    });

    it('keeps the wide form\'s strictness and error positions (file, row, column)', () => {
        const text = [
            'period,team,metric,value,comment',
            '2026-07,north,calls_handeld,100,',
            '2026-07,north,,100,',
            '2026-07,north,talk_time,"1,234",',
            '2026-7,north,talk_time,5,',
            '2026-07,north,talk_time,,'
        ].join('\n');
        expect(problems(parseDataFile(text, { file: 'long.csv', metrics: METRIC_IDS }))).toEqual([
            "long.csv:1:5 column 'comment' has no place in long-format data: its columns are 'period', the dimensions agent, team, client, channel, site, region, 'metric' (a metric id) and 'value'; for one column per metric, drop 'metric' and 'value' (wide form)",
            "long.csv:2:3 column 'metric': the workspace declares no metric 'calls_handeld'. Did you mean 'calls_handled'?",
            "long.csv:3:3 column 'metric' is empty: every long-format row names the metric its value is for",
            "long.csv:4:4 column 'value': '1,234' has thousands separators; write 1234",
            "long.csv:5:1 column 'period': '2026-7' is not a period kra understands; write 2026-07 (month), 2026-Q3 (quarter), 2026-H1 (half-year), 2026 (year) or 2026-07-15 (day)",
            "long.csv:6 no metric values for 2026-07: every metric of the file is missing data for this row's period and members"
        ]);
        const json = parseDataFile(JSON.stringify([{ period: '2026-07', metric: 'cost', value: 'x' }, { period: '2026-07', metric: 7, value: 1 }]), { file: 'long.json', metrics: METRIC_IDS });
        expect(problems(json)).toEqual([
            'long.json:1 key "value": \'x\' is not a number',
            'long.json:2 key "metric": a metric id must be text'
        ]);
    });

    it('finds a value given twice, in long form or across forms, naming both places', () => {
        const merged = dataSet({
            'a.csv': 'period,metric,value\n2026-07,revenue,5\n2026-07,revenue,6\n',
            'b.csv': 'period,cost\n2026-07,3\n',
            'c.csv': 'period,metric,value\n2026-07,cost,3\n'
        });
        expect(merged.problems.map(problem => `${problem.file}:${problem.row} ${problem.message}`)).toEqual([
            'a.csv:3 revenue for 2026-07 is given twice: here and in a.csv:2',
            'c.csv:2 cost for 2026-07 is given twice: here and in b.csv:2'
        ]);
    });
});
