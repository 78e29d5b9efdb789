/**
 * `kra sql`: one readable statement per dialect that computes, from the sources' raw rows, every
 * metric measured from a source per period, in total and per member of each dimension, and the
 * value of every KPI whose metrics all come from sources. Each part carries a comment naming the
 * KPI, metric or source and the line that declares it. What SQL cannot state (yet) is listed
 * with the reason, never approximated.
 */
import { comparedExpressions, type DataSource, type ExpressionNode, type Kpi, type KraModel, type Metric, type PredicateNode, type Unit, type Variant } from '../model.js';
import { MAX_ROUND_DIGITS } from '@kra-lang/semantics';
import { measureText } from '../measure-text.js';
import { inlinedSizes, inliningTooLarge } from '../formula-graph.js';
import { statedFactor } from '../model-units.js';
import { decomposable, measureSql, tableSql } from './aggregates.js';
import type { Dialect, SourceGrain } from './dialect.js';
import { windowKey, windowSpan, type Span } from './windows.js';

export interface WorkspaceSqlOptions {
    /** The relation a source with a file is read from (DuckDB reads files); else its table, or a table named after it. */
    readonly fileRelation?: (source: DataSource) => string;
}

export interface OmittedKpi {
    readonly kpi: string;
    readonly variant: string | null;
    readonly reason: string;
}

