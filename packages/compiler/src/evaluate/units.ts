/**
 * Units as evaluation uses them: the model's units by id, and the unit a KPI's values are stated
 * in. The algebra (factors of compound units, which units mix) is the semantics kernel's; the
 * unit problems evaluation refuses are the compiler's `unitProblem`s, found by the same check
 * as `kra check`'s.
 */
import { compatibleUnits, formatQuantity, isRatioUnit, percentOf, unitFactor, unitOf, type CompoundUnit } from '@kra-lang/semantics';
import { compoundOf, statedUnitOf } from '../model-units.js';
import type { Formula, Quantity, StructuredUnit, Unit } from '../model.js';
import { finite, Null, tidy, type Value } from './values.js';

/** How a KPI's values are stated: the unit shown and its factor to base units. */
export interface Display {
    /** The unit's text (`seconds`, `USD per hours`), or null for a plain number. */
    readonly unit: string | null;
    /** The unit, when the model's units resolve it. */
    readonly compound: CompoundUnit | null;
    readonly factor: number;
    /** Why the formula gives no value, unit-wise (the model's `unitProblem`), or null. */
    readonly problem: string | null;
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

    /** How values are stated: in the unit declared, else in the one the formula gives. */
    display(declared: StructuredUnit | null, formula: Formula | null): Display {
        const problem = formula?.unitProblem ? `unit problem: ${formula.unitProblem}` : null;
        const shown = statedUnitOf(declared, formula);
        const compound = shown ? compoundOf(shown, this.units) ?? null : null;
        return { unit: shown?.text ?? null, compound, factor: compound ? unitFactor(compound) : 1, problem };
    }

    /** Whether the KPI is stated as a ratio (`ratio`, `%`). */
    isRatio(display: Display): boolean {
        return display.compound !== null && isRatioUnit(display.compound);
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
        if (display.unit !== null && (!display.compound || !compatibleUnits(unitOf(unit), display.compound))) {
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
