export * from './weights.js';
