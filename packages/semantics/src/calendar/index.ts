export * from './days.js';
export * from './periods.js';
export * from './fiscal.js';
export * from './windows.js';
export * from './reporting.js';
