export * from './command-domain.js';
export * from './core-commands.js';
export * from './device-response.js';
export * from './ports.js';
export * from './query-params.js';
export * from './resource-pattern.js';
