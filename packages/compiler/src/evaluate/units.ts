/**
 * Units as evaluation uses them: factors to base units, which units can be compared, and the
 * unit a KPI's values are stated in. Kept apart from the rest of the evaluator so that one
 * shared unit algebra can replace it whole.
 */
import { formatQuantity, percentOf } from '@kra-lang/semantics';
import type { Quantity, Unit } from '../model.js';
import { finite, Null, tidy, type Value } from './values.js';

/** How a KPI's values are stated: the unit shown and its factor to the base unit. */
export interface Display {
    readonly unit: string | null;
    readonly unitObject: Unit | null;
    readonly factor: number;
    readonly mismatch: string | null;
}

export class UnitTable {
    /** Units by id, and by symbol where no unit has that id. */
    private readonly units = new Map<string, Unit>();

    constructor(units: readonly Unit[]) {
        for (const unit of units) {
            this.units.set(unit.id, unit);
        }
        for (const unit of units) {
            if (unit.symbol && !this.units.has(unit.symbol)) {
                this.units.set(unit.symbol, unit);
            }
        }
    }

    get(name: string): Unit | undefined {
        return this.units.get(name);
    }

    /** A unit's factor to its base unit; 1 for no unit. */
    factor(unit: string | null): Value {
        if (unit === null) {
            return 1;
        }
        const found = this.units.get(unit);
        return found ? found.factor : new Null(`unknown unit '${unit}'`);
    }

    /** How values are stated, from the unit declared (if any) and the unit the formula gives. */
    display(declared: string | null, resolved: string | null): Display {
        if (declared) {
            const unit = this.units.get(declared) ?? null;
            const mismatch = unit && resolved && !this.compatibleNames(resolved, declared)
                ? `unit mismatch: the formula gives ${resolved}, but the KPI is stated in ${declared}` : null;
            return { unit: unit?.id ?? declared, unitObject: unit, factor: unit?.factor ?? 1, mismatch };
        }
        if (resolved) {
            const parts = resolved.split(' per ');
            const units = parts.map(part => this.units.get(part));
            if (units.every(unit => unit !== undefined)) {
                const [numerator, denominator] = units as Unit[];
                return denominator
                    ? { unit: `${numerator.id} per ${denominator.id}`, unitObject: null, factor: numerator.factor / denominator.factor, mismatch: null }
                    : { unit: numerator.id, unitObject: numerator, factor: numerator.factor, mismatch: null };
            }
        }
        return { unit: null, unitObject: null, factor: 1, mismatch: null };
    }

    compatibleUnits(a: Unit, b: Unit): boolean {
        return a.base === b.base || (a.kind === 'score' && b.kind === 'ratio') || (a.kind === 'ratio' && b.kind === 'score');
    }

    /** Whether two unit names (`s`, `percent`, `GBP per h`) can be compared; unknown names are given the benefit of the doubt. */
    compatibleNames(a: string, b: string): boolean {
        const split = (name: string) => name.split(' per ').map(part => this.units.get(part));
        const left = split(a);
        const right = split(b);
        if ([...left, ...right].some(unit => unit === undefined)) {
            return true;
        }
        return left.length === right.length && left.every((unit, index) => this.compatibleUnits(unit!, right[index]!));
    }

    /** A quantity of a target or threshold in the KPI's display unit; a plain number is in that unit already. */
    quantityIn(quantity: Quantity, display: Display): Value {
        if (quantity.unit === null) {
            return quantity.value;
        }
        const unit = this.units.get(quantity.unit);
        if (!unit) {
            return new Null(`unknown unit '${quantity.unit}'`);
        }
        if (display.unit !== null && (!display.unitObject || !this.compatibleUnits(unit, display.unitObject))) {
            return new Null(`unit mismatch: ${this.quantityText(quantity)} is not in the KPI's unit (${display.unit})`);
        }
        return finite(quantity.value * unit.factor / display.factor);
    }

    /** `85%`, `360 s`: in the kernel's wording, with the unit's symbol. */
    quantityText(quantity: Quantity): string {
        return formatQuantity(quantity.value, quantity.unit === null ? null : this.units.get(quantity.unit)?.symbol ?? quantity.unit);
    }

    /** A rating level's threshold in percent, converted as a weight is: `95%` is 95, `0.95 ratio` is 95, a plain 95 is 95. */
    percentOf(quantity: Quantity): number {
        const unit = quantity.unit === null ? undefined : this.units.get(quantity.unit);
        return tidy(percentOf(quantity.value, unit) ?? quantity.value);
    }
}
