/**
 * The compiled model's structured units with the model's unit table: what a KPI's values are
 * stated in and the factor that converts base values into it. The evaluator, the SQL generator
 * and the MetricFlow export all state a KPI's values this way; the algebra is the kernel's.
 */
import { unitFactor, unitFromTerms, type CompoundUnit } from '@kra-lang/semantics';
import type { Formula, StructuredUnit, Unit } from './model.js';

/** The unit with its units looked up by id; undefined when the table lacks one. */
export function compoundOf(unit: StructuredUnit, units: ReadonlyMap<string, Unit>): CompoundUnit | undefined {
    return unitFromTerms(unit.terms, id => units.get(id));
}

/** The unit a KPI's (or variant's) values are stated in: the one declared, else the one its formula gives. */
export function statedUnitOf(declared: StructuredUnit | null, formula: Formula | null): StructuredUnit | null {
    return declared ?? formula?.inferredUnit ?? null;
}

/** How many base units one of the stated unit is (1/3600 for `USD per hours`); 1 for none or an unknown one. */
export function statedFactor(declared: StructuredUnit | null, formula: Formula | null, units: ReadonlyMap<string, Unit>): number {
    const stated = statedUnitOf(declared, formula);
    const compound = stated && compoundOf(stated, units);
    return compound ? unitFactor(compound) : 1;
}
