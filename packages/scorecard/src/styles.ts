/**
 * The scorecard's style sheet. Every rule is scoped to `.kra-scorecard`, so KRA Studio can put
 * the panel in its own page; the report puts it in its only `<style>` element.
 */
import { RAG } from './rag.js';

const S = '.kra-scorecard';

export const SCORECARD_CSS = `${S}{--ink:#1f2933;--muted:#52606d;--rule:#d9dee3;--head:#f3f5f7;--link:#1f4e99;color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;max-width:1200px;margin:0 auto;padding:16px 24px 48px}
${S} h1{font-size:1.6em;margin:.2em 0}
${S} h2{font-size:1.25em;margin:2em 0 .6em;padding-bottom:.2em;border-bottom:2px solid var(--rule)}
${S} h3{font-size:1.05em;margin:1.4em 0 .4em}
${S} h3 code,${S} td code,${S} dd code{font-size:.85em;color:var(--muted)}
${S} a{color:var(--link)}
${S} .lead{font-size:1.1em;margin:.2em 0}
${S} .muted{color:var(--muted);font-size:.9em}
${S} .sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
${S} nav.contents ol{display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:.8em 0;list-style:none}
${S} table{border-collapse:collapse;margin:.4em 0 1em}
${S} th,${S} td{padding:4px 8px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
${S} thead th{background:var(--head);font-weight:600;font-size:.9em}
${S} .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
${S} table.scorecard{width:100%;table-layout:fixed}
${S} table.scorecard thead th:nth-child(1){width:30%}
${S} table.scorecard thead th:nth-child(2){width:7%}
${S} table.scorecard thead th:nth-child(3){width:10%}
${S} table.scorecard thead th:nth-child(4){width:25%}
${S} table.scorecard thead th:nth-child(5){width:11%}
${S} tr.kra th,${S} tr.kra td{font-weight:600;background:#fafbfc}
${S} tr.kpi th{font-weight:400;padding-left:22px}
${S} .role-score{margin:.2em 0 .4em}
${S} .note{color:var(--muted);font-size:.9em}
${S} .rag{display:inline-flex;align-items:center;gap:3px;padding:0 6px;border-radius:3px;font-size:.85em;font-weight:600;white-space:nowrap}
${S} .rag-none{color:var(--muted);background:var(--head)}
${S} ul.rag-legend{display:flex;gap:12px;list-style:none;padding:0;margin:.4em 0}
${S} .scroll{overflow-x:auto}
${S} table.heat{font-size:.85em}
${S} table.heat th.period{writing-mode:vertical-rl;transform:rotate(180deg);padding:6px 2px;font-weight:500}
${S} table.heat td.heat-cell{text-align:center;border:1px solid #fff;min-width:22px;padding:3px}
${S} table.heat.members td.heat-cell{white-space:nowrap;padding:3px 8px;text-align:right}
${S} table.heat td.empty{background:#fff}
${S} table.heat tbody th{white-space:nowrap;max-width:320px;overflow:hidden;text-overflow:ellipsis;font-weight:400}
${S} .trend-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:16px}
${S} figure{margin:0}
${S} figure.chart svg{width:100%;height:auto;display:block}
${S} figure.wide{max-width:900px}
${S} figure.trend{border:1px solid var(--rule);border-radius:4px;padding:8px;break-inside:avoid}
${S} figure.trend figcaption{margin-bottom:4px}
${S} figcaption{font-size:.9em}
${S} p.key{font-size:.9em}
${S} article.definition{border-top:1px solid var(--rule);padding-top:.2em;break-inside:avoid}
${S} dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:.4em 0}
${S} dt{color:var(--muted)}
${S} dd{margin:0}
${S} dd ul{margin:0;padding-left:1.1em}
${S} ul.parts{margin:0;padding-left:1.1em}
${S} p.back{font-size:.85em;margin:.2em 0 .8em}
${S} footer{margin-top:3em;color:var(--muted);font-size:.85em}
${(['green', 'amber', 'red'] as const).map(status => `${S} .rag-${status}{color:${RAG[status].ink};background:${RAG[status].fill}}`).join('\n')}
@media print{${S}{max-width:none;padding:0;font-size:11px}${S} nav.contents{display:none}${S} .scroll{overflow:visible}${S} .trend-grid{grid-template-columns:1fr 1fr}${S} article.role,${S} figure,${S} tr{break-inside:avoid}${S} *{-webkit-print-color-adjust:exact;print-color-adjust:exact}${S} a{color:inherit;text-decoration:none}}
`;
