/**
 * Trends: for every KPI value (in total and per member), KRA, role and person score and roll-up,
 * the change against the previous period of the same grain and against the same period a year
 * earlier, and for KPIs how many periods in a row, ending with this one, the status has been red.
 * Built from the periods evaluated; with periods asked for (`--period`), the evaluator also
 * evaluates the TREND_HISTORY periods before each and the same period a year earlier, without
 * reporting them. docs/evaluation.md, "Trends".
 */
import { parsePeriod, periodYearBefore, previousPeriod, type Period } from '@kra-lang/semantics';
import type { EvaluationResult, RagStatus, Trend } from '../result.js';

/** How many periods before a period asked for (`--period`) are evaluated for its red streak. */
export const TREND_HISTORY = 12;

/** The periods trends need for the periods asked for: the TREND_HISTORY periods before each, and the same period a year earlier. */
export function trendContext(periods: readonly Period[]): Period[] {
    const context = new Map<string, Period>();
    for (const period of periods) {
        let current = period;
        for (let count = 0; count < TREND_HISTORY; count++) {
            current = previousPeriod(current);
            context.set(current.id, current);
        }
        const yearBefore = periodYearBefore(period);
        context.set(yearBefore.id, yearBefore);
    }
    return [...context.values()];
}

type Parts = Pick<EvaluationResult, 'kpis' | 'kras' | 'roles' | 'people' | 'rollups'>;

interface Point {
    readonly value: number | null;
    readonly status: RagStatus | null;
}

export function trends(result: Parts): Trend[] {
    const series = new Map<string, Map<string, Point>>();
    const order: Array<{ key: string; period: string; subject: Trend['subject']; id: string; member: string | null; hasStatus: boolean }> = [];
    const add = (subject: Trend['subject'], id: string, member: string | null, period: string, point: Point, hasStatus = false) => {
        const key = `${subject}\u0000${id}\u0000${member ?? ''}`;
        let byPeriod = series.get(key);
        if (!byPeriod) {
            byPeriod = new Map();
            series.set(key, byPeriod);
        }
        if (!byPeriod.has(period)) {
            order.push({ key, period, subject, id, member, hasStatus });
        }
        // A person with two assignments in one period: the later one (the one in force at its end) counts.
        byPeriod.set(period, point);
    };
    for (const kpi of result.kpis) {
        if (kpi.variant === null) {
            add('kpi', kpi.kpi, kpi.dimension ? `${kpi.dimension} ${kpi.member}` : null, kpi.period, { value: kpi.value, status: kpi.status }, true);
        }
    }
    result.kras.forEach(kra => add('kra', kra.kra, null, kra.period, { value: kra.score, status: null }));
    result.roles.forEach(role => add('role', role.role, null, role.period, { value: role.score, status: null }));
    result.people.forEach(person => add('person', person.person, person.role, person.period, { value: person.score, status: null }));
    result.rollups.forEach(rollup => add(rollup.kind, rollup.id ?? '', null, rollup.period, { value: rollup.score, status: null }));

    const periods = new Map<string, Period>();
    const periodOf = (id: string) => {
        let period = periods.get(id);
        if (!period) {
            period = parsePeriod(id)!;
            periods.set(id, period);
        }
        return period;
    };
    return order.map(({ key, period, subject, id, member, hasStatus }) => {
        const byPeriod = series.get(key)!;
        const point = byPeriod.get(period)!;
        const compare = (earlier: Period) => {
            const value = byPeriod.get(earlier.id)?.value ?? null;
            return { period: earlier.id, value, change: point.value === null || value === null ? null : tidy(point.value - value) };
        };
        let redStreak: number | null = null;
        if (hasStatus) {
            redStreak = 0;
            for (let current: Period | undefined = periodOf(period); current && byPeriod.get(current.id)?.status === 'red'; current = previousPeriod(current)) {
                redStreak++;
            }
        }
        return {
            period, subject, id, member, value: point.value,
            previous: compare(previousPeriod(periodOf(period))),
            lastYear: compare(periodYearBefore(periodOf(period))),
            redStreak
        };
    });
}

/** A difference of computed values, rounded away from float noise (0.1 + 0.2); null when it overflows. */
function tidy(value: number): number | null {
    if (!Number.isFinite(value)) {
        return null;
    }
    return Math.abs(value) < 1e6 ? Math.round(value * 1e9) / 1e9 : value;
}
