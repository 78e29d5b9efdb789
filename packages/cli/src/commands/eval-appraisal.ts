/**
 * The appraisal part of `kra eval`'s table and Markdown outputs: per-person scores and the
 * roll-ups (departments, objectives, organisation) of one period. The scorecard in eval.ts
 * prints the roles and KPIs; this prints what builds on them.
 */
import type { EvaluationResult, PersonScore, RollUp } from '@kra-lang/compiler/evaluate';
import { colours as pc } from '../report/colours.js';

export interface Section {
    readonly title: string;
    readonly headings: readonly string[];
    /** Columns aligned right (numbers). */
    readonly numeric: readonly number[];
    readonly rows: ReadonlyArray<readonly string[]>;
    readonly notes: readonly string[];
}

const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);

function rating(score: { rating: PersonScore['rating']; ratingReason: string | null }): string {
    return score.rating ? `${score.rating.value} ${score.rating.label}` : '—';
}

function levels(score: PersonScore): string {
    const count = (level: string) => score.kpis.filter(kpi => kpi.level === level).length;
    return `${count('agent')}/${count('team')}/${count('organisation')}`;
}

/** The sections for one period, in the order they are printed; none without people or roll-ups. */
export function appraisalSections(result: EvaluationResult, period: string): Section[] {
    const sections: Section[] = [];
    const people = result.people.filter(score => score.period === period);
    if (people.length > 0) {
        sections.push({
            title: `People, ${period}`,
            headings: ['person', 'role', 'team', 'days', 'score', 'rating', 'KPIs per agent/team/organisation', 'note'],
            numeric: [3, 4],
            rows: people.map(score => [score.person, score.role, score.team ?? '—', String(score.days), percent(score.score), rating(score), levels(score),
                score.score === null ? score.reason ?? '' : score.share < 100 ? `${score.share}% of the period: scored per assignment` : '']),
            notes: []
        });
    }
    const rollups = result.rollups.filter(entry => entry.period === period);
    if (rollups.length > 0) {
        sections.push({
            title: `Roll-ups, ${period}`,
            headings: ['roll-up', 'score', 'parts (weight, score)', 'note'],
            numeric: [1],
            rows: rollups.map(entry => [`${entry.kind} ${entry.id ?? ''}`.trim(), percent(entry.score), parts(entry), entry.score === null ? entry.reason ?? '' : entry.notes.join('; ')]),
            notes: []
        });
    }
    const kpiTrends = result.trends.filter(trend => trend.period === period && (trend.subject === 'kpi' ? trend.member === null : trend.subject !== 'kra' && trend.subject !== 'person'));
    if (kpiTrends.length > 0) {
        const change = (value: number | null) => {
            const rounded = value === null ? null : Number(value.toFixed(1)) || 0;
            return rounded === null ? '—' : `${rounded > 0 ? '+' : ''}${rounded}`;
        };
        sections.push({
            title: `Trends, ${period}`,
            headings: ['KPI or score', 'value', 'vs previous', 'vs last year', 'red in a row'],
            numeric: [1, 2, 3, 4],
            rows: kpiTrends.map(trend => [`${trend.subject === 'kpi' ? '' : `${trend.subject} `}${trend.id}`, trend.value === null ? '—' : String(Number(trend.value.toFixed(1))),
                change(trend.previous.change), change(trend.lastYear.change), trend.redStreak === null || trend.redStreak === 0 ? '' : String(trend.redStreak)]),
            notes: ['changes are in the value\'s unit (percentage points for percentages and scores)']
        });
    }
    const groups = result.calibration.filter(group => group.period === period);
    if (groups.length > 0) {
        sections.push({
            title: `Calibration, ${period}`,
            headings: ['group', 'people', 'ratings (level: count, share)', 'guideline'],
            numeric: [1],
            rows: groups.map(group => [`${group.kind} ${group.id}`, String(group.people),
                group.distribution.map(entry => `${entry.level}: ${entry.count} (${entry.share}%)`).join(', ') + (group.unrated > 0 ? `, unrated: ${group.unrated}` : ''),
                !group.checked ? 'not checked' : group.breaches.length === 0 ? 'met'
                    : group.breaches.map(breach => `BREACH: ${breach.levels.join('+')} at ${breach.share}%, ${breach.limit === 'at-most' ? 'at most' : 'at least'} ${breach.guideline}%`).join('; ')]),
            notes: []
        });
    }
    return sections;
}

function parts(entry: RollUp): string {
    return entry.parts.map(part => `${part.id} ${Math.round(part.weight)}% ${part.included ? percent(part.score) : 'left out'}`).join(', ');
}

export function sectionTable(section: Section): string[] {
    const widths = section.headings.map((heading, column) => Math.max(heading.length, ...section.rows.map(row => row[column].length)));
    const pad = (cells: readonly string[]) => `  ${cells.map((cell, column) => (section.numeric.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ')}`.trimEnd();
    return [pc.bold(section.title), pc.dim(pad(section.headings)), ...section.rows.map(pad), ...section.notes.map(note => pc.dim(`  note: ${note}`)), ''];
}

export function sectionMarkdown(section: Section): string[] {
    const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
    return [
        `## ${escape(section.title)}`, '',
        `| ${section.headings.map(escape).join(' | ')} |`,
        `|${section.headings.map((_, column) => (section.numeric.includes(column) ? '---:' : '---')).join('|')}|`,
        ...section.rows.map(row => `| ${row.map(escape).join(' | ')} |`),
        ...section.notes.flatMap(note => ['', `Note: ${escape(note)}.`]),
        ''
    ];
}
