/**
 * @kra-lang/scorecard: an evaluation (`kra eval --format json`) and its compiled model as an HTML
 * scorecard with SVG charts. `kra report` writes it as one self-contained file; KRA Studio shows
 * it in its live panel. Browser-safe: no Node.js APIs, no parser; it runs in a Web Worker too.
 */
import type { KraModel } from '@kra-lang/compiler';
import type { EvaluationResult, RagStatus } from '@kra-lang/compiler/evaluate';
import { peopleSection, rollUpsSection } from './appraisal.js';
import { definitionsSection, type SourceLink } from './definitions.js';
import { escapeHtml } from './html.js';
import {
    contentsNav, memberHeatMapSections, periodHeatMapSection, roleScoresSection, scorecardSection, summarySection, trendsSection
} from './sections.js';
import { SCORECARD_CSS } from './styles.js';
import { ScorecardData, type ScorecardOptions } from './view.js';

export { SCORECARD_CSS } from './styles.js';
export { RAG, NO_STATUS, type RagStyle } from './rag.js';
export { ragBadge, escapeHtml } from './html.js';
export { trendChart, roleScoreChart } from './charts.js';
export { thresholdBands, statusOf, quantityIn, type Band } from './bands.js';
export { formatQuantity, formatPercent, formatFixed, goalText, timingText, conditionText, targetText, unitTable, type UnitLike } from './format.js';
export { ScorecardData, type ScorecardOptions, type RoleBlock, type KraBlock, type KpiLine } from './view.js';
export type { SourceLink } from './definitions.js';

export interface RenderOptions extends ScorecardOptions {
    /** Makes each `file:line` a link, e.g. to open it in the editor; default plain text. */
    readonly sourceLink?: SourceLink;
}

/**
 * The scorecard as an HTML fragment: one `<div class="kra-scorecard">` holding every section.
 * Style it with SCORECARD_CSS. Every text from the model and the data is escaped, so the
 * fragment can be set as innerHTML. Deterministic: the same input gives the same string.
 */
export function renderScorecard(model: KraModel, result: EvaluationResult, options: RenderOptions = {}): string {
    const data = new ScorecardData(model, result, options);
    const sections = [
        { id: 'role-scores', title: 'Role scores', html: model.roles.length > 0 ? roleScoresSection(data) : '' },
        { id: 'scorecard', title: 'Scorecard', html: scorecardSection(data) },
        { id: 'rollups', title: 'Roll-ups', html: rollUpsSection(data) },
        { id: 'people', title: 'People', html: peopleSection(data) },
        { id: 'heat-period', title: 'Status by period', html: periodHeatMapSection(data) },
        ...memberHeatMapSections(data),
        { id: 'trends', title: 'Trends', html: trendsSection(data) },
        { id: 'definitions', title: 'Definitions', html: definitionsSection(data, options.sourceLink) }
    ].filter(section => section.html !== '');
    return `<div class="kra-scorecard">
${summarySection(data)}
${contentsNav(sections)}
${sections.map(section => section.html).join('\n')}
<footer><p>From the compiled model (schema ${escapeHtml(model.schemaVersion ?? '?')}) and its evaluation (schema ${escapeHtml(result.schemaVersion ?? '?')}), by KRA Lang.</p></footer>
</div>`;
}

/**
 * The Content-Security-Policy of a report: nothing may be loaded or sent, no script runs, and
 * the only style is the report's own style sheet, allowed by its hash.
 */
export async function reportContentSecurityPolicy(css: string = SCORECARD_CSS): Promise<string> {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(css));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; font-src 'none'; connect-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'`;
}

/**
 * A whole HTML document: the scorecard with its style sheet inline and a Content-Security-Policy
 * that forbids every request and every script. Deterministic: no time stamp, stable order.
 */
export async function renderReport(model: KraModel, result: EvaluationResult, options: RenderOptions = {}): Promise<string> {
    const data = new ScorecardData(model, result, options);
    const policy = await reportContentSecurityPolicy();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kra report">
<title>${escapeHtml(`${data.title}: scorecard ${data.period}`)}</title>
<style>${SCORECARD_CSS}</style>
</head>
<body>
${renderScorecard(model, result, options)}
</body>
</html>
`;
}

export interface StatusChange {
    kpi: string;
    title: string;
    before: RagStatus | null;
    after: RagStatus | null;
}

/**
 * The KPIs whose total status in a period differs between two evaluations (KRA Studio: what an
 * edit changed). In the model's order; a KPI missing from one side counts as no status there.
 */
export function statusChanges(model: KraModel, before: EvaluationResult, after: EvaluationResult, period?: string): StatusChange[] {
    const old = new ScorecardData(model, before, { period });
    const now = new ScorecardData(model, after, { period });
    return model.kpis.flatMap(kpi => {
        const was = old.kpiResult(kpi.id, period ?? now.period)?.status ?? null;
        const is = now.kpiResult(kpi.id, period ?? now.period)?.status ?? null;
        return was === is ? [] : [{ kpi: kpi.id, title: kpi.title ?? kpi.id, before: was, after: is }];
    });
}
