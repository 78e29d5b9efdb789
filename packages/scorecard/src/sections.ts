/** The scorecard's sections, each a piece of HTML built from the ScorecardData. */
import type { KpiResult } from '@kra-lang/compiler/evaluate';
import { noResultReason, PERIOD_GRAIN_NAMES } from '@kra-lang/semantics';
import { roleScoreChart, slug, trendChart } from './charts.js';
import { formatPercent, formatQuantity, formatWeight, targetText } from './format.js';
import { attributes, escapeHtml, ragBadge, ragIcon, ragLegend } from './html.js';
import { RAG } from './rag.js';
import type { KpiLine, ScorecardData } from './view.js';

/** The id of a KPI's definition, which every mention of the KPI links to. */
export function definitionId(kpi: string): string {
    return `kpi-${slug(kpi)}`;
}

export function trendId(kpi: string): string {
    return `trend-${slug(kpi)}`;
}

export function summarySection(data: ScorecardData): string {
    const periods = data.periods;
    const range = periods.length === 0 ? 'no periods'
        : periods.length === 1 ? `period ${periods[0].id}` : `${periods.length} periods from ${periods[0].id} to ${periods[periods.length - 1].id}`;
    const dimensions = (data.result.dimensions ?? []).map(dimension => `${dimension.dimension}: ${dimension.members.join(', ')}`).join('; ');
    const cap = data.result.settings?.achievementCap;
    return `<header class="summary">
<h1>${escapeHtml(data.title)}</h1>
<p class="lead">Scorecard for <strong>${escapeHtml(data.period || '—')}</strong>.</p>
<p>Data: ${escapeHtml(range)}${dimensions ? `; ${escapeHtml(dimensions)}` : ''}.${cap === undefined ? '' : ` Achievement is capped at ${escapeHtml(String(cap))}%.`}</p>
</header>`;
}

export function contentsNav(sections: ReadonlyArray<{ id: string; title: string }>): string {
    return `<nav class="contents" aria-label="Contents"><ol>${sections.map(section => `<li><a href="#${section.id}">${escapeHtml(section.title)}</a></li>`).join('')}</ol></nav>`;
}

export function roleScoresSection(data: ScorecardData): string {
    const roles = data.model.roles.map(role => ({ role, score: data.roleScore(role.id) }));
    const rows = roles.map(({ role, score }) => `<tr${attributes({ 'data-role': role.id, 'data-score': score?.score ?? null })}>`
        + `<th scope="row"><a href="#role-${slug(role.id)}">${escapeHtml(role.title ?? role.id)}</a></th>`
        + `<td class="num">${formatPercent(score?.score ?? null)}</td>`
        + `<td>${score?.rating ? `${escapeHtml(String(score.rating.value))} ${escapeHtml(score.rating.label)}` : `<span class="muted">${escapeHtml(score?.ratingReason ?? score?.reason ?? 'not evaluated')}</span>`}</td></tr>`);
    const chart = roleScoreChart(data);
    return `<section id="role-scores" aria-labelledby="role-scores-title">
<h2 id="role-scores-title">Role scores, ${escapeHtml(data.period)}</h2>
${chart ? `<figure class="chart wide">${chart}<figcaption>Each role's score: the weighted mean of its KRAs' scores, with the rating it reaches.</figcaption></figure>` : ''}
<table class="scores"><thead><tr><th scope="col">Role</th><th scope="col" class="num">Score</th><th scope="col">Rating</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</section>`;
}

