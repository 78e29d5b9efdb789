/**
 * Calibration: the distribution of ratings per role and per department in each period, checked
 * against the optional guideline of kra.config.yaml (`calibration:`). A breach is a warning,
 * never an error: calibration is a conversation, not a gate. docs/evaluation.md, "Calibration".
 *
 * Each person counts once per group and period, with the assignment in force at the period's end
 * (the latest one that overlaps it). People without a rating are counted apart.
 */
import type { CalibrationGuideline } from '@kra-lang/language';
import type { KraModel } from '../../model.js';
import type { CalibrationGroup, PersonScore } from '../result.js';

export function calibrate(model: KraModel, people: readonly PersonScore[], guideline: CalibrationGuideline | undefined): { groups: CalibrationGroup[]; warnings: string[] } {
    const latest = new Map<string, PersonScore>();
    for (const score of people) {
        const key = `${score.period}\u0000${score.person}`;
        const earlier = latest.get(key);
        if (!earlier || earlier.from < score.from) {
            latest.set(key, score);
        }
    }
    const groups = new Map<string, { period: string; kind: 'role' | 'department'; id: string; people: PersonScore[] }>();
    for (const score of latest.values()) {
        const memberships: Array<['role' | 'department', string | null]> = [['role', score.role], ['department', score.department]];
        for (const [kind, id] of memberships) {
            if (id === null) {
                continue;
            }
            const key = `${score.period}\u0000${kind}\u0000${id}`;
            const group = groups.get(key) ?? { period: score.period, kind, id, people: [] };
            group.people.push(score);
            groups.set(key, group);
        }
    }
    const periodOrder = new Map<string, number>();
    people.forEach(score => periodOrder.has(score.period) || periodOrder.set(score.period, periodOrder.size));
    const minPeople = guideline?.minPeople ?? 5;
    const warnings: string[] = [];
    const out = [...groups.values()]
        .sort((a, b) => periodOrder.get(a.period)! - periodOrder.get(b.period)! || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
        .map((group): CalibrationGroup => {
            const rated = group.people.filter(score => score.rating !== null);
            const counts = new Map<number, { level: number; label: string; count: number }>();
            for (const score of rated) {
                const level = levelOf(model, score);
                const entry = counts.get(level.value) ?? { level: level.value, label: level.label, count: 0 };
                entry.count++;
                counts.set(level.value, entry);
            }
            const share = (count: number) => (rated.length === 0 ? 0 : Math.round((count / rated.length) * 10000) / 100);
            const distribution = [...counts.values()].sort((a, b) => b.level - a.level).map(entry => ({ ...entry, share: share(entry.count) }));
            const checked = guideline !== undefined && rated.length >= minPeople;
            const breaches: CalibrationGroup['breaches'] = [];
            for (const band of checked ? guideline!.bands : []) {
                const inBand = distribution.filter(entry => band.levels.includes(entry.level)).reduce((sum, entry) => sum + entry.count, 0);
                const bandShare = share(inBand);
                const limits: Array<['at-most' | 'at-least', number | undefined]> = [['at-most', band.atMost], ['at-least', band.atLeast]];
                for (const [limit, guide] of limits) {
                    if (guide !== undefined && (limit === 'at-most' ? bandShare > guide + 1e-9 : bandShare < guide - 1e-9)) {
                        breaches.push({ levels: [...band.levels], limit, guideline: guide, share: bandShare, count: inBand });
                        warnings.push(`calibration ${group.period}, ${group.kind} ${group.id}: ${bandShare}% of ${rated.length} rated people (${inBand}) are rated `
                            + `${band.levels.join(' or ')}; the guideline is ${limit === 'at-most' ? 'at most' : 'at least'} ${guide}%`);
                    }
                }
            }
            return {
                period: group.period, kind: group.kind, id: group.id, people: group.people.length, unrated: group.people.length - rated.length,
                checked, distribution, breaches
            };
        });
    return { groups: out, warnings };
}

/** The level a rating reached: its value on a stepped scale; on an interpolated one, the level of its label. */
function levelOf(model: KraModel, score: PersonScore): { value: number; label: string } {
    const rating = score.rating!;
    const level = model.ratingScales.find(scale => scale.id === rating.scale)?.levels.find(candidate => candidate.label === rating.label);
    return { value: level?.value ?? Math.floor(rating.value), label: rating.label };
}
