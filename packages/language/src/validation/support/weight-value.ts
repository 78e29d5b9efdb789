import { formatPercent, percentOf } from '@kra-lang/semantics';
import type { Quantity } from '../../generated/ast.js';
import { resolveUnit } from '../../formulas/units.js';

/**
 * A weight in percent, as the semantics kernel defines it (`30%` and `30` are 30, `0.3 ratio`
 * is 30). Undefined when the weight is in another kind of unit, or its unit does not resolve:
 * such a weight cannot take part in a sum.
 */
export function weightPercent(weight: Quantity): number | undefined {
    const unit = weight.unit ? resolveUnit(weight.unit.ref) : undefined;
    return weight.unit && !unit ? undefined : percentOf(weight.value, unit);
}

/** "12.5%": at most two decimals, without float noise such as 30.000000000000004. */
export function percentLabel(value: number): string {
    return formatPercent(value);
}

/** The weight as the user wrote it, e.g. "30 s". */
export function weightText(weight: Quantity): string {
    return weight.$cstNode?.text ?? String(weight.value);
}

export function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
