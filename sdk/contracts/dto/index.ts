export * from './common.js';
export * from './parse.js';
export * from './event.js';
export * from './device.js';
export * from './profile.js';
export * from './service.js';
export * from './provision-watcher.js';
export * from './system-event.js';
