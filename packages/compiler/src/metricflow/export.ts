/**
 * dbt MetricFlow semantic models and metrics from the model: each source becomes a semantic
 * model (its measures are the metrics measured from it), each such metric a simple metric, and
 * each KPI a ratio or derived metric where MetricFlow can state it. What it cannot state is
 * listed with the reason. Pure: the CLI writes the YAML (`kra export metricflow`).
 */
import type { DataSource, ExpressionNode, Kpi, KraModel, Metric, Unit, Window } from '../model.js';
import { filterSql } from '../sql/aggregates.js';
import { statedFactor } from '../model-units.js';
import { DIALECT } from '../sql/dialect.js';
import { inlinedSizes, inliningTooLarge } from '../formula-graph.js';

const sql = DIALECT.postgres;

export interface MetricFlowExport {
    readonly semanticModels: Array<Record<string, unknown>>;
    readonly metrics: Array<Record<string, unknown>>;
    /** KPIs (and metrics) that are not exported, with the reason. */
    readonly omitted: Array<{ readonly kpi: string; readonly reason: string }>;
}

/** A MetricFlow name: lower case letters, digits and single underscores, starting with a letter. */
export function metricFlowName(id: string): string {
    const name = id.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
    return /^[a-z]/.test(name) ? name : `m_${name}`;
}

const AGG: Record<string, string> = { sum: 'sum', count: 'count', 'count-distinct': 'count_distinct', min: 'min', max: 'max', average: 'average' };
const GRAIN_WORD: Record<string, string> = { day: 'day', month: 'month', quarter: 'quarter', year: 'year' };

class Unsupported extends Error {}

/** A window as a cumulative metric: the name suffix, the words for its label, and its `cumulative_type_params`. */
interface Cumulative {
    readonly suffix: string;
    readonly words: string;
    readonly params: Readonly<Record<string, string>>;
}

/** For each measure aggregation, the aggregation over periods under which its cumulative value over a window is kra's. */
const CUMULATIVE_AGGREGATIONS: Readonly<Record<string, string>> = { sum: 'sum', count: 'sum', min: 'min', max: 'max' };

function columnExpr(column: string): string {
    return /^[a-z_][a-z0-9_]*$/.test(column) ? column : sql.quote(column);
}

function semanticModel(source: DataSource, metrics: readonly Metric[]): Record<string, unknown> {
    const period = source.period!;
    const time = metricFlowName(period.column);
    const measures = metrics.map(metric => {
        const measure = metric.measure!;
        let expr: string;
        if (measure.aggregation === 'count') {
            expr = measure.filter ? `CASE WHEN ${filterSql(measure.filter, sql)} THEN 1 END` : '1';
        } else {
            const column = columnExpr(measure.column!);
            expr = measure.filter ? `CASE WHEN ${filterSql(measure.filter, sql)} THEN ${column} END` : column;
        }
        return {
            name: metricFlowName(metric.id),
            ...(metric.title ? { label: metric.title } : {}),
            ...(metric.description ? { description: metric.description } : {}),
            agg: AGG[measure.aggregation],
            expr
        };
    });
    return {
        name: metricFlowName(source.id),
        ...(source.description ?? source.title ? { description: source.description ?? source.title! } : {}),
        model: `ref('${(source.table ? source.table[source.table.length - 1] : source.id).replace(/'/g, '')}')`,
        defaults: { agg_time_dimension: time },
        dimensions: [
            { name: time, type: 'time', ...(time !== period.column ? { expr: columnExpr(period.column) } : {}), type_params: { time_granularity: GRAIN_WORD[period.grain] } },
            ...source.dimensions.map(mapping => ({ name: mapping.dimension, type: 'categorical', expr: columnExpr(mapping.column) }))
        ],
        measures
    };
}

