/** The definitions behind the numbers: each KPI's formula, unit, targets, thresholds and where it is declared. */
import type { Kpi, Metric, Owner, SourceLocation, Target, Threshold } from '@kra-lang/compiler';
import { conditionText, goalText, quantityText, timingText, unitId } from './format.js';
import { escapeHtml } from './html.js';
import { RAG } from './rag.js';
import { definitionId, trendId } from './sections.js';
import type { ScorecardData } from './view.js';

/** Turns a declaration's place into a link (KRA Studio opens the file there); the report shows it as text. */
export type SourceLink = (source: SourceLocation) => string | null;

export function definitionsSection(data: ScorecardData, sourceLink?: SourceLink): string {
    const kpis = data.evaluatedKpis();
    if (kpis.length === 0) {
        return '';
    }
    const metrics = new Map(data.model.metrics.map(metric => [metric.id, metric]));
    const used = [...new Set(kpis.flatMap(kpi => kpi.dependencies?.metrics ?? []))].sort();
    return `<section id="definitions" aria-labelledby="definitions-title">
<h2 id="definitions-title">Definitions</h2>
${kpis.map(kpi => kpiDefinition(data, kpi, sourceLink)).join('\n')}
${used.length === 0 ? '' : metricsTable(data, used.map(id => metrics.get(id)).filter((metric): metric is Metric => metric !== undefined), sourceLink)}
</section>`;
}

function kpiDefinition(data: ScorecardData, kpi: Kpi, sourceLink?: SourceLink): string {
    const unit = unitId(kpi.unit) ?? unitId(kpi.formula?.inferredUnit);
    const entries: Array<[string, string]> = [];
    entries.push(['Formula', kpi.formula ? `<code>${escapeHtml(kpi.formula.text)}</code>` : '<span class="muted">none</span>']);
    entries.push(['Unit', unit ? escapeHtml(unitText(data, unit)) : '<span class="muted">a plain number</span>']);
    if (kpi.direction) {
        entries.push(['Direction', escapeHtml(kpi.direction.replace(/-/g, ' '))]);
    }
    entries.push(['Targets', kpi.targets.length === 0 ? '<span class="muted">none</span>' : list(kpi.targets.map(target => escapeHtml(targetDefinition(data, target))))]);
    entries.push(['Thresholds', kpi.thresholds.length === 0 ? '<span class="muted">none</span>' : list(kpi.thresholds.map(threshold => thresholdItem(data, threshold)))]);
    if (kpi.baseline) {
        entries.push(['Baseline', escapeHtml(`${quantityText(kpi.baseline.value, data.units)}${kpi.baseline.period ? ` in ${kpi.baseline.period}` : ''}${kpi.baseline.asOf ? ` as of ${kpi.baseline.asOf}` : ''}`)]);
    }
    if (kpi.kra) {
        entries.push(['KRA', `${escapeHtml(data.kraTitle(kpi.kra))} <code>${escapeHtml(kpi.kra)}</code>`]);
    }
    const metrics = kpi.dependencies?.metrics ?? [];
    if (metrics.length > 0) {
        entries.push(['Metrics', metrics.map(metric => `<a href="#metric-${escapeHtml(metric)}"><code>${escapeHtml(metric)}</code></a>`).join(', ')]);
    }
    const others = kpi.dependencies?.kpis ?? [];
    if (others.length > 0) {
        entries.push(['Uses KPIs', others.map(other => `<a href="#${definitionId(other)}"><code>${escapeHtml(other)}</code></a>`).join(', ')]);
    }
    if (kpi.frequency) {
        entries.push(['Frequency', escapeHtml(kpi.frequency)]);
    }
    if (kpi.dataSource) {
        entries.push(['Data source', escapeHtml(kpi.dataSource)]);
    }
    if (kpi.owner) {
        entries.push(['Owner', escapeHtml(ownerText(kpi.owner))]);
    }
    for (const variant of kpi.variants ?? []) {
        entries.push([`Variant ${variant.name}`, `${escapeHtml(variant.title ?? variant.id)}${variant.formula ? `: <code>${escapeHtml(variant.formula.text)}</code>` : ''} (${sourceText(variant.source, sourceLink)})`]);
    }
    entries.push(['Declared in', sourceText(kpi.source, sourceLink)]);
    return `<article class="definition" id="${definitionId(kpi.id)}" data-kpi="${escapeHtml(kpi.id)}">
<h3>${escapeHtml(kpi.title ?? kpi.id)} <code>${escapeHtml(kpi.id)}</code></h3>
${kpi.description ? `<p>${escapeHtml(kpi.description)}</p>` : ''}
<dl>${entries.map(([term, description]) => `<dt>${term}</dt><dd>${description}</dd>`).join('')}</dl>
<p class="back"><a href="#${trendId(kpi.id)}">Trend</a></p>
</article>`;
}

function metricsTable(data: ScorecardData, metrics: readonly Metric[], sourceLink?: SourceLink): string {
    const rows = metrics.map(metric => `<tr id="metric-${escapeHtml(metric.id)}"><th scope="row"><code>${escapeHtml(metric.id)}</code></th>`
        + `<td>${escapeHtml(metric.title ?? '')}</td>`
        + `<td>${escapeHtml(metric.unit ? unitText(data, unitId(metric.unit) ?? '') : '')}</td>`
        + `<td>${escapeHtml([metric.sourceSystem, metric.sourceField].filter(Boolean).join(' · '))}</td>`
        + `<td>${sourceText(metric.source, sourceLink)}</td></tr>`);
    return `<h3 id="metrics">Metrics</h3>
<table class="metrics"><thead><tr><th scope="col">Metric</th><th scope="col">Title</th><th scope="col">Unit</th><th scope="col">Source system</th><th scope="col">Declared in</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function targetDefinition(data: ScorecardData, target: Target): string {
    const first = [goalText(target.goal, data.units), timingText(target.timing)].filter(Boolean).join(' ');
    const stages = target.stages.map(stage => `then ${quantityText(stage.value, data.units)}${timingText(stage.timing) ? ` ${timingText(stage.timing)}` : ''}`);
    return `${target.client ? `for ${target.client}: ` : ''}${[first, ...stages].join(', ')}`;
}

function thresholdItem(data: ScorecardData, threshold: Threshold): string {
    const style = RAG[threshold.status];
    return `<span class="rag rag-${threshold.status}"><span class="rag-icon" aria-hidden="true">${style.icon}</span> ${style.label}</span> ${escapeHtml(conditionText(threshold.condition, data.units))}`;
}

function list(items: readonly string[]): string {
    return `<ul>${items.map(item => `<li>${item}</li>`).join('')}</ul>`;
}

function unitText(data: ScorecardData, unit: string): string {
    const declared = data.units.get(unit);
    if (!declared) {
        return unit;
    }
    const title = declared.title ?? declared.id;
    return declared.symbol && declared.symbol !== title ? `${title} (${declared.symbol})` : title;
}

function ownerText(owner: Owner): string {
    return 'role' in owner ? `role ${owner.role}` : `person ${owner.person}`;
}

function sourceText(source: SourceLocation | undefined, sourceLink?: SourceLink): string {
    if (!source) {
        return '<span class="muted">unknown</span>';
    }
    const text = `<code>${escapeHtml(`${source.file}:${source.line}`)}</code>`;
    const href = sourceLink?.(source);
    return href ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
}
