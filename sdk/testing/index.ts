/**
 * `@edgex-ts/testing`: test a protocol driver the way EdgeX uses it — in a real device service on an embedded
 * MQTT broker, commands sent as core-command sends them, published events recorded — with no core-metadata,
 * core-data or external broker.
 */
export { startTestDeviceService, CommandError, type GetOptions, type TestDeviceService, type TestDeviceServiceOptions } from './device-service.js';
export { EventRecorder, recordEvents, type EventFilter, type RecordEventsOptions, type RecordedEvent } from './recorder.js';
export { startTestBroker, type TestBroker } from './broker.js';
