/**
 * The semantics kernel: the one home of what a KPI means, shared by the checker, the compiler,
 * the evaluator, the diff, the editor features and the CLI renderers. It takes and returns plain
 * values, imports no langium and no Node.js module, and so runs in a browser worker as well.
 */
export * from './calendar/index.js';
export * from './wording/index.js';
export * from './weights/index.js';
export * from './units/index.js';
export * from './formulas/index.js';
export * from './graph/index.js';
