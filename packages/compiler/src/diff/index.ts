export * from './types.js';
export { diffModels } from './diff.js';
export { compileTolerantly, type BrokenFile, type TolerantCompileResult } from './tolerant.js';
export { renderMarkdown, renderText, summaryText, type DiffLabels, type DiffStyle } from './render.js';
export { DIFF_COVERAGE, type FieldCoverage } from './coverage.js';