export interface WorkspaceSql {
    readonly sql: string;
    readonly omitted: OmittedKpi[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

class Unsupported extends Error {}

/** Comment text: one line, nothing that ends the comment. */
function comment(text: string): string {
    return text.replace(/[\r\n]+/g, ' ');
}

export function workspaceSql(model: KraModel, dialect: Dialect, options: WorkspaceSqlOptions = {}): WorkspaceSql {
    const q = (name: string) => dialect.quote(name);
    const measured = model.metrics.filter(metric => metric.measure !== null);
    const metricsById = new Map(model.metrics.map(metric => [metric.id, metric]));
    const units = new Map<string, Unit>(model.units.map(unit => [unit.id, unit]));
    const kpisById = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
    const sources = model.sources.filter(source => source.period !== null && measured.some(metric => metric.measure!.dataSource === source.id));
    const grains = new Set(sources.map(source => source.period!.grain));
    const grain: SourceGrain = grains.size === 1 ? [...grains][0] : 'month';
    const fiscalStart = Math.max(1, MONTHS.indexOf(model.organisation?.fiscalYearStart ?? 'january') + 1);
    const ctes: string[] = [];
    const omitted: OmittedKpi[] = [];
    // Names of the query's own parts (CTEs, aliases) are fixed words, written bare; every name
    // from the workspace (metrics, columns, tables) goes through quote().
    const sourceAlias = new Map(sources.map((source, index) => [source.id, `source_${index + 1}`]));

    // ------------------------------------------------------------------ sources and metrics
    const keyColumns = [q('period'), q('period_index'), q('dimension'), q('member')];
    const sourceMetrics = new Map<string, Metric[]>();
    for (const source of sources) {
        const metrics = measured.filter(metric => metric.measure!.dataSource === source.id);
        sourceMetrics.set(source.id, metrics);
        const time = q(source.period!.column);
        const from = source.file !== null && options.fileRelation ? options.fileRelation(source)
            : source.table !== null ? tableSql(source.table, dialect) : q(source.id);
        const where = source.file !== null && options.fileRelation ? `file ${source.file}` : source.table !== null ? `table ${source.table.join('.')}` : `file ${source.file}, read from a table named ${source.id}`;
        const scopes: Array<{ dimension: string; member: string | null }> = [
            { dimension: 'total', member: null },
            ...source.dimensions.map(mapping => ({ dimension: mapping.dimension, member: mapping.column }))
        ];
        const selects = scopes.map(scope => {
            const member = scope.member === null ? dialect.text('') : `CAST(${q(scope.member)} AS ${dialect.textType})`;
            // Sums, counts, minima and maxima are given per member too; a distinct count or an
            // average is exact in each scope because each scope is aggregated from the rows.
            const values = metrics.map(metric => `${measureSql(metric.measure!, dialect)} AS ${q(metric.id)}`);
            return [
                `  SELECT ${dialect.periodLabel(time, source.period!.grain)} AS ${q('period')},`,
                `         ${dialect.periodIndex(time, source.period!.grain)} AS ${q('period_index')},`,
                `         ${dialect.text(scope.dimension)} AS ${q('dimension')},`,
                `         ${member} AS ${q('member')},`,
                `         ${values.join(',\n         ')}`,
                `  FROM ${from}`,
                `  WHERE ${time} IS NOT NULL${scope.member === null ? '' : ` AND ${q(scope.member)} IS NOT NULL`}`,
                `  GROUP BY ${[dialect.periodLabel(time, source.period!.grain), dialect.periodIndex(time, source.period!.grain), ...(scope.member === null ? [] : [q(scope.member)])].join(', ')}`
            ].join('\n');
        });
        ctes.push([
            `-- Source ${source.id}${source.title ? ` "${comment(source.title)}"` : ''} (${source.source.file}:${source.source.line}), ${comment(where)}, by ${source.period!.grain}.`,
            ...metrics.map(metric => `--   ${metric.id} (${metric.source.file}:${metric.source.line}): ${comment(measureText(metric.measure!))}${decomposable(metric.measure!) ? '' : ' (exact in each scope: it does not add up over members)'}`),
            `${sourceAlias.get(source.id)} AS (`,
            selects.join('\n  UNION ALL\n'),
            ')'
        ].join('\n'));
    }
    const allMetrics = sources.flatMap(source => sourceMetrics.get(source.id)!);
    if (sources.length > 0) {
        const parts = sources.map(source => {
            const own = new Set(sourceMetrics.get(source.id)!.map(metric => metric.id));
            const columns = allMetrics.map(metric => (own.has(metric.id) ? q(metric.id) : `CAST(NULL AS ${dialect.double}) AS ${q(metric.id)}`));
            return `    SELECT ${[...keyColumns, ...columns].join(', ')} FROM ${sourceAlias.get(source.id)}`;
        });
        ctes.push([
            '-- Every metric measured from a source, per period, in total (dimension \'total\', member \'\') and per member.',
            'metric_values AS (',
            `  SELECT ${[...keyColumns, ...allMetrics.map(metric => `MAX(${q(metric.id)}) AS ${q(metric.id)}`)].join(',\n         ')}`,
            '  FROM (',
            parts.join('\n    UNION ALL\n'),
            '  ) all_sources',
            `  GROUP BY ${keyColumns.join(', ')}`,
            ')'
        ].join('\n'));
    }

    // ------------------------------------------------------------------ KPI expressions
    const windows = new Map<string, { alias: string; span: Span; metrics: Set<string>; text: string }>();
    const factor = (unit: string | null): number => {
        if (unit === null) {
            return 1;
        }
        const found = units.get(unit);
        if (!found) {
            throw new Unsupported(`unknown unit '${unit}'`);
        }
        return found.factor;
    };
    const scaled = (sql: string, by: number) => (by === 1 ? sql : `(${sql} * ${by})`);
    /** The metrics the KPI being written reads, directly or through other KPIs. */
    let touched = new Set<string>();
    const expression = (node: ExpressionNode, alias: string, stack: readonly string[], inWindow: boolean): string => {
        switch (node.kind) {
            case 'number':
                return String(node.value * factor(node.unit));
            case 'metric': {
                const metric = metricsById.get(node.id);
                if (!metric?.measure || !sources.some(source => source.id === metric.measure!.dataSource)) {
                    throw new Unsupported(`metric ${node.id} is not measured from a source (its values come aggregated)`);
                }
                if (inWindow) {
                    windows.get(alias)!.metrics.add(node.id);
                }
                touched.add(node.id);
                return scaled(`${alias}.${q(node.id)}`, factor(metric.unit));
            }
            case 'kpi': {
                const kpi = kpisById.get(node.id);
                if (!kpi?.formula || stack.includes(node.id)) {
                    throw new Unsupported(kpi?.formula ? `the KPIs form a cycle through ${node.id}` : `${node.id} has no formula`);
                }
                return expression(kpi.formula.tree, alias, [...stack, node.id], inWindow);
            }
            case 'negate':
                return `(-${expression(node.operand, alias, stack, inWindow)})`;
            case 'binary': {
                const left = expression(node.left, alias, stack, inWindow);
                const right = expression(node.right, alias, stack, inWindow);
                return node.operator === '/' ? `(${left} / NULLIF(${right}, 0))` : `(${left} ${node.operator} ${right})`;
            }
            case 'call': {
                if (node.filter) {
                    throw new Unsupported(`${node.function}(… where …) over members is not written in SQL yet`);
                }
                if (node.function === 'safe_ratio' && node.args.length === 2) {
                    return `(${expression(node.args[0], alias, stack, inWindow)} / NULLIF(${expression(node.args[1], alias, stack, inWindow)}, 0))`;
                }
                if ((node.function === 'min' || node.function === 'max') && node.args.length >= 2) {
                    const args = node.args.map(arg => expression(arg, alias, stack, inWindow));
                    // LEAST/GREATEST skip NULLs on some engines; the evaluator gives no value then.
                    return `(CASE WHEN ${args.map(arg => `${arg} IS NULL`).join(' OR ')} THEN NULL ELSE ${node.function === 'min' ? 'LEAST' : 'GREATEST'}(${args.join(', ')}) END)`;
                }
                const scalar = scalarCall(node, arg => expression(arg, alias, stack, inWindow));
                if (scalar !== undefined) {
                    return scalar;
                }
                throw new Unsupported(`${node.function}() over members is not written in SQL yet`);
            }
            case 'if': {
                // As the evaluator: a comparison without a value leaves the condition without
                // one (SQL's own logic would decide `NULL AND FALSE` and take the ELSE branch).
                const compared = comparedExpressions(node.condition).filter(part => part.kind !== 'number').map(part => expression(part, alias, stack, inWindow));
                const condition = predicate(node.condition, part => expression(part, alias, stack, inWindow));
                const unknown = [...new Set(compared)].map(part => `${part} IS NULL`).join(' OR ');
                return `(CASE ${unknown ? `WHEN ${unknown} THEN NULL ` : ''}WHEN ${condition} THEN ${expression(node.then, alias, stack, inWindow)} ELSE ${expression(node.else, alias, stack, inWindow)} END)`;
            }
            case 'window': {
                if (inWindow) {
                    throw new Unsupported('a window inside a window is not written in SQL yet');
                }
                const key = windowKey(node.window);
                let entry = [...windows.values()].find(candidate => candidate.text === key);
                if (!entry) {
                    const span = windowSpan(node.window, grain, fiscalStart);
                    if (typeof span === 'string') {
                        throw new Unsupported(span);
                    }
                    entry = { alias: `window_${windows.size + 1}`, span, metrics: new Set(), text: key };
                    windows.set(entry.alias, entry);
                }
                return expression(node.expression, entry.alias, stack, true);
            }
        }
    };

    const displayFactor = (kpi: Kpi, variant: Variant | null): number =>
        statedFactor(variant?.unit ?? kpi.unit, variant?.formula ?? kpi.formula, units);

    const sizes = inlinedSizes(model.kpis);
    const selects: string[] = [];
    for (const kpi of model.kpis) {
        for (const variant of [null, ...kpi.variants]) {
            const formula = variant?.formula ?? kpi.formula;
            if (!formula) {
                if (variant === null) {
                    omitted.push({ kpi: kpi.id, variant: null, reason: 'it has no formula' });
                }
                continue;
            }
            const before = new Map([...windows].map(([alias, entry]) => [alias, new Set(entry.metrics)]));
            const windowCount = windows.size;
            let value: string;
            touched = new Set();
            try {
                const tooLarge = inliningTooLarge(formula.tree, sizes);
                if (tooLarge) {
                    throw new Unsupported(tooLarge);
                }
                value = expression(formula.tree, 'metric_values', [kpi.id], false);
            } catch (error) {
                if (!(error instanceof Unsupported)) {
                    throw error;
                }
                // Forget what a KPI that cannot be written added to the windows.
                for (const alias of [...windows.keys()].slice(windowCount)) {
                    windows.delete(alias);
                }
                before.forEach((metrics, alias) => windows.get(alias)!.metrics = metrics);
                omitted.push({ kpi: kpi.id, variant: variant?.id ?? null, reason: error.message });
                continue;
            }
            const used = [...windows.values()].filter(entry => value.includes(`${entry.alias}.`));
            const joins = used.map(entry => `  LEFT JOIN ${entry.alias} ON ${['period', 'dimension', 'member'].map(column => `${entry.alias}.${q(column)} = metric_values.${q(column)}`).join(' AND ')}`);
            const by = displayFactor(kpi, variant);
            const title = (variant?.title ?? kpi.title) ? ` "${comment((variant?.title ?? kpi.title)!)}"` : '';
            const where = variant?.source ?? kpi.source;
            // As in the evaluator: a KPI is given per member of the dimensions all its metrics have.
            const dimensionsOf = (id: string) => sources.find(source => source.id === metricsById.get(id)!.measure!.dataSource)!.dimensions.map(mapping => mapping.dimension as string);
            const common = [...touched].map(dimensionsOf).reduce((all, next) => all.filter(dimension => next.includes(dimension)), [...touched].length > 0 ? dimensionsOf([...touched][0]!) : []);
            selects.push([
                `  -- KPI ${variant ? `${kpi.id}, variant ${variant.id}` : kpi.id}${title} (${where.file}:${where.line}): ${comment(formula.text)}${kpi.unit ? ` in ${kpi.unit.text}` : ''}`,
                `  SELECT ${dialect.text(kpi.id)} AS ${q('kpi')}, ${dialect.text(variant?.id ?? '')} AS ${q('variant')}, ${['period', 'dimension', 'member'].map(column => `metric_values.${q(column)}`).join(', ')},`,
                `         CAST(${by === 1 ? value : `${value} / ${by}`} AS ${dialect.double}) AS ${q('value')}`,
                '  FROM metric_values',
                ...joins,
                `  WHERE metric_values.${q('dimension')} IN (${['total', ...common].map(dimension => dialect.text(dimension)).join(', ')})`
            ].join('\n'));
        }
    }

    for (const entry of windows.values()) {
        const current = 'cur';
        const earlier = 'earlier';
        const index = `${current}.${q('period_index')}`;
        const from = entry.span.from(index);
        const to = entry.span.to(index);
        const columns = [...entry.metrics].sort().map(id => {
            const metric = metricsById.get(id)!;
            const value = `${earlier}.${q(id)}`;
            const how = metric.aggregation ?? (metric.additive === false ? 'avg' : 'sum');
            const aggregate = how === 'avg' ? `AVG(${value})` : how === 'min' ? `MIN(${value})` : how === 'max' ? `MAX(${value})`
                : how === 'last' ? `MAX(CASE WHEN ${earlier}.${q('period_index')} = ${to} THEN ${value} END)` : `SUM(${value})`;
            // Every period of the span must have a value, as in the evaluator.
            return `CASE WHEN COUNT(${value}) = (${to}) - (${from}) + 1 THEN ${aggregate} END AS ${q(id)}`;
        });
        ctes.push([
            `-- Window: over ${entry.text}, on ${grain} periods.`,
            `${entry.alias} AS (`,
            `  SELECT ${[...['period', 'dimension', 'member'].map(column => `${current}.${q(column)}`), ...(columns.length > 0 ? columns : [])].join(',\n         ')}`,
            `  FROM metric_values ${current}`,
            `  LEFT JOIN metric_values ${earlier} ON ${earlier}.${q('dimension')} = ${current}.${q('dimension')} AND ${earlier}.${q('member')} = ${current}.${q('member')}`,
            `    AND ${earlier}.${q('period_index')} BETWEEN ${from} AND ${to}`,
            `  GROUP BY ${['period', 'period_index', 'dimension', 'member'].map(column => `${current}.${q(column)}`).join(', ')}`,
            ')'
        ].join('\n'));
    }

    const header = [
        `-- KRA Lang: metric values and KPI values${model.organisation ? ` of ${comment(model.organisation.title ?? model.organisation.id)}` : ''}, ${dialect.name} dialect.`,
        '-- Written by `kra sql`; write it again rather than edit it. Periods are labelled as kra eval',
        '-- labels them (2026-07); dimension \'total\' with member \'\' is the total.',
        ...(grains.size > 1 ? [`-- The sources have different grains (${[...grains].join(', ')}): windows use ${grain} periods.`] : []),
        ...omitted.map(entry => `-- Not computed: KPI ${entry.kpi}${entry.variant ? `, variant ${entry.variant}` : ''}: ${comment(entry.reason)}.`)
    ];
    if (sources.length === 0 || selects.length === 0) {
        const body = sources.length === 0 ? '-- No metric is measured from a source: there is nothing to compute in SQL.' : '';
        return { sql: `${[...header, body].filter(Boolean).join('\n')}\n${sources.length === 0 ? 'SELECT 1 AS "nothing" WHERE 1 = 0;' : `WITH\n${ctes.join(',\n\n')}\nSELECT * FROM metric_values;`}\n`.replace('"nothing"', q('nothing')), omitted };
    }
    ctes.push(['kpi_values AS (', selects.join('\n  UNION ALL\n'), ')'].join('\n'));
    const sql = [
        ...header,
        'WITH',
        ctes.join(',\n\n'),
        'SELECT * FROM kpi_values',
        `ORDER BY ${['kpi', 'variant', 'period', 'dimension', 'member'].map(q).join(', ')};`,
        ''
    ].join('\n');
    return { sql, omitted };
}

/** A condition in SQL: comparisons (`=` within the evaluator's tolerance) joined by AND, OR and NOT. */
function predicate(node: PredicateNode, expression: (part: ExpressionNode) => string): string {
    switch (node.kind) {
        case 'compare': {
            const left = expression(node.left);
            const right = expression(node.right);
            const equal = `ABS(${left} - ${right}) <= 1e-9 * GREATEST(1, ABS(${left}), ABS(${right}))`;
            return node.operator === '=' ? equal : node.operator === '!=' ? `NOT (${equal})` : `${left} ${node.operator} ${right}`;
        }
        case 'not':
            return `NOT (${predicate(node.operand, expression)})`;
        case 'and':
        case 'or':
            return node.operands.map(operand => `(${predicate(operand, expression)})`).join(` ${node.kind.toUpperCase()} `);
    }
}

/**
 * abs, round, floor, ceil and clamp as the kernel's function table computes them: round halves
 * away from zero on every engine (ROUND on a double rounds halves to even on PostgreSQL), and a
 * clamp with its bounds the wrong way round has no value. Undefined for other functions.
 */
function scalarCall(node: Extract<ExpressionNode, { kind: 'call' }>, expression: (part: ExpressionNode) => string): string | undefined {
    const args = node.args.map(expression);
    switch (node.function) {
        case 'abs': return args.length === 1 ? `ABS(${args[0]})` : undefined;
        case 'floor': return args.length === 1 ? `FLOOR(${args[0]})` : undefined;
        case 'ceil': return args.length === 1 ? `CEIL(${args[0]})` : undefined;
        case 'round': {
            const digits = node.args[1];
            if (args.length === 2 && (digits.kind !== 'number' || !Number.isInteger(digits.value) || digits.value < 0 || digits.value > MAX_ROUND_DIGITS)) {
                throw new Unsupported(`round() with decimal places other than a whole number from 0 to ${MAX_ROUND_DIGITS} is not written in SQL`);
            }
            const scale = 10 ** (args.length === 2 && digits.kind === 'number' ? digits.value : 0);
            return args.length <= 2 ? `(SIGN(${args[0]}) * FLOOR(ABS(${args[0]}) * ${scale} + 0.5) / ${scale})` : undefined;
        }
        case 'clamp':
            return args.length === 3
                ? `(CASE WHEN ${args.map(arg => `${arg} IS NULL`).join(' OR ')} OR ${args[1]} > ${args[2]} THEN NULL ELSE LEAST(GREATEST(${args[0]}, ${args[1]}), ${args[2]}) END)`
                : undefined;
        default: return undefined;
    }
}
