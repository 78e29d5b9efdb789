/**
 * The charts, drawn by Apache ECharts' server-side SVG renderer: plain SVG strings with no
 * script, the same in Node.js and in a browser (or a Web Worker, which has no DOM).
 *
 * Only the chart types and components used are registered, so a bundle carries a part of
 * ECharts. Text is measured with ECharts' built-in width table instead of a canvas, so the
 * layout, and the bytes, do not depend on the fonts of the machine.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkAreaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Kpi } from '@kra-lang/compiler';
import type { RagStatus } from '@kra-lang/compiler/evaluate';
import { thresholdBands } from './bands.js';
import { formatFixed, formatPercent, formatQuantity, type UnitLike } from './format.js';
import { RAG } from './rag.js';
import type { ScorecardData } from './view.js';

echarts.use([LineChart, BarChart, GridComponent, MarkAreaComponent, SVGRenderer]);
// Without a canvas, ECharts measures text from a fixed table of glyph widths.
echarts.setPlatformAPI({ createCanvas: (() => undefined) as never });

const INK = '#1f2933';
const MUTED = '#52606d';
const GRID = '#d9dee3';
const LINE = '#1f4e99';
const TARGET = '#111827';

/** The SVG marker shape of each status, so a point's status is not told by colour alone. */
const SYMBOL: Record<RagStatus, string> = { green: 'circle', amber: 'triangle', red: 'diamond' };

/** The trend of a KPI's total over the periods: value, target, threshold bands; '' when it has no value at all. */
export function trendChart(data: ScorecardData, kpi: Kpi, size: { width: number; height: number } = { width: 520, height: 210 }): string {
    const periods = data.trendPeriods(kpi.id).map(period => period.id);
    const rows = periods.map(period => data.kpiResult(kpi.id, period));
    if (!rows.some(row => row?.value !== null && row?.value !== undefined)) {
        return '';
    }
    // The model's structured unit, as the evaluator states the values; the result's text otherwise.
    const unit: UnitLike = kpi.unit ?? kpi.formula?.inferredUnit ?? rows.find(row => row?.unit !== undefined)?.unit;
    const values = rows.map(row => (row && row.value !== null ? row.value : null));
    const targets = {
        level: rows.map(row => (row?.target && row.target.kind !== 'between' ? row.target.level : null)),
        low: rows.map(row => (row?.target?.kind === 'between' ? row.target.low : null)),
        high: rows.map(row => (row?.target?.kind === 'between' ? row.target.high : null))
    };
    const bands = thresholdBands(kpi.thresholds, unit, data.units);
    const shown = [...values, ...targets.level, ...targets.low, ...targets.high].filter((value): value is number => value !== null);
    const breaks = bands.flatMap(band => [band.from, band.to]).filter(Number.isFinite);
    const [min, max] = axisRange(shown, breaks);
    const targetSeries = (name: string, points: Array<number | null>) => ({
        type: 'line' as const,
        name,
        data: points.map(point => (point === null ? '-' : point)),
        step: 'middle' as const,
        symbol: 'none',
        lineStyle: { color: TARGET, width: 1.5, type: 'dashed' as const },
        silent: true
    });
    const option = {
        animation: false,
        textStyle: { fontFamily: 'sans-serif' },
        grid: { left: 64, right: 12, top: 12, bottom: 28 },
        xAxis: { type: 'category', data: periods, boundaryGap: false, axisLabel: { color: MUTED, fontSize: 10 }, axisLine: { lineStyle: { color: GRID } }, axisTick: { show: false } },
        yAxis: {
            type: 'value', min, max, splitNumber: 4,
            axisLabel: { color: MUTED, fontSize: 10, formatter: (value: number) => formatQuantity(value, unit, data.units) },
            splitLine: { lineStyle: { color: GRID } }
        },
        series: [
            {
                type: 'line',
                name: 'value',
                data: rows.map(row => (row && row.value !== null
                    ? { value: row.value, symbol: row.status ? SYMBOL[row.status] : 'emptyCircle', symbolSize: row.status ? 7 : 5, itemStyle: { color: row.status ? RAG[row.status].ink : MUTED } }
                    : '-')),
                lineStyle: { color: LINE, width: 2 },
                itemStyle: { color: LINE },
                markArea: bands.length === 0 ? undefined : {
                    silent: true,
                    data: bands.map(band => [
                        { yAxis: Math.max(band.from, min), itemStyle: { color: RAG[band.status].band } },
                        { yAxis: Math.min(band.to, max) }
                    ])
                }
            },
            ...(targets.level.some(level => level !== null) ? [targetSeries('target', targets.level)] : []),
            ...(targets.low.some(level => level !== null) ? [targetSeries('target low', targets.low), targetSeries('target high', targets.high)] : [])
        ]
    };
    return render(option, size, `t-${slug(kpi.id)}`);
}

