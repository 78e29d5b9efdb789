/**
 * Scores and ratings: a KRA's score is the weighted mean of its KPIs' achievements, a role's the
 * weighted mean of its KRAs' scores, each renormalised over what has a value; a role's rating
 * comes from its rating scale.
 */
import type { KraModel, RatingScale } from '../model.js';
import { measuredAt, PERIOD_GRAIN_NAMES, weightShares, type Period } from '@kra-lang/semantics';
import { noResultReason, type KpiResult, type KraScore, type Rating, type RoleScore } from './result.js';
import type { UnitTable } from './units.js';
import { finite, isNull, Null, tidy } from './values.js';

type Role = KraModel['roles'][number];

export class Scores {
    private readonly cadences: ReadonlyMap<string, KraModel['kpis'][number]['frequency']>;

    constructor(private readonly model: KraModel, private readonly units: UnitTable) {
        this.cadences = new Map(model.kpis.map(kpi => [kpi.id, kpi.frequency]));
    }

    /** Whether a KPI has a value for the period: one `measured quarterly` has none for a month. */
    measuredIn(kpi: string, period: Period): boolean {
        return measuredAt(this.cadences.get(kpi), period.grain);
    }

    /**
     * The weighted mean of the KPIs' achievements. A KPI not measured in the period (`measured
     * quarterly`, for a month) is left out, and the weights are renormalised over the others.
     */
    kraScore(kra: string, uses: ReadonlyArray<{ kpi: string; weight: number | null }>, period: Period, totals: ReadonlyMap<string, KpiResult>): KraScore {
        const weights = weightShares(uses.map(use => use.weight));
        const notes: string[] = [];
        const kpis = uses.map((use, index) => {
            const result = totals.get(use.kpi);
            const achievement = result?.achievement ?? null;
            const included = achievement !== null && weights[index] > 0;
            if (!included && weights[index] > 0) {
                notes.push(`${use.kpi} left out: ${!this.measuredIn(use.kpi, period) ? noResultReason(this.cadences.get(use.kpi), period.grain)
                    : result ? result.achievementReason ?? 'no achievement' : 'not in the model'}`);
            }
            return { kpi: use.kpi, weight: tidy(weights[index]), achievement, included };
        });
        const counted = kpis.filter(kpi => kpi.included);
        const total = counted.reduce((sum, kpi) => sum + kpi.weight, 0);
        if (uses.length === 0 || total <= 0) {
            const unmeasured = uses.length > 0 && uses.every(use => !this.measuredIn(use.kpi, period));
            const reason = uses.length === 0 ? 'the KRA has no KPIs'
                : unmeasured ? `no KPI of the KRA is measured per ${PERIOD_GRAIN_NAMES[period.grain]}` : 'no KPI of the KRA has an achievement';
            return { kra, period: period.id, score: null, reason, kpis, notes };
        }
        if (counted.length < uses.filter((_, index) => weights[index] > 0).length) {
            notes.push('weights renormalised over the KPIs that have an achievement');
        }
        const score = finite(counted.reduce((sum, kpi) => sum + kpi.achievement! * kpi.weight, 0) / total);
        return { kra, period: period.id, score: isNull(score) ? null : score, reason: isNull(score) ? score.reason : null, kpis, notes };
    }

    roleScore(role: Role, period: Period, kraScores: ReadonlyMap<string, KraScore>): RoleScore {
        const notes: string[] = [];
        const kras = role.kras.map(use => {
            const score = kraScores.get(use.kra)?.score ?? null;
            const included = score !== null && use.effectiveWeight > 0;
            if (!included && use.effectiveWeight > 0) {
                notes.push(`${use.kra} left out: ${kraScores.get(use.kra)?.reason ?? 'not scored'}`);
            }
            return { kra: use.kra, weight: Math.max(0, use.effectiveWeight), score, included };
        });
        const counted = kras.filter(kra => kra.included);
        const total = counted.reduce((sum, kra) => sum + kra.weight, 0);
        const scale = this.ratingScale(role.ratingScale);
        if (total <= 0) {
            return {
                role: role.id, period: period.id, score: null, reason: role.kras.length === 0 ? 'the role has no KRAs' : 'no KRA of the role has a score',
                rating: null, ratingReason: 'no score to rate', kras, notes
            };
        }
        if (counted.length < kras.filter(kra => kra.weight > 0).length) {
            notes.push('weights renormalised over the KRAs that have a score');
        }
        const score = finite(counted.reduce((sum, kra) => sum + kra.score! * kra.weight, 0) / total);
        if (isNull(score)) {
            return { role: role.id, period: period.id, score: null, reason: score.reason, rating: null, ratingReason: 'no score to rate', kras, notes };
        }
        const rating = isNull(scale) ? scale : this.rate(scale, score);
        return {
            role: role.id, period: period.id, score, reason: null,
            rating: isNull(rating) ? null : rating, ratingReason: isNull(rating) ? rating.reason : null, kras, notes
        };
    }

    private ratingScale(own: string | null): RatingScale | Null {
        const id = own ?? this.model.organisation?.ratingScale ?? null;
        if (!id) {
            return new Null('no rating scale: the role and the organisation name none');
        }
        return this.model.ratingScales.find(scale => scale.id === id) ?? new Null(`unknown rating scale '${id}'`);
    }

    /** Stepped: the highest level the score reaches. Interpolated: linear between the two levels around the score. */
    private rate(scale: RatingScale, score: number): Rating | Null {
        const levels = scale.levels
            .map(level => ({ level, from: this.units.percentOf(level.from) }))
            .sort((a, b) => a.from - b.from || a.level.value - b.level.value);
        if (levels.length === 0) {
            return new Null(`rating scale ${scale.id} has no levels`);
        }
        let index = -1;
        levels.forEach((entry, i) => {
            if (entry.from <= score + 1e-9) {
                index = i;
            }
        });
        const reached = levels[Math.max(0, index)];
        if (scale.method === 'stepped' || index < 0 || index === levels.length - 1) {
            return { scale: scale.id, value: reached.level.value, label: reached.level.label };
        }
        const next = levels[index + 1];
        const fraction = next.from === reached.from ? 0 : (score - reached.from) / (next.from - reached.from);
        const value = reached.level.value + fraction * (next.level.value - reached.level.value);
        return { scale: scale.id, value: Math.round(value * 100) / 100, label: reached.level.label };
    }
}
