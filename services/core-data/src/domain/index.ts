export * from './backlog.js';
export * from './core-data.js';
export * from './reading-values.js';
