// Writes the contact centre's raw event data (about 100,000 rows) from its aggregated data:
// every monthly total of ../data/telephony-by-team.csv, cases-and-surveys-by-team.csv,
// csat-by-agent.csv and workforce-by-team.csv is split into interval, daily and per-score rows
// whose sums give the total back exactly. Deterministic: the same input gives the same rows.
//
//   npm run example:raw        (from the repository root)
//
// Rows the metrics must leave out are added on purpose: outbound calls (`direction`), survey
// invitations nobody answered (`score` empty), so that the filters in metrics.kra matter.
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = path.join(here, '..', 'data');

function readCsv(file) {
    const [header, ...lines] = readFileSync(path.join(data, file), 'utf8').trim().split(/\r?\n/);
    const names = header.split(',');
    return lines.map(line => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

// mulberry32: a small deterministic generator.
function random(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6D2B79F5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Integers that add up to `total`, in proportion to `weights` (largest remainders first). */
function split(total, weights) {
    const sum = weights.reduce((a, b) => a + b, 0);
    const exact = weights.map(w => (total * w) / sum);
    const parts = exact.map(Math.floor);
    let left = total - parts.reduce((a, b) => a + b, 0);
    const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
        parts[order[k][1]]++;
    }
    return parts;
}

const daysIn = period => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate();
const pad = n => String(n).padStart(2, '0');
const seedOf = text => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

const INTERVALS = 12; // hourly intervals from 08:00 to 20:00
const calls = [];
for (const row of readCsv('telephony-by-team.csv')) {
    const next = random(seedOf(`calls ${row.period} ${row.team}`));
    const days = daysIn(row.period);
    const slots = [];
    for (let day = 1; day <= days; day++) {
        for (let slot = 0; slot < INTERVALS; slot++) {
            slots.push({ start: `${row.period}-${pad(day)} ${pad(8 + slot)}:00:00`, weight: 0.5 + next() });
        }
    }
    const weights = slots.map(slot => slot.weight);
    const columns = {
        offered: 'calls_offered', handled: 'calls_handled', answered_in_20s: 'calls_answered_in_20s', abandoned: 'calls_abandoned',
        short_abandons: 'short_abandons', talk_seconds: 'talk_time', hold_seconds: 'hold_time', acw_seconds: 'after_call_work',
        available_seconds: 'available_time'
    };
    const parts = Object.fromEntries(Object.entries(columns).map(([column, source]) => [column, split(Number(row[source]), weights)]));
    slots.forEach((slot, i) => {
        calls.push([slot.start, row.team, row.client, 'inbound', ...Object.keys(columns).map(column => parts[column][i])]);
    });
    // One outbound callback batch a day: not inbound queue traffic, filtered out by every metric.
    for (let day = 1; day <= days; day++) {
        const offered = 20 + Math.floor(next() * 40);
        calls.push([`${row.period}-${pad(day)} 19:30:00`, row.team, row.client, 'outbound', offered, offered, offered, 0, 0, offered * 240, 0, offered * 30, 0]);
    }
}

const cases = [];
const surveys = [];
for (const row of readCsv('cases-and-surveys-by-team.csv')) {
    const next = random(seedOf(`cases ${row.period} ${row.team}`));
    const days = daysIn(row.period);
    const weights = Array.from({ length: days }, () => 0.5 + next());
    const raised = split(Number(row.issues_raised), weights);
    const resolved = split(Number(row.issues_resolved_first_contact), weights);
    for (let day = 1; day <= days; day++) {
        cases.push([`${row.period}-${pad(day)}`, row.team, row.client, raised[day - 1], resolved[day - 1]]);
    }
    // NPS: 9-10 promoters, 0-6 detractors, 7-8 passives.
    const groups = [
        [[9, 10], Number(row.nps_promoters)],
        [[0, 1, 2, 3, 4, 5, 6], Number(row.nps_detractors)],
        [[7, 8], Number(row.nps_responses) - Number(row.nps_promoters) - Number(row.nps_detractors)]
    ];
    surveys.push(...answers(groups, weights, next, (day, score, responses) => [`${row.period}-${pad(day)}`, row.team, row.client, 'nps', score, responses]));
    // Invitations sent but not answered: no score, must not count as responses.
    for (let day = 1; day <= days; day += 7) {
        surveys.push([`${row.period}-${pad(day)}`, row.team, row.client, 'nps', '', 10 + Math.floor(next() * 20)]);
    }
}

/** Answers per score and day whose sums give each group's total back: [day, score, responses] rows, by day. */
function answers(groups, weights, next, row) {
    const cells = [];
    for (const [scores, total] of groups) {
        const perScore = split(total, scores.map(() => 0.5 + next()));
        scores.forEach((score, i) => {
            split(perScore[i], weights).forEach((responses, d) => cells.push([d + 1, score, responses]));
        });
    }
    return cells.filter(cell => cell[2] > 0).sort((a, b) => a[0] - b[0]).map(([day, score, responses]) => row(day, score, responses));
}

// Post-call CSAT, attributed to the agent who took the call: 4 and 5 are satisfied.
const csat = [];
for (const row of readCsv('csat-by-agent.csv')) {
    const next = random(seedOf(`csat ${row.period} ${row.agent}`));
    const days = daysIn(row.period);
    const weights = Array.from({ length: days }, () => 0.5 + next());
    const groups = [
        [[4, 5], Number(row.csat_satisfied)],
        [[1, 2, 3], Number(row.csat_responses) - Number(row.csat_satisfied)]
    ];
    csat.push(...answers(groups, weights, next, (day, score, responses) => [`${row.period}-${pad(day)}`, row.agent, row.team, row.client, score, responses]));
    for (let day = 1; day <= days; day += 7) {
        csat.push([`${row.period}-${pad(day)}`, row.agent, row.team, row.client, '', 1 + Math.floor(next() * 5)]);
    }
}

const SHIFTS = ['early', 'day', 'late', 'night'];
const shifts = [];
for (const row of readCsv('workforce-by-team.csv')) {
    const next = random(seedOf(`shifts ${row.period} ${row.team}`));
    const days = daysIn(row.period);
    const weights = Array.from({ length: days * SHIFTS.length }, () => 0.5 + next());
    const columns = {
        scheduled_seconds: 'scheduled_time', adherent_seconds: 'adherent_time', paid_hours: 'paid_hours', shrinkage_hours: 'shrinkage_hours',
        overtime_hours: 'overtime_hours', billable_hours: 'billable_hours', forecast_interval_error: 'forecast_interval_error'
    };
    const parts = Object.fromEntries(Object.entries(columns).map(([column, source]) => [column, split(Number(row[source]), weights)]));
    for (let day = 1; day <= days; day++) {
        SHIFTS.forEach((shift, s) => {
            const i = (day - 1) * SHIFTS.length + s;
            shifts.push([`${row.period}-${pad(day)}`, row.team, row.client, shift, ...Object.keys(columns).map(column => parts[column][i])]);
        });
    }
}

function csv(header, rows) {
    return `${[header, ...rows].map(row => row.join(',')).join('\n')}\n`;
}

// gzip with a fixed header (no name, no time), so the bytes depend on the rows alone.
const write = (file, text) => writeFileSync(path.join(here, file), gzipSync(text, { level: 9 }));
write('cases.csv.gz', csv(['opened_on', 'team', 'client', 'raised', 'resolved_first_contact'], cases));
write('surveys.csv.gz', csv(['answered_on', 'team', 'client', 'survey', 'score', 'responses'], surveys));
write('csat.csv.gz', csv(['answered_on', 'agent', 'team', 'client', 'score', 'responses'], csat));
write('shifts.csv.gz', csv(['shift_date', 'team', 'client', 'shift', 'scheduled_seconds', 'adherent_seconds', 'paid_hours', 'shrinkage_hours', 'overtime_hours', 'billable_hours', 'forecast_interval_error'], shifts));

// Calls as Parquet, written by DuckDB from a temporary CSV.
const temporary = path.join(here, 'calls.tmp.csv');
writeFileSync(temporary, csv(['interval_start', 'team', 'client', 'direction', 'offered', 'handled', 'answered_in_20s', 'abandoned', 'short_abandons', 'talk_seconds', 'hold_seconds', 'acw_seconds', 'available_seconds'], calls));
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const quoted = file => `'${file.replace(/'/g, "''")}'`;
await connection.run(`COPY (SELECT * REPLACE (CAST(interval_start AS TIMESTAMP) AS interval_start) FROM read_csv(${quoted(temporary)}, header = true) ORDER BY interval_start, team)
    TO ${quoted(path.join(here, 'calls.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
connection.closeSync();
instance.closeSync();
rmSync(temporary);

const total = calls.length + cases.length + surveys.length + csat.length + shifts.length;
console.log(`calls ${calls.length}, cases ${cases.length}, surveys ${surveys.length}, csat ${csat.length}, shifts ${shifts.length}: ${total} rows`);
