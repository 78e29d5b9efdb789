/**
 * Metric data as evaluation reads it: the rows indexed by metric and period, the grains and
 * dimensions each metric has, the members of a dimension in scope, and a metric's value over a
 * span of days and a scope (members combined within a period, periods by its aggregation).
 */
import type { Metric } from '../model.js';
import { addTo } from '../collections.js';
import { DIMENSIONS, type DataRow, type DataSet, type Dimension } from './data.js';
import { isoDate, PERIOD_GRAINS, type DayRange, type PeriodGrain } from '@kra-lang/semantics';
import { filterKey, matches, type Context, type Filter } from './scope.js';
import type { UnitTable } from './units.js';
import { aggregate, finite, isNull, Null, type Value } from './values.js';
import { tiles } from './windows.js';

export class MetricData {
    private readonly metrics: Map<string, Metric>;
    /** Rows by metric, then by period id. */
    private readonly index = new Map<string, Map<string, DataRow[]>>();
    /** The grains each metric has data in, coarsest first. */
    private readonly grains = new Map<string, PeriodGrain[]>();
    /** The dimensions each metric's rows give. */
    private readonly dimensions = new Map<string, Set<Dimension>>();
    /** Metric values and member lists are asked for again and again (KPI references, change targets, scopes). */
    private readonly metricMemo = new Map<string, Value>();
    private readonly membersMemo = new Map<string, string[]>();

    constructor(metrics: readonly Metric[], data: DataSet, private readonly units: UnitTable) {
        this.metrics = new Map(metrics.map(metric => [metric.id, metric]));
        const grainSets = new Map<string, Set<PeriodGrain>>();
        for (const row of data.rows) {
            for (const metric of row.values.keys()) {
                let byPeriod = this.index.get(metric);
                if (!byPeriod) {
                    byPeriod = new Map();
                    this.index.set(metric, byPeriod);
                }
                const rows = byPeriod.get(row.period.id) ?? [];
                rows.push(row);
                byPeriod.set(row.period.id, rows);
                addTo(grainSets, metric, row.period.grain);
                for (const dimension of DIMENSIONS) {
                    if (row.members[dimension] !== undefined) {
                        addTo(this.dimensions, metric, dimension);
                    }
                }
            }
        }
        for (const [metric, set] of grainSets) {
            this.grains.set(metric, PERIOD_GRAINS.filter(grain => set.has(grain)).reverse());
        }
    }

    /** Whether the data has any value for the metric. */
    has(metric: string): boolean {
        return this.index.has(metric);
    }

    /** Whether the metric's rows give members of the dimension. */
    hasDimension(metric: string, dimension: Dimension): boolean {
        return this.dimensions.get(metric)?.has(dimension) ?? false;
    }

    /** Dimensions every one of the metrics has data by. */
    commonDimensions(metrics: ReadonlySet<string>): Dimension[] {
        if (metrics.size === 0) {
            return [];
        }
        return DIMENSIONS.filter(dimension => [...metrics].every(metric => this.hasDimension(metric, dimension)));
    }

    /** Members of a dimension in the rows of the metrics that overlap the range and match the filter. */
    members(dimension: Dimension, metrics: ReadonlySet<string>, range: DayRange, filter: Filter): string[] {
        const key = `${dimension}\u0000${[...metrics].sort().join(',')}\u0000${range.start}\u0000${range.end}\u0000${filterKey(filter)}`;
        const memo = this.membersMemo.get(key);
        if (memo) {
            return memo;
        }
        const members = new Set<string>();
        for (const metric of metrics) {
            for (const rows of this.index.get(metric)?.values() ?? []) {
                for (const row of rows) {
                    const member = row.members[dimension];
                    if (member !== undefined && row.period.end >= range.start && row.period.start <= range.end && matches(row, filter)) {
                        members.add(member);
                    }
                }
            }
        }
        const sorted = [...members].sort();
        this.membersMemo.set(key, sorted);
        return sorted;
    }

    /**
     * A metric over the context's range and scope, in base units. The range is covered by the
     * metric's data periods (coarsest grain first); every period in it must have data. Within a
     * period, the rows of the scope's members combine; across periods, the metric's aggregation
     * applies.
     */
    value(id: string, context: Context): Value {
        const key = `${id}\u0000${filterKey(context.filter)}\u0000${context.anchor.id}\u0000${context.range.start}\u0000${context.range.end}\u0000${context.range.days ?? ''}`;
        let value = this.metricMemo.get(key);
        if (value === undefined) {
            value = this.computeValue(id, context);
            this.metricMemo.set(key, value);
        }
        return value;
    }

    private computeValue(id: string, context: Context): Value {
        const metric = this.metrics.get(id);
        if (!metric) {
            return new Null(`unknown metric ${id}`);
        }
        const factor = this.units.factor(metric.unit);
        if (isNull(factor)) {
            return factor;
        }
        const byPeriod = this.index.get(id);
        const grains = this.grains.get(id) ?? [];
        let missing: string | undefined;
        for (const grain of grains) {
            const periods = tiles(context.range, grain);
            if (!periods) {
                continue;
            }
            const values: number[] = [];
            for (const period of periods) {
                const rows = (byPeriod?.get(period.id) ?? []).filter(row => matches(row, context.filter));
                if (rows.length === 0) {
                    missing = period.id;
                    break;
                }
                const combined = aggregate(memberAggregation(metric), rows.map(row => row.values.get(id)!));
                if (isNull(combined)) {
                    return combined;
                }
                values.push(combined);
            }
            if (values.length === periods.length) {
                const combined = aggregate(timeAggregation(metric), values);
                return isNull(combined) ? combined : finite(combined * factor);
            }
        }
        const scope = Object.entries(context.filter).map(([dimension, member]) => ` for ${dimension} ${member}`).join('');
        if (missing) {
            return new Null(`missing data: ${id} in ${missing}${scope}`);
        }
        const where = context.range.start === context.anchor.start && context.range.end === context.anchor.end
            ? context.anchor.id : `${isoDate(context.range.start)} to ${isoDate(context.range.end)}`;
        const hint = grains.length > 0 ? ` (its data is by ${grains.map(grain => grain).join(', ')})` : '';
        return new Null(`missing data: ${id} in ${where}${scope}${hint}`);
    }
}

/**
 * Over the members of one period (teams, clients…) a metric adds up, unless it aggregates by
 * min, max or median: a headcount or balance averaged over time still adds up across teams.
 */
function memberAggregation(metric: Metric): string {
    return metric.aggregation === 'min' || metric.aggregation === 'max' || metric.aggregation === 'median' ? metric.aggregation : 'sum';
}

/** Over several periods (a window, or months rolled up into a quarter) a metric uses its aggregation. */
function timeAggregation(metric: Metric): string {
    return metric.aggregation ?? (metric.additive === false ? 'avg' : 'sum');
}
