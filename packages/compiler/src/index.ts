export * from './model.js';
export { compileWorkspace, type CompileInput } from './compile.js';
export { sliceModel } from './slice.js';
export { expressionTree, formulaText } from './formula-tree.js';
export { validateModel, MODEL_SCHEMA, type SchemaProblem } from './validate.js';
export * from './diff/index.js';
export { measureText, filterText } from './measure-text.js';
export { exportMetricFlow, metricFlowName, type MetricFlowExport } from './metricflow/export.js';