export function scorecardSection(data: ScorecardData): string {
    const blocks = data.roles().map(role => {
        const score = role.score;
        const header = `<h3 id="role-${slug(role.role)}">${escapeHtml(role.title)} <code>${escapeHtml(role.role)}</code></h3>
<p class="role-score">Score <strong>${formatPercent(score?.score ?? null)}</strong>${score?.rating ? `, rating ${escapeHtml(String(score.rating.value))} <strong>${escapeHtml(score.rating.label)}</strong>` : score ? `, no rating (${escapeHtml(score.ratingReason ?? score.reason ?? 'no score')})` : ''}</p>`;
        const rows = role.kras.flatMap(kra => [
            `<tr class="kra"${attributes({ 'data-kra': kra.kra })}><th scope="rowgroup" colspan="1">${escapeHtml(kra.title)}</th><td class="num">${formatWeight(kra.weight)}</td><td></td><td></td><td class="num">${formatPercent(kra.score?.score ?? null)}</td><td>${kra.score?.score === null && kra.score?.reason ? `<span class="muted">${escapeHtml(kra.score.reason)}</span>` : ''}</td></tr>`,
            ...kra.kpis.map(line => kpiRow(data, line))
        ]);
        const notes = (score?.notes ?? []).map(note => `<p class="note">Note: ${escapeHtml(note)}</p>`).join('');
        return `<article class="role"${attributes({ 'data-role': role.role })}>
${header}
${table(rows)}
${notes}
</article>`;
    });
    const unassigned = data.unassigned();
    const others = unassigned.length === 0 ? '' : `<article class="role" data-role="">
<h3 id="role-none">KPIs in no role</h3>
${table(unassigned.map(line => kpiRow(data, line)))}
</article>`;
    return `<section id="scorecard" aria-labelledby="scorecard-title">
<h2 id="scorecard-title">Scorecard by role and KRA, ${escapeHtml(data.period)}</h2>
${ragLegend()}
${blocks.join('\n')}
${others}
</section>`;
}

