/**
 * Each person's role score per period, from the KPIs of the role's KRAs, each at the level it is
 * measured (docs/evaluation.md, "People"):
 * - a KPI whose metrics all have rows per `agent` is measured per agent. For a role measured per
 *   agent (some holder of it has agent rows), the person's own rows are used; for other roles
 *   (a team leader), the person's team;
 * - a KPI whose metrics all have rows per `team` uses the person's team;
 * - any other KPI uses the organisation's total.
 * A person without a team is scored on the total for KPIs measured per team or agent, and the
 * output says so. A person who changed role or team within a period is scored per assignment,
 * each row with the days it covers.
 */
import type { KraModel } from '../../model.js';
import type { Period } from '@kra-lang/semantics';
import { isoDate } from '@kra-lang/semantics';
import type { KpiResult, KraScore, MeasureLevel, PersonKpi, PersonScore } from '../result.js';
import type { Scores } from '../scores.js';
import type { Assignment } from './assignments.js';

export class People {
    private readonly roles: Map<string, KraModel['roles'][number]>;
    private readonly kras: Map<string, KraModel['kras'][number]>;

    constructor(model: KraModel, private readonly assignments: readonly Assignment[], private readonly agentRoles: ReadonlySet<string>,
        private readonly scores: Scores, private readonly levelOf: (kpi: string) => MeasureLevel) {
        this.roles = new Map(model.roles.map(role => [role.id, role]));
        this.kras = new Map(model.kras.map(kra => [kra.id, kra]));
    }

    /** Every assignment that overlaps the period, scored; `results` are the period's KPI results. */
    score(period: Period, results: readonly KpiResult[]): PersonScore[] {
        const index = new Map<string, KpiResult>();
        for (const result of results) {
            if (result.variant === null) {
                index.set(`${result.kpi}\u0000${result.dimension ?? ''}\u0000${result.member ?? ''}`, result);
            }
        }
        const lookup = (kpi: string, dimension: string | null, member: string | null) => index.get(`${kpi}\u0000${dimension ?? ''}\u0000${member ?? ''}`);
        return this.assignments
            .filter(assignment => assignment.from <= period.end && (assignment.to === null || assignment.to >= period.start))
            .sort((a, b) => a.person.localeCompare(b.person) || a.from - b.from)
            .map(assignment => this.scoreAssignment(assignment, period, lookup));
    }

    private scoreAssignment(assignment: Assignment, period: Period, lookup: (kpi: string, dimension: string | null, member: string | null) => KpiResult | undefined): PersonScore {
        const role = this.roles.get(assignment.role)!;
        const notes: string[] = [];
        const first = Math.max(assignment.from, period.start);
        const last = Math.min(assignment.to ?? period.end, period.end);
        const days = last - first + 1;
        const length = period.end - period.start + 1;
        if (days < length) {
            notes.push(`assigned ${isoDate(first)} to ${isoDate(last)}, ${days} of the period's ${length} days: scored per assignment on the whole period's data`);
        }
        const personal = new Map<string, KpiResult>();
        const kpis: PersonKpi[] = [];
        const kraScores = new Map<string, KraScore>();
        for (const use of role.kras) {
            const kra = this.kras.get(use.kra);
            if (!kra) {
                continue;
            }
            // A KPI not measured in the period (`measured quarterly`, for a month) has no row; the KRA score says so.
            for (const { kpi } of kra.kpis.filter(use => this.scores.measuredIn(use.kpi, period))) {
                const { level, member, result } = this.resolve(kpi, assignment, period, lookup, notes);
                personal.set(kpi, result);
                kpis.push({
                    kra: kra.id, kpi, level, member, value: result.value, unit: result.unit, achievement: result.achievement, status: result.status,
                    reason: result.reason ?? result.achievementReason
                });
            }
            kraScores.set(kra.id, this.scores.kraScore(kra.id, kra.kpis, period, personal));
        }
        const roleScore = this.scores.roleScore(role, period, kraScores);
        return {
            person: assignment.person, period: period.id, role: role.id, department: role.department, team: assignment.team,
            from: isoDate(assignment.from), to: assignment.to === null ? null : isoDate(assignment.to), days,
            share: Math.round((days / length) * 10000) / 100,
            score: roleScore.score, reason: roleScore.reason, rating: roleScore.rating, ratingReason: roleScore.ratingReason,
            kras: roleScore.kras, kpis, notes: [...new Set([...notes, ...roleScore.notes, ...[...kraScores.values()].flatMap(score => score.notes.map(note => `${score.kra}: ${note}`))])]
        };
    }

    /** The KPI's result at the person's level: their own rows, their team's, or the total. */
    private resolve(kpi: string, assignment: Assignment, period: Period, lookup: (kpi: string, dimension: string | null, member: string | null) => KpiResult | undefined, notes: string[]) {
        let level = this.levelOf(kpi);
        if (level === 'agent' && !this.agentRoles.has(assignment.role)) {
            level = 'team';
        }
        if (level === 'team' && assignment.team === null) {
            notes.push(`${kpi} is measured per ${this.levelOf(kpi)}, but ${assignment.person} has no team: the organisation's total is used`);
            level = 'organisation';
        }
        const dimension = level === 'organisation' ? null : level;
        const member = level === 'agent' ? assignment.person : level === 'team' ? assignment.team : null;
        const result = lookup(kpi, dimension, member) ?? missing(kpi, period, dimension ? `no data for ${dimension} ${member} in ${period.id}` : `not evaluated for ${period.id}`);
        return { level, member, result };
    }
}

function missing(kpi: string, period: Period, reason: string): KpiResult {
    return {
        kpi, variant: null, period: period.id, dimension: null, member: null, value: null, unit: null, reason,
        target: null, achievement: null, achievementReason: reason, status: null, statusReason: reason
    };
}
