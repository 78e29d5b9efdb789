import type { KraModel } from './model.js';

/**
 * The part of a model that concerns one department or one role: it, its KRAs and their KPIs,
 * the metrics and KPIs those depend on, and the organisation-wide tables. A slice is itself a
 * valid model, so consumers of `kra build --split` use the same schema.
 */
export function sliceModel(model: KraModel, scope: { department: string } | { role: string }): KraModel {
    const kraIds = new Set<string>();
    let departments = model.departments;
    let roles = model.roles;
    if ('department' in scope) {
        departments = model.departments.filter(department => department.id === scope.department);
        departments.forEach(department => department.kras.forEach(id => kraIds.add(id)));
        roles = model.roles.filter(role => role.department === scope.department);
    } else {
        roles = model.roles.filter(role => role.id === scope.role);
        departments = model.departments.filter(department => roles.some(role => role.department === department.id));
    }
    roles.forEach(role => role.kras.forEach(use => kraIds.add(use.kra)));
    // KRAs pull in the KRAs and KPIs they depend on, transitively.
    const kpiIds = new Set<string>();
    const kpisById = new Map(model.kpis.map(kpi => [kpi.id, kpi]));
    model.kras.filter(kra => kraIds.has(kra.id)).forEach(kra => kra.kpis.forEach(use => kpiIds.add(use.kpi)));
    const pending = [...kpiIds];
    while (pending.length > 0) {
        for (const dependency of kpisById.get(pending.pop()!)?.dependencies.kpis ?? []) {
            if (!kpiIds.has(dependency)) {
                kpiIds.add(dependency);
                pending.push(dependency);
            }
        }
    }
    const kpis = model.kpis.filter(kpi => kpiIds.has(kpi.id));
    const metricIds = new Set(kpis.flatMap(kpi => kpi.dependencies.metrics));
    return {
        ...model,
        departments,
        roles,
        kras: model.kras.filter(kra => kraIds.has(kra.id)),
        kpis,
        metrics: model.metrics.filter(metric => metricIds.has(metric.id))
    };
}
