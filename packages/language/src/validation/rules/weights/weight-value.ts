import type { Quantity } from '../../../generated/ast.js';
import { resolveUnit } from '../../../formulas/units.js';

/**
 * A weight in percent: `30 %` and a plain `30` are 30; `0.3 ratio` is 30 (any unit of the
 * ratio kind converts by its factor). Undefined when the weight is in another kind of unit,
 * or its unit does not resolve: such a weight cannot take part in a sum.
 */
export function weightPercent(weight: Quantity): number | undefined {
    if (typeof weight.value !== 'number' || Number.isNaN(weight.value)) {
        return undefined;
    }
    if (!weight.unit) {
        return weight.value;
    }
    const unit = resolveUnit(weight.unit.ref);
    return unit?.kind === 'ratio' ? weight.value * unit.factor * 100 : undefined;
}

/** "12.5 %": at most two decimals, without float noise such as 30.000000000000004. */
export function percentLabel(value: number): string {
    return `${Number(value.toFixed(2))} %`;
}

/** The weight as the user wrote it, e.g. "30 s". */
export function weightText(weight: Quantity): string {
    return weight.$cstNode?.text ?? String(weight.value);
}

export function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
