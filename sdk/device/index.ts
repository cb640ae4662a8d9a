/**
 * `@edgex-ts/device-sdk`: the device-service SDK (first cut: driver interface, profiles and devices from
 * files, provisioning with core-metadata, interval auto-events published on the EdgeX message bus).
 */
export type { AdminState, CommandRequest, CommandValue, CommandValueValue, DeviceServiceSdk, ProtocolDriver, Protocols, ValueType } from './driver.js';
export { listDefinitionFiles, loadDevices, loadProfiles, loadProvisionWatchers, readDefinitionFile, type Loaded } from './files.js';
export { deviceFromDiscovery, matchingWatcher, type DiscoveredDevice, type DiscoveryResult } from './discovery.js';
export { DiscoveryRunner, addDiscoveryRoute, type DiscoveryRunnerOptions } from './discovery-runner.js';
export { ChangeFilter } from './onchange.js';
export { DeviceLifecycle, type DeviceLifecycleOptions } from './lifecycle.js';
export { dispatchSystemEvent, subscribeSystemEvents, systemEventFilters, type SystemEventHandlers } from './system-events.js';
export { checkProtocolProperties, serveDeviceValidation, validateDevice, validationRequestTopic, validationResponseTopicPrefix } from './validation.js';
export { IntervalRunner, type IntervalRunnerOptions } from './scheduler.js';
export { nextOrigin } from './origin.js';
export { buildEvent, processReadValues, readSource, resolveReadSource, type BuildEventOptions, type ResolvedSource } from './read.js';
export { EventPublisher, type EventPublisherOptions } from './publisher.js';
export { isUnreachable, provision, type DeviceServiceRecord, type MetadataApi, type ProvisionOptions, type ProvisionResult } from './provision.js';
export { AutoEventManager, type AutoEventManagerOptions } from './autoevents.js';
export { deviceSectionSchema, deviceServiceConfigSchema, type DeviceServiceConfig } from './config.js';
export { DeviceService, startDeviceService, type DeviceServiceHandle, type StartDeviceServiceOptions } from './service.js';
/** A device service's process entry point (`src/main.ts`), as every edgex-ts service has it. */
export { runMain } from '@edgex-ts/runtime';
export { CommandExecutor, type CommandExecutorOptions } from './commands.js';
export {
  PUSH_EVENT_PARAM,
  RETURN_EVENT_PARAM,
  commandQueryFlags,
  commandReplyStatus,
  commandRequestFilter,
  commandRequestTopic,
  commandResponseTopic,
  commandResponseTopicPrefix,
  parseCommandRequestTopic,
  type CommandErrorReply,
  type CommandMethod,
} from './command-topics.js';
export { handleCommandRequest, serveCommandsOnBus, type CommandBusOptions } from './command-bus.js';
export { addCommandRoutes } from './command-rest.js';
export { DeviceHealth, type DeviceHealthOptions, type OperatingState } from './health.js';
export * from './transforms/index.js';
/** The zod the SDK validates with, for drivers' `protocolProperties` and `configSections` schemas. */
export { z } from 'zod';