/** Every role's score in the focus period, as horizontal bars labelled with the score and rating. */
export function roleScoreChart(data: ScorecardData, size: { width: number; height?: number } = { width: 720 }): string {
    const roles = data.model.roles.map(role => ({ title: role.title ?? role.id, score: data.roleScore(role.id) }))
        .filter(entry => entry.score && entry.score.score !== null);
    if (roles.length === 0) {
        return '';
    }
    // Top to bottom in the model's order: ECharts draws a category axis from the bottom up.
    const ordered = [...roles].reverse();
    const scores = ordered.map(entry => entry.score!.score!);
    const max = Math.max(100, ...scores);
    const option = {
        animation: false,
        textStyle: { fontFamily: 'sans-serif' },
        grid: { left: 240, right: 200, top: 8, bottom: 24 },
        xAxis: { type: 'value', min: 0, max: niceCeil(max), axisLabel: { color: MUTED, fontSize: 10, formatter: (value: number) => `${value}%` }, splitLine: { lineStyle: { color: GRID } } },
        yAxis: { type: 'category', data: ordered.map(entry => truncate(entry.title, 36)), axisLabel: { color: INK, fontSize: 11 }, axisTick: { show: false }, axisLine: { lineStyle: { color: GRID } } },
        series: [{
            type: 'bar',
            data: scores,
            barMaxWidth: 18,
            itemStyle: { color: LINE },
            label: {
                show: true, position: 'right', color: INK, fontSize: 11,
                formatter: (params: { dataIndex: number }) => {
                    const score = ordered[params.dataIndex].score!;
                    return `${formatPercent(score.score)}${score.rating ? `  ${score.rating.label}` : ''}`;
                }
            },
            markLine: undefined
        }]
    };
    return render(option, { width: size.width, height: size.height ?? 32 + roles.length * 28 }, 'role-scores');
}

function render(option: echarts.EChartsCoreOption, size: { width: number; height: number }, id: string): string {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
    try {
        chart.setOption(option);
        return cleanSvg(chart.renderToSVGString(), id);
    } finally {
        chart.dispose();
    }
}

/**
 * ECharts' SVG, made fit for a page with a strict Content-Security-Policy and made stable:
 * - ids come from a counter of the ECharts instance (`zr12-c0`); they become `<id>-c0`, so the
 *   same chart has the same ids whatever was drawn before it;
 * - the hover style sheet, its classes and the interaction metadata go (the SVG is static);
 * - `style` attributes on text become presentation attributes, so the page needs no
 *   'unsafe-inline' styles.
 */
export function cleanSvg(svg: string, id: string): string {
    return svg
        .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
        .replace(/ class="zr\d+-cls-\d+"/g, '')
        .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
        .replace(/ pointer-events="visible"/g, '')
        .replace(/\bzr\d+-/g, `${id}-`)
        .replace(/ style="([^"]*)"/g, (_match, css: string) => css.split(';')
            .map(declaration => declaration.trim())
            .filter(declaration => /^(font-size|font-family|font-weight|font-style):/.test(declaration))
            .map(declaration => {
                const [name, ...value] = declaration.split(':');
                return ` ${name.trim()}="${value.join(':').trim()}"`;
            }).join(''))
        .replace(/<defs\s*>\s*<\/defs>/g, '')
        .replace(/\n+/g, '\n')
        .replace(/^<svg /, `<svg id="${id}" role="presentation" focusable="false" `);
}

/** An axis range around the values that also shows the threshold break points near them. */
function axisRange(values: readonly number[], breaks: readonly number[]): [number, number] {
    let low = Math.min(...values);
    let high = Math.max(...values);
    const span = Math.max(high - low, Math.abs(high) * 0.1, 1e-9);
    // A break point within half a span of the values is drawn; one far away would flatten the line.
    for (const point of breaks) {
        if (point >= low - span / 2 && point <= high + span / 2) {
            low = Math.min(low, point);
            high = Math.max(high, point);
        }
    }
    const pad = (high - low || Math.abs(high) || 1) * 0.08;
    return [niceFloor(low - pad), niceCeil(high + pad)];
}

function step(value: number): number {
    const magnitude = 10 ** Math.floor(Math.log10(Math.max(Math.abs(value), 1e-9)));
    return magnitude / 2;
}

function niceFloor(value: number): number {
    const unit = step(value);
    return Number(formatFixed(Math.floor(value / unit) * unit, 6));
}

function niceCeil(value: number): number {
    const unit = step(value);
    return Number(formatFixed(Math.ceil(value / unit) * unit, 6));
}

function truncate(text: string, length: number): string {
    return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** A KPI id as an id fragment: dots and other characters become hyphens. */
export function slug(id: string): string {
    return id.replace(/[^A-Za-z0-9_-]+/g, '-');
}