function table(rows: readonly string[]): string {
    return `<table class="scorecard"><thead><tr><th scope="col">KRA / KPI</th><th scope="col" class="num">Weight</th><th scope="col" class="num">Value</th><th scope="col">Target</th><th scope="col" class="num">Achievement</th><th scope="col">Status</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function kpiRow(data: ScorecardData, line: KpiLine): string {
    const result = line.result;
    const note = result ? result.reason ?? result.achievementReason ?? result.statusReason : noResultReason(data.kpi(line.kpi)?.frequency, data.periodInfo()?.grain);
    return `<tr class="kpi"${attributes({ 'data-kpi': line.kpi, 'data-period': data.period, 'data-value': result?.value ?? null, 'data-status': result?.status ?? null })}>`
        + `<th scope="row"><a href="#${definitionId(line.kpi)}">${escapeHtml(line.title)}</a></th>`
        + `<td class="num">${line.weight === null ? '' : formatWeight(line.weight)}</td>`
        + `<td class="num value">${result ? formatQuantity(result.value, result.unit, data.units) : '—'}</td>`
        + `<td>${escapeHtml(result ? targetText(result, data.units) : '—')}</td>`
        + `<td class="num">${formatPercent(result?.achievement ?? null)}</td>`
        + `<td>${ragBadge(result?.status)}${note ? ` <span class="muted">${escapeHtml(note)}</span>` : ''}</td></tr>`;
}

/**
 * Every KPI's status in every period: rows are KPIs (grouped by KRA), columns periods; one table
 * per grain when there are several (months, and the quarters of KPIs measured quarterly).
 */
export function periodHeatMapSection(data: ScorecardData): string {
    const groups = data.periodsByGrain();
    if (groups.length === 0) {
        return '';
    }
    const tables = groups.map(({ grain, periods, kpis }) => {
        const ids = periods.map(period => period.id);
        const rows = kpis.map(kpi => `<tr><th scope="row"><a href="#${trendId(kpi.id)}">${escapeHtml(kpi.title ?? kpi.id)}</a></th>${ids.map(period => heatCell(data, data.kpiResult(kpi.id, period), kpi.id, period, false)).join('')}</tr>`);
        const heading = groups.length > 1 ? `<h3>By ${escapeHtml(PERIOD_GRAIN_NAMES[grain])}</h3>\n` : '';
        return `${heading}<div class="scroll"><table class="heat"${attributes({ 'data-grain': grain })}><thead><tr><th scope="col">KPI</th>${ids.map(period => `<th scope="col" class="period">${escapeHtml(period)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
    });
    return `<section id="heat-period" aria-labelledby="heat-period-title">
<h2 id="heat-period-title">RAG status by period</h2>
${ragLegend()}
${tables.join('\n')}
</section>`;
}

/** Per dimension (team, client, …): every KPI's value and status per member in the focus period, and in total. */
export function memberHeatMapSections(data: ScorecardData): Array<{ id: string; title: string; html: string }> {
    return data.breakdowns().map(({ dimension, members, kpis }) => {
        const rows = kpis.map(kpi => `<tr><th scope="row"><a href="#${definitionId(kpi.id)}">${escapeHtml(kpi.title ?? kpi.id)}</a></th>`
            + members.map(member => heatCell(data, data.kpiResult(kpi.id, data.period, dimension, member), kpi.id, data.period, true, dimension, member)).join('')
            + `${heatCell(data, data.kpiResult(kpi.id), kpi.id, data.period, true)}</tr>`);
        const id = `heat-${slug(dimension)}`;
        return { id, title: `Status by ${dimension}`, html: `<section id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">RAG status by ${escapeHtml(dimension)}, ${escapeHtml(data.period)}</h2>
<div class="scroll"><table class="heat members"><thead><tr><th scope="col">KPI</th>${members.map(member => `<th scope="col">${escapeHtml(member)}</th>`).join('')}<th scope="col">total</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>
</section>` };
    });
}

function heatCell(data: ScorecardData, result: KpiResult | undefined, kpi: string, period: string, withValue: boolean, dimension?: string, member?: string): string {
    if (!result) {
        return '<td class="heat-cell empty"><span class="sr">not evaluated</span></td>';
    }
    const value = formatQuantity(result.value, result.unit, data.units);
    const label = result.status ? RAG[result.status].label : 'No status';
    const reason = result.reason ?? result.statusReason;
    const title = `${data.kpiTitle(kpi)}, ${member ? `${member}, ` : ''}${period}: ${value}, ${label}${reason ? ` (${reason})` : ''}`;
    return `<td${attributes({
        class: `heat-cell rag-${result.status ?? 'none'}`,
        'data-kpi': kpi,
        'data-period': period,
        'data-dimension': dimension,
        'data-member': member,
        'data-value': result.value,
        'data-status': result.status ?? 'none',
        title
    })}>${withValue ? `<span class="value">${value}</span> ` : ''}${ragIcon(result.status)}</td>`;
}

/** One chart per evaluated KPI: its total over the periods, the target and the threshold bands. */
export function trendsSection(data: ScorecardData): string {
    const figures = data.evaluatedKpis().map(kpi => {
        const svg = trendChart(data, kpi);
        const latest = data.kpiResult(kpi.id);
        const caption = `<a href="#${definitionId(kpi.id)}">${escapeHtml(kpi.title ?? kpi.id)}</a>`
            + (latest ? `: ${formatQuantity(latest.value, latest.unit, data.units)} in ${escapeHtml(data.period)} ${ragBadge(latest.status)}${latest.target ? ` <span class="muted">target ${escapeHtml(targetText(latest, data.units))}</span>` : ''}` : '');
        return `<figure class="chart trend" id="${trendId(kpi.id)}"${attributes({ 'data-kpi': kpi.id })}>
<figcaption>${caption}</figcaption>
${svg || '<p class="muted">No value in any period.</p>'}
</figure>`;
    });
    if (figures.length === 0) {
        return '';
    }
    return `<section id="trends" aria-labelledby="trends-title">
<h2 id="trends-title">KPI trends</h2>
<p class="key">The line is the KPI's value in each period, its markers the status: ${ragBadge('green')} circle, ${ragBadge('amber')} triangle, ${ragBadge('red')} diamond. The dashed line is the target; the shaded bands are the thresholds (green, amber, red).</p>
<div class="trend-grid">
${figures.join('\n')}
</div>
</section>`;
}
