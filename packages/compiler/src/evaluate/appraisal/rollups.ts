/**
 * Roll-ups of the KRA scores (in total) to departments, objectives and the organisation, each
 * with its parts, their weights and what was missing (docs/evaluation.md, "Roll-ups"):
 * - a department's score: its own KRAs, weighted by their `weight` (equal shares when none);
 * - an objective's attainment: the KRAs aligned to it, in equal shares. A KRA that has no score
 *   of its own takes the mean of the KRAs aligned to it, down the cascade (a department KRA
 *   measured only through its roles' KRAs); the KRAs that cascade into each part are listed;
 * - the organisation's score: its objectives' attainment in equal shares (its top-level
 *   departments' scores when it declares no objectives).
 * Parts without a score are left out and the weights renormalised, with a note, as for roles.
 */
import type { KraModel } from '../../model.js';
import type { Period } from '@kra-lang/semantics';
import type { KraScore, RollUp, RollUpPart } from '../result.js';
import { finite, isNull, tidy } from '../values.js';
import { weightShares as shares } from '@kra-lang/semantics';

export class RollUps {
    /** KRAs aligned to each KRA (the cascade, one level down). */
    private readonly alignedTo = new Map<string, string[]>();

    constructor(private readonly model: KraModel) {
        for (const kra of model.kras) {
            if (kra.alignsTo && 'kra' in kra.alignsTo) {
                const below = this.alignedTo.get(kra.alignsTo.kra) ?? [];
                below.push(kra.id);
                this.alignedTo.set(kra.alignsTo.kra, below);
            }
        }
    }

    score(period: Period, kraScores: ReadonlyMap<string, KraScore>): RollUp[] {
        const departments = this.model.departments.map(department => {
            const kras = department.kras.map(id => this.model.kras.find(kra => kra.id === id)!).filter(Boolean);
            const weights = shares(kras.map(kra => kra.weight));
            return combine('department', department.id, period, kras.map((kra, index) => ({
                kind: 'kra' as const, id: kra.id, weight: weights[index], score: kraScores.get(kra.id)?.score ?? null,
                reason: kraScores.get(kra.id)?.score != null ? '' : kraScores.get(kra.id)?.reason ?? 'not scored', cascade: []
            })));
        });
        const objectives = this.model.objectives.map(objective => {
            const kras = this.model.kras.filter(kra => kra.alignsTo && 'objective' in kra.alignsTo && kra.alignsTo.objective === objective.id);
            return combine('objective', objective.id, period, kras.map(kra => {
                const cascaded = this.cascaded(kra.id, kraScores, new Set());
                return { kind: 'kra' as const, id: kra.id, weight: 100 / kras.length, score: cascaded.score, reason: cascaded.reason, cascade: this.below(kra.id) };
            }));
        });
        const organisationParts = objectives.length > 0
            ? objectives.map(objective => ({ kind: 'objective' as const, id: objective.id!, weight: 100 / objectives.length, score: objective.score, reason: objective.reason ?? '', cascade: [] }))
            : departments.filter(department => this.model.departments.find(d => d.id === department.id)?.parent === null)
                .map((department, _, top) => ({ kind: 'department' as const, id: department.id!, weight: 100 / top.length, score: department.score, reason: department.reason ?? '', cascade: [] }));
        const organisation = combine('organisation', this.model.organisation?.id ?? null, period, organisationParts);
        return [...departments, ...objectives, organisation];
    }

    /** A KRA's own score, else the mean of the cascaded scores of the KRAs aligned to it. */
    private cascaded(id: string, kraScores: ReadonlyMap<string, KraScore>, seen: Set<string>): { score: number | null; reason: string } {
        const own = kraScores.get(id);
        if (own?.score !== null && own?.score !== undefined) {
            return { score: own.score, reason: '' };
        }
        seen.add(id);
        const below = (this.alignedTo.get(id) ?? []).filter(kra => !seen.has(kra)).map(kra => this.cascaded(kra, kraScores, seen)).filter(entry => entry.score !== null);
        if (below.length === 0) {
            return { score: null, reason: own?.reason ?? 'not scored' };
        }
        return { score: below.reduce((sum, entry) => sum + entry.score!, 0) / below.length, reason: `from the ${below.length} KRA${below.length === 1 ? '' : 's'} aligned to it (${own?.reason ?? 'not scored'})` };
    }

    /** Every KRA that cascades into this one, at any depth. */
    private below(id: string, seen = new Set<string>([id])): string[] {
        return (this.alignedTo.get(id) ?? []).filter(kra => !seen.has(kra) && seen.add(kra)).flatMap(kra => [kra, ...this.below(kra, seen)]).sort();
    }
}

function combine(kind: RollUp['kind'], id: string | null, period: Period,
    parts: ReadonlyArray<{ kind: RollUpPart['kind']; id: string; weight: number; score: number | null; reason: string; cascade: string[] }>): RollUp {
    const notes: string[] = [];
    const out: RollUpPart[] = parts.map(part => {
        const included = part.score !== null && part.weight > 0;
        if (!included && part.weight > 0) {
            notes.push(`${part.id} left out: ${part.reason || 'no score'}`);
        } else if (included && part.reason) {
            notes.push(`${part.id}: ${part.reason}`);
        }
        return { kind: part.kind, id: part.id, weight: tidy(part.weight), score: part.score, included, cascade: part.cascade };
    });
    const counted = out.filter(part => part.included);
    const total = counted.reduce((sum, part) => sum + part.weight, 0);
    if (total <= 0) {
        return { kind, id, period: period.id, score: null, reason: parts.length === 0 ? `no ${kind === 'organisation' ? 'objectives or departments' : 'KRAs'} to roll up` : 'no part has a score', parts: out, notes };
    }
    if (counted.length < out.filter(part => part.weight > 0).length) {
        notes.push('weights renormalised over the parts that have a score');
    }
    const score = finite(counted.reduce((sum, part) => sum + part.score! * part.weight, 0) / total);
    return { kind, id, period: period.id, score: isNull(score) ? null : score, reason: isNull(score) ? score.reason : null, parts: out, notes };
}
