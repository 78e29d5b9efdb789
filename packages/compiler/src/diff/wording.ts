/**
 * How model values read in a diff: quantities with their unit symbol (`360 s`, `85%`),
 * targets, thresholds, baselines and owners in the words of the language.
 */
import {
    DIRECTION_WORDS, formatQuantity, goalText, targetText, timingText, type QuantityWords
} from '@kra-lang/semantics';
import type {
    Baseline, Condition, Goal, KraModel, Owner, Quantity, Target, Threshold, Timing
} from '../model.js';

type TitledKind = 'role' | 'department' | 'kra' | 'kpi' | 'metric' | 'objective' | 'client' | 'rating-scale' | 'unit' | 'perspective' | 'variant';

/** Titles and unit symbols of both versions, head first, to name things in messages. */
export class Lexicon {
    private readonly symbols = new Map<string, string>();
    private readonly titles = new Map<string, string>();

    constructor(models: readonly KraModel[]) {
        for (const model of [...models].reverse()) {
            for (const unit of model.units) {
                this.symbols.set(unit.id, unit.symbol ?? unit.id);
            }
            const add = (kind: string, elements: ReadonlyArray<{ id: string; title: string | null }>) => {
                for (const element of elements) {
                    this.titles.set(`${kind}:${element.id}`, element.title ?? element.id);
                }
            };
            add('role', model.roles);
            add('department', model.departments);
            add('kra', model.kras);
            add('kpi', model.kpis);
            add('metric', model.metrics);
            add('objective', model.objectives);
            add('client', model.clients);
            add('rating-scale', model.ratingScales);
            add('unit', model.units);
            add('perspective', model.perspectives);
            add('variant', model.kpis.flatMap(kpi => kpi.variants));
        }
    }

    /** The title of an element of either version, or its id. */
    title(kind: TitledKind, id: string): string {
        return this.titles.get(`${kind}:${id}`) ?? id;
    }

    quantity(quantity: Quantity): string {
        return formatQuantity(quantity.value, quantity.unit === null ? null : this.symbols.get(quantity.unit) ?? quantity.unit);
    }

    /** How this lexicon's quantities read, for the kernel's goal and target wording. */
    private readonly words: QuantityWords<Quantity> = { text: quantity => this.quantity(quantity), value: quantity => quantity.value };

    unit(unit: string | null): string {
        return unit ?? 'none';
    }

    /** A unit by its symbol: `s`, `%`, `shift`. */
    symbol(unit: string): string {
        return this.symbols.get(unit) ?? unit;
    }

    /** A role's rating scale by title; null is the organisation's. */
    scale(scale: string | null): string {
        return scale === null ? "the organisation's scale" : this.title('rating-scale', scale);
    }

    perspective(perspective: string | null): string {
        return perspective ?? 'none';
    }

    owner(owner: Owner | null): string {
        if (owner === null) {
            return 'none';
        }
        return 'role' in owner ? this.title('role', owner.role) : `"${owner.person}"`;
    }

    /** `at most 360 s`, `between 75% and 85%`, `-5% over previous period`. */
    goal(goal: Goal, withComparator = true): string {
        return goalText(goal, this.words, withComparator);
    }

    condition(condition: Condition): string {
        if (condition.kind === 'otherwise') {
            return 'otherwise';
        }
        return this.goal(condition);
    }

    /** `for Globex Retail` or nothing for the default target. */
    client(client: string | null): string {
        return client === null ? '' : ` for ${this.title('client', client)}`;
    }

    /** A target without its client: `at least 78% in 2026-Q3, 80% in 2026-Q4`. */
    target(target: Target, withComparator = true): string {
        return targetText(target, this.words, withComparator);
    }

    threshold(threshold: Threshold): string {
        return `${threshold.status} ${this.condition(threshold.condition)}`;
    }

    baseline(baseline: Baseline | null): string {
        if (baseline === null) {
            return 'none';
        }
        const when = baseline.period !== null ? ` in ${baseline.period}` : baseline.asOf !== null ? ` as of ${baseline.asOf}` : '';
        return `${this.quantity(baseline.value)}${when}`;
    }
}

/** ` by 2026-12-31`, ` in 2026-Q3`, ` each month`, or nothing. */
export function timing(value: Timing | null): string {
    const text = timingText(value);
    return text ? ` ${text}` : '';
}

/** A weight in percent, `25%`, or `no weight`. */
export function weight(value: number | null): string {
    return value === null ? 'no weight' : formatQuantity(value, '%');
}

export function direction(value: keyof typeof DIRECTION_WORDS | null): string {
    return value === null ? 'none' : DIRECTION_WORDS[value];
}

/** A review or measurement cadence, `quarterly`, or `not stated`. */
export function cadence(value: string | null): string {
    return value ?? 'not stated';
}
