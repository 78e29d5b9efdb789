/**
 * The appraisal views of a scorecard: roll-ups (organisation, departments, objectives, each with
 * its parts) and people (each person's score and rating, the level each KPI was measured at, and
 * the calibration of ratings), for the period shown. Empty without roll-ups or an assignments
 * export, so a plain scorecard stays as it was.
 */
import type { CalibrationGroup, PersonScore, RollUp, RollUpPart } from '@kra-lang/compiler/evaluate';
import { formatPercent, formatWeight } from './format.js';
import { attributes, escapeHtml } from './html.js';
import type { ScorecardData } from './view.js';

export function rollUpsSection(data: ScorecardData): string {
    const rollups = (data.result.rollups ?? []).filter(rollup => rollup.period === data.period);
    if (rollups.length === 0) {
        return '';
    }
    const order = { organisation: 0, department: 1, objective: 2 } as const;
    const rows = [...rollups].sort((a, b) => order[a.kind] - order[b.kind]).map(rollup => `<tr${attributes({ 'data-rollup': `${rollup.kind}:${rollup.id ?? ''}`, 'data-score': rollup.score })}>`
        + `<th scope="row">${escapeHtml(titleOf(data, rollup.kind, rollup.id))} <span class="muted">${rollup.kind}</span></th>`
        + `<td class="num">${formatPercent(rollup.score)}</td>`
        + `<td>${parts(data, rollup)}${rollup.score === null && rollup.reason ? ` <span class="muted">${escapeHtml(rollup.reason)}</span>` : ''}`
        + `${rollup.notes.map(note => `<p class="note">${escapeHtml(note)}</p>`).join('')}</td></tr>`);
    return `<section id="rollups" aria-labelledby="rollups-title">
<h2 id="rollups-title">Roll-ups, ${escapeHtml(data.period)}</h2>
<p>The organisation's score, each department's score from its KRAs, and each objective's attainment from the KRAs aligned to it (through the cascade): the weighted mean of the parts that have a score.</p>
<table class="scores"><thead><tr><th scope="col">Of</th><th scope="col" class="num">Score</th><th scope="col">Parts (weight, score)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</section>`;
}

function parts(data: ScorecardData, rollup: RollUp): string {
    return `<ul class="parts">${rollup.parts.map(part => `<li${part.included ? '' : ' class="muted"'}>${escapeHtml(titleOf(data, part.kind, part.id))}: ${formatWeight(part.weight)}, ${formatPercent(part.score)}${part.included ? '' : ' (left out: no score)'}${cascade(data, part)}</li>`).join('')}</ul>`;
}

function cascade(data: ScorecardData, part: RollUpPart): string {
    const below = part.cascade.filter(id => id !== part.id);
    return below.length === 0 ? '' : `, through ${below.map(id => escapeHtml(titleOf(data, 'kra', id))).join(', ')}`;
}

export function peopleSection(data: ScorecardData): string {
    const people = (data.result.people ?? []).filter(person => person.period === data.period);
    if (people.length === 0) {
        return '';
    }
    const roleTitles = new Map(data.model.roles.map(role => [role.id, role.title ?? role.id]));
    const rows = [...people].sort((a, b) => (a.role === b.role ? a.person.localeCompare(b.person) : a.role.localeCompare(b.role)))
        .map(person => `<tr${attributes({ 'data-person': person.person, 'data-score': person.score })}>`
            + `<th scope="row">${escapeHtml(person.person)}</th>`
            + `<td>${escapeHtml(roleTitles.get(person.role) ?? person.role)}</td>`
            + `<td>${escapeHtml(person.team ?? '—')}</td>`
            + `<td class="num">${formatPercent(person.score)}</td>`
            + `<td>${person.rating ? `${escapeHtml(String(person.rating.value))} ${escapeHtml(person.rating.label)}` : `<span class="muted">${escapeHtml(person.ratingReason ?? person.reason ?? 'no rating')}</span>`}</td>`
            + `<td>${levels(person)}${person.share < 100 ? ` <span class="muted">(${formatWeight(person.share)} of the period in this role, ${escapeHtml(person.from)}${person.to ? ` to ${escapeHtml(person.to)}` : ''})</span>` : ''}</td></tr>`);
    const calibration = calibrationTable(data, (data.result.calibration ?? []).filter(group => group.period === data.period));
    return `<section id="people" aria-labelledby="people-title">
<h2 id="people-title">People, ${escapeHtml(data.period)}</h2>
<p>Each person's score in their role, from the role's KPIs at the level each is measured: their own values for KPIs measured per agent, their team's for team KPIs, the organisation's for the rest.</p>
<table class="scores people"><thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Team</th><th scope="col" class="num">Score</th><th scope="col">Rating</th><th scope="col">Measured on</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${calibration}
</section>`;
}

/** `3 own, 2 team, 1 organisation KPIs`. */
function levels(person: PersonScore): string {
    const counts = new Map<string, number>();
    for (const kpi of person.kpis) {
        counts.set(kpi.level, (counts.get(kpi.level) ?? 0) + 1);
    }
    const words = { agent: 'own', team: 'team', organisation: 'organisation' } as Record<string, string>;
    const text = ['agent', 'team', 'organisation'].filter(level => counts.has(level)).map(level => `${counts.get(level)} ${words[level]}`).join(', ');
    return text === '' ? '—' : `${escapeHtml(text)} KPI${person.kpis.length === 1 ? '' : 's'}`;
}

function calibrationTable(data: ScorecardData, groups: readonly CalibrationGroup[]): string {
    if (groups.length === 0) {
        return '';
    }
    const rows = groups.map(group => `<tr${attributes({ 'data-calibration': `${group.kind}:${group.id}` })}>`
        + `<th scope="row">${escapeHtml(titleOf(data, group.kind, group.id))} <span class="muted">${group.kind}</span></th>`
        + `<td class="num">${group.people}</td>`
        + `<td>${group.distribution.map(level => `${escapeHtml(String(level.level))} ${escapeHtml(level.label)}: ${level.count} (${formatWeight(Math.round(level.share * 10) / 10)})`).join('; ') || '—'}${group.unrated > 0 ? `; ${group.unrated} unrated` : ''}</td>`
        + `<td>${group.breaches.length === 0 ? (group.checked ? 'within the guideline' : '<span class="muted">not checked</span>')
            : group.breaches.map(breach => `<span class="rag rag-amber"><span class="rag-icon" aria-hidden="true">!</span> ${escapeHtml(`${formatWeight(Math.round(breach.share * 10) / 10)} rated ${breach.levels.join(' or ')}; the guideline is ${breach.limit === 'at-most' ? 'at most' : 'at least'} ${formatWeight(breach.guideline)}`)}</span>`).join(' ')}</td></tr>`);
    return `<h3 id="calibration">Calibration of ratings</h3>
<table class="scores calibration"><thead><tr><th scope="col">Group</th><th scope="col" class="num">People</th><th scope="col">Ratings</th><th scope="col">Guideline</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function titleOf(data: ScorecardData, kind: string, id: string | null): string {
    const model = data.model;
    const found = kind === 'organisation' ? model.organisation
        : kind === 'department' ? model.departments.find(department => department.id === id)
            : kind === 'objective' ? model.objectives.find(objective => objective.id === id)
                : kind === 'role' ? model.roles.find(role => role.id === id)
                    : model.kras.find(kra => kra.id === id);
    return found?.title ?? found?.id ?? id ?? data.title;
}
