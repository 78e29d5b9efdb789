export * from './units.js';
export * from './rules.js';