export function exportMetricFlow(model: KraModel): MetricFlowExport {
    const omitted: Array<{ kpi: string; reason: string }> = [];
    const measured = model.metrics.filter(metric => metric.measure !== null);
    const sources = model.sources.filter(source => source.period !== null && measured.some(metric => metric.measure!.dataSource === source.id));
    const exported = new Map<string, string>();
    const semanticModels = sources.map(source => {
        const own = measured.filter(metric => metric.measure!.dataSource === source.id);
        own.forEach(metric => exported.set(metric.id, metricFlowName(metric.id)));
        return semanticModel(source, own);
    });
    const metrics: Array<Record<string, unknown>> = measured.filter(metric => exported.has(metric.id)).map(metric => ({
        name: exported.get(metric.id)!,
        label: metric.title ?? metric.id,
        ...(metric.description ? { description: metric.description } : {}),
        type: 'simple',
        type_params: { measure: exported.get(metric.id)! }
    }));
    const taken = new Set(metrics.map(metric => metric.name as string));
    const units = new Map<string, Unit>(model.units.map(unit => [unit.id, unit]));
    const kpis = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
    const grains = new Set(sources.map(source => source.period!.grain));

    const sizes = inlinedSizes(model.kpis);
    for (const kpi of model.kpis) {
        if (!kpi.formula) {
            omitted.push({ kpi: kpi.id, reason: 'it has no formula' });
            continue;
        }
        try {
            const tooLarge = inliningTooLarge(kpi.formula.tree, sizes);
            if (tooLarge) {
                throw new Unsupported(tooLarge);
            }
            const inputs = new Map<string, Record<string, unknown>>();
            // The cumulative metrics this KPI's windows need, added once the KPI is exported.
            const needed = new Map<string, Record<string, unknown>>();
            const expr = derivedExpr(kpi.formula.tree, [kpi.id]);
            const factor = displayFactor(kpi);
            let name = metricFlowName(kpi.id);
            if (taken.has(name)) {
                name = `${name}_kpi`;
            }
            taken.add(name);
            for (const [cumulativeName, cumulative] of needed) {
                if (!taken.has(cumulativeName)) {
                    taken.add(cumulativeName);
                    metrics.push(cumulative);
                }
            }
            const base = { name, label: kpi.title ?? kpi.id, ...(kpi.description ? { description: kpi.description } : {}) };
            const ratio = simpleRatio(kpi.formula.tree);
            if (ratio && factor === 1) {
                metrics.push({ ...base, type: 'ratio', type_params: { numerator: ratio[0], denominator: ratio[1] } });
            } else {
                metrics.push({ ...base, type: 'derived', type_params: { expr: factor === 1 ? expr : `(${expr}) / ${factor}`, metrics: [...inputs.values()] } });
            }

            function derivedExpr(node: ExpressionNode, stack: readonly string[], offset?: string, cumulative?: Cumulative): string {
                switch (node.kind) {
                    case 'number': return String(node.value * (node.unit ? units.get(node.unit)?.factor ?? 1 : 1));
                    case 'metric': {
                        const flowName = exported.get(node.id);
                        if (!flowName) {
                            throw new Unsupported(`metric ${node.id} is not measured from a source`);
                        }
                        const metric = model.metrics.find(candidate => candidate.id === node.id)!;
                        if (cumulative) {
                            return cumulativeInput(metric, flowName, cumulative);
                        }
                        const alias = offset ? `${flowName}_${offset.replace(/\W+/g, '_')}` : flowName;
                        inputs.set(alias, offset ? { name: flowName, alias, offset_window: offset } : { name: flowName });
                        const scale = metric.unit ? units.get(metric.unit)?.factor ?? 1 : 1;
                        return scale === 1 ? alias : `(${alias} * ${scale})`;
                    }
                    case 'kpi': {
                        const target = kpis.get(node.id);
                        if (!target?.formula || stack.includes(node.id)) {
                            throw new Unsupported(`KPI ${node.id} cannot be inlined`);
                        }
                        return derivedExpr(target.formula.tree, [...stack, node.id], offset, cumulative);
                    }
                    case 'negate': return `(-${derivedExpr(node.operand, stack, offset, cumulative)})`;
                    case 'binary': {
                        const left = derivedExpr(node.left, stack, offset, cumulative);
                        const right = derivedExpr(node.right, stack, offset, cumulative);
                        return node.operator === '/' ? `(${left} / NULLIF(${right}, 0))` : `(${left} ${node.operator} ${right})`;
                    }
                    case 'call':
                        if (node.filter) {
                            throw new Unsupported(`${node.function}(… where …) is not exported yet: MetricFlow filters a simple metric's measure, not a derived metric's`);
                        }
                        if (node.function === 'safe_ratio' && node.args.length === 2) {
                            return `(${derivedExpr(node.args[0], stack, offset, cumulative)} / NULLIF(${derivedExpr(node.args[1], stack, offset, cumulative)}, 0))`;
                        }
                        throw new Unsupported(`${node.function}() has no MetricFlow equivalent in a derived metric`);
                    case 'if':
                        throw new Unsupported('if … then … else is not exported yet');
                    case 'window': {
                        if (offset || cumulative) {
                            throw new Unsupported('a window inside a window has no MetricFlow equivalent');
                        }
                        if (grains.size !== 1) {
                            throw new Unsupported('its sources have different grains');
                        }
                        const grain = [...grains][0];
                        if (node.window.kind === 'previous-period') {
                            return derivedExpr(node.expression, stack, `1 ${grain}`);
                        }
                        if (node.window.kind === 'same-period-last-year') {
                            return derivedExpr(node.expression, stack, '1 year');
                        }
                        // A fixed grain that is the data's own is an offset of one such period.
                        if (node.window.kind === 'previous' && node.window.grain === grain) {
                            return derivedExpr(node.expression, stack, `1 ${grain}`);
                        }
                        if (node.window.kind === 'same-last-year' && node.window.grain === grain) {
                            return derivedExpr(node.expression, stack, '1 year');
                        }
                        return derivedExpr(node.expression, stack, undefined, cumulativeWindow(node.window, grain));
                    }
                }
            }

            /** A metric's cumulative metric (one per metric and window), as an input of this KPI's derived metric. */
            function cumulativeInput(metric: Metric, flowName: string, cumulative: Cumulative): string {
                // MetricFlow aggregates the window's rows by the measure; kra combines the window's
                // periods by the metric's aggregation over time. They agree where both are the same sum, min or max.
                const aggregation = metric.measure!.aggregation;
                const overTime = metric.aggregation ?? (metric.additive === false ? 'avg' : 'sum');
                if (CUMULATIVE_AGGREGATIONS[aggregation] !== overTime) {
                    throw new Unsupported(`metric ${metric.id} is measured as ${aggregation} and combines periods by ${overTime}, which a cumulative metric (${aggregation} over the window's rows) would not give`);
                }
                const name = `${flowName}_${cumulative.suffix}`;
                needed.set(name, {
                    name,
                    label: `${metric.title ?? metric.id}, ${cumulative.words}`,
                    type: 'cumulative',
                    type_params: { measure: flowName, cumulative_type_params: cumulative.params }
                });
                inputs.set(name, { name });
                const scale = metric.unit ? units.get(metric.unit)?.factor ?? 1 : 1;
                return scale === 1 ? name : `(${name} * ${scale})`;
            }
        } catch (error) {
            if (!(error instanceof Unsupported)) {
                throw error;
            }
            omitted.push({ kpi: kpi.id, reason: error.message });
        }
    }

    /**
     * A rolling or to-date window as a cumulative metric's parameters. Rolling windows are
     * exported on data of their own grain (months on monthly data, days or weeks on daily data),
     * where a MetricFlow window covers the same periods as kra's; year to date only when the
     * fiscal year is the calendar one, as MetricFlow's `grain_to_date` is.
     */
    function cumulativeWindow(window: Window, grain: string): Cumulative {
        if (window.kind === 'rolling') {
            const own = window.grain === 'months' ? grain === 'month' : grain === 'day';
            if (!own) {
                throw new Unsupported(`rolling ${window.grain} on data by ${grain} is rounded to whole periods by kra, which a MetricFlow window does not do`);
            }
            const words = `rolling ${window.size} ${window.grain}`;
            return { suffix: words.replace(/ /g, '_'), words, params: { window: `${window.size} ${window.grain}` } };
        }
        if (window.kind === 'to-date') {
            if (window.grain === 'year' && (model.organisation?.fiscalYearStart ?? 'january') !== 'january') {
                throw new Unsupported('year to date runs from the fiscal year\'s start, which MetricFlow\'s grain_to_date (the calendar year) does not know');
            }
            const words = `${window.grain} to date`;
            return { suffix: words.replace(/ /g, '_'), words, params: { grain_to_date: window.grain } };
        }
        throw new Unsupported(`the window "${window.kind}" on data by ${grain} has no MetricFlow equivalent yet`);
    }

    function simpleRatio(tree: ExpressionNode): [string, string] | undefined {
        const parts = tree.kind === 'call' && tree.function === 'safe_ratio' && tree.args.length === 2 ? tree.args
            : tree.kind === 'binary' && tree.operator === '/' ? [tree.left, tree.right] : undefined;
        if (!parts || parts[0].kind !== 'metric' || parts[1].kind !== 'metric') {
            return undefined;
        }
        const [a, b] = parts.map(part => exported.get((part as { id: string }).id));
        const unitless = parts.every(part => {
            const metric = model.metrics.find(candidate => candidate.id === (part as { id: string }).id);
            return !metric?.unit || (units.get(metric.unit)?.factor ?? 1) === 1;
        });
        return a && b && unitless ? [a, b] : undefined;
    }

    function displayFactor(kpi: Kpi): number {
        return statedFactor(kpi.unit, kpi.formula, units);
    }

    return { semanticModels, metrics, omitted };
}
