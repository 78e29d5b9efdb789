export * from './functions.js';
