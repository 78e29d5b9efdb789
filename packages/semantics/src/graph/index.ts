export * from './cycles.js';
