export * from './quantities.js';
export * from './comparators.js';
export * from './direction.js';
export * from './goals.js';
