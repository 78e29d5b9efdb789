/**
 * Comparing two evaluations number by number (the raw-data engines against the evaluator). The
 * `kra` runner and scratch folders the CLI's tests use are in test/support/cli.ts.
 */
import { expect } from 'vitest';
import type { EvaluationResult } from '@kra-lang/compiler/evaluate';

/** Every number of two results, side by side, keyed by what it is. */
function numbers(result: EvaluationResult): Map<string, number | null> {
    const values = new Map<string, number | null>();
    for (const kpi of result.kpis) {
        const key = `${kpi.kpi}|${kpi.variant}|${kpi.period}|${kpi.dimension}|${kpi.member}`;
        values.set(`${key} value`, kpi.value);
        values.set(`${key} achievement`, kpi.achievement);
    }
    result.kras.forEach(kra => values.set(`kra ${kra.kra} ${kra.period}`, kra.score));
    result.roles.forEach(role => values.set(`role ${role.role} ${role.period}`, role.score));
    return values;
}

/** Two evaluations give the same KPI values, achievements and KRA and role scores, to 1e-9. */
export function expectSameNumbers(actual: EvaluationResult, expected: EvaluationResult): void {
    const a = numbers(actual);
    const b = numbers(expected);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    const differences = [...b].filter(([key, value]) => {
        const other = a.get(key)!;
        return (value === null) !== (other === null) || (value !== null && Math.abs(value - other!) > 1e-9 * Math.max(1, Math.abs(value)));
    });
    expect(differences).toEqual([]);
}

