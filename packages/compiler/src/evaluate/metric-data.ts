/**
 * Metric data as evaluation reads it: the rows indexed by metric and period, the grains and
 * dimensions each metric has, the members of a dimension in scope, and a metric's value over a
 * span of days and a scope (members combined within a period, periods by its aggregation).
 */
import type { Metric } from '../model.js';
import { addTo } from '../collections.js';
import { DIMENSIONS, rowLocation, type DataRow, type DataSet, type Dimension } from './data.js';
import { isoDate, PERIOD_GRAINS, type DayRange, type Period, type PeriodGrain } from '@kra-lang/semantics';
import { filterKey, matches, type Context, type Filter, type Range } from './scope.js';
import type { UnitTable } from './units.js';
import { aggregate, finite, isNull, Null, type Value } from './values.js';
import { tiles } from './windows.js';

export class MetricData {
    private readonly metrics: Map<string, Metric>;
    /** Rows by metric, then by period id. */
    private readonly index = new Map<string, Map<string, DataRow[]>>();
    /** Rows that leave the metric's cell empty, by metric, then by period id. */
    private readonly gaps = new Map<string, Map<string, DataRow[]>>();
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
        const enter = (index: Map<string, Map<string, DataRow[]>>, metric: string, row: DataRow) => {
            let byPeriod = index.get(metric);
            if (!byPeriod) {
                byPeriod = new Map();
                index.set(metric, byPeriod);
            }
            const rows = byPeriod.get(row.period.id) ?? [];
            rows.push(row);
            byPeriod.set(row.period.id, rows);
        };
        for (const row of data.rows) {
            for (const [metric, missing] of [...[...row.values.keys()].map(metric => [metric, false] as const), ...[...row.missing].map(metric => [metric, true] as const)]) {
                enter(missing ? this.gaps : this.index, metric, row);
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

    /** Members of a dimension in the rows of the metrics (with or without their value) that overlap the range and match the filter. */
    members(dimension: Dimension, metrics: ReadonlySet<string>, range: DayRange, filter: Filter): string[] {
        const key = `${dimension}\u0000${[...metrics].sort().join(',')}\u0000${range.start}\u0000${range.end}\u0000${filterKey(filter)}`;
        const memo = this.membersMemo.get(key);
        if (memo) {
            return memo;
        }
        const members = new Set<string>();
        for (const metric of metrics) {
            for (const rows of [...this.index.get(metric)?.values() ?? [], ...this.gaps.get(metric)?.values() ?? []]) {
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
     * The data periods a filtered aggregation (`sum(x where …)`) takes its rows in: the finest
     * grain that every one of the metrics has data in, else the finest any of them has, that
     * tiles the range. Undefined when none does (monthly data and a range of a few days).
     */
    rowPeriods(metrics: ReadonlySet<string>, range: Range): Period[] | undefined {
        const grains = [...metrics].map(metric => new Set(this.grains.get(metric) ?? []));
        const common = PERIOD_GRAINS.filter(grain => grains.every(set => set.has(grain)));
        const any = PERIOD_GRAINS.filter(grain => grains.some(set => set.has(grain)) && !common.includes(grain));
        for (const grain of [...common, ...any]) {
            const periods = tiles(range, grain);
            if (periods) {
                return periods;
            }
        }
        return undefined;
    }

    /** Whether any of the metrics has a row (with or without its value) that overlaps the range and matches the filter. */
    hasRows(metrics: ReadonlySet<string>, range: DayRange, filter: Filter): boolean {
        for (const metric of metrics) {
            for (const index of [this.index, this.gaps]) {
                for (const rows of index.get(metric)?.values() ?? []) {
                    if (rows.some(row => row.period.end >= range.start && row.period.start <= range.end && matches(row, filter))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A metric over the context's range and scope, in base units. The range is covered by the
     * metric's data periods (coarsest grain first); every period in it must have data. Within a
     * period, the rows of the scope's members combine; across periods, the metric's aggregation
     * applies. A row in scope that leaves the metric's cell empty makes the value missing data
     * (never a sum of the other members), unless the metric counts missing values as zero.
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
        const gapsByPeriod = this.gaps.get(id);
        const grains = this.grains.get(id) ?? [];
        let missing: string | undefined;
        for (const grain of grains) {
            const periods = tiles(context.range, grain);
            if (!periods) {
                continue;
            }
            const values: number[] = [];
            for (const period of periods) {
                const all = byPeriod?.get(period.id) ?? [];
                const rows = all.filter(row => matches(row, context.filter));
                // Rows of another file that give the value for the gap's members (or a breakdown of them) fill it.
                const gaps = (gapsByPeriod?.get(period.id) ?? []).filter(gap => matches(gap, context.filter) && !all.some(row => matches(row, gap.members)));
                if (gaps.length > 0 && metric.missingAs !== 'zero') {
                    return emptyCells(id, period.id, gaps);
                }
                if (rows.length === 0 && gaps.length === 0) {
                    missing = period.id;
                    break;
                }
                const combined = aggregate(memberAggregation(metric), [...rows.map(row => row.values.get(id)!), ...gaps.map(() => 0)]);
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

/** Missing data because rows in scope leave the metric's cell empty: names the metric, the first member, the period and the cell. */
function emptyCells(id: string, period: string, gaps: readonly DataRow[]): Null {
    const [first] = [...gaps].sort((a, b) => filterKey(a.members).localeCompare(filterKey(b.members)) || a.file.localeCompare(b.file) || a.row - b.row);
    const members = DIMENSIONS.filter(dimension => first.members[dimension] !== undefined).map(dimension => `${dimension} ${first.members[dimension]}`).join(', ');
    const others = gaps.length > 1 ? ` and ${gaps.length - 1} more row${gaps.length === 2 ? '' : 's'}` : '';
    return new Null(`missing data: ${id} in ${period}${members ? ` for ${members}` : ''} (an empty cell at ${rowLocation(first)}${others})`, true);
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
