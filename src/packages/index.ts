export * from './types.js';
export * from './core-r4.js';
