export * from './envelope.js';
export * from './message-bus.js';
export { brokerUrl } from './mqtt-transport.js';
export * from './topic.js';
export { registerInProcessBroker, inProcessBrokerAt, type InProcessBroker } from './in-process-broker.js';
