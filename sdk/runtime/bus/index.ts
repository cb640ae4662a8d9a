export * from './envelope.js';
export * from './mqtt.js';
export * from './topic.js';
export * from './in-process-broker.js';
