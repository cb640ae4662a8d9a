/**
 * `@edgex-ts/device-sdk`: the device-service SDK (driver interface, profiles and devices from files,
 * provisioning with core-metadata, commands over REST and the bus, auto-events published on the message bus).
 *
 * Modules, one job each:
 * - service.ts — startDeviceService and DeviceService: composes the parts below; the start and stop sequence
 * - service-config.ts — loads the config: SDK and service defaults, file, env, overrides, custom sections
 * - config.ts — the device service's config schema (the Device section, Driver, Writable.Reading)
 * - driver.ts — the ProtocolDriver contract and the DeviceServiceSdk handle a driver gets
 * - driver-sdk.ts — builds that handle (config, secrets, cache look-ups, async readings, discovered devices)
 * - device-cache.ts — the devices, profiles and provision watchers the service knows; loads the definition files
 * - files.ts — reads and validates profile, device and provision watcher files
 * - lifecycle.ts — applies device/profile changes to the cache, the driver and the auto-events, in order
 * - metadata-client.ts — the client of core-metadata, found through the registry
 * - metadata-sync.ts — provisioning then core-metadata's record, its system events in, operating states out
 * - provision.ts — registers the service and adds file definitions in core-metadata, retried while unreachable
 * - system-events.ts — core-metadata's system events: topics and dispatch to handlers
 * - validation.ts — answers core-metadata's device validation requests
 * - commands.ts — the command pipeline (read, write, async events) behind REST, the bus and auto-events
 * - read.ts — resolves a read source and builds the event from the driver's values
 * - transforms/ — the profile's read/write transforms, assertions and mappings
 * - command-rest.ts / command-bus.ts / command-topics.ts — commands over REST, over the bus, and their topics
 * - autoevents.ts / scheduler.ts / onchange.ts / origin.ts — interval auto-events, their timer, onChange, origins
 * - health.ts — operating state from read outcomes (AllowedFails, DeviceDownTimeout probes)
 * - event-delivery.ts — events to the bus on EdgeX's topic; which publish errors the bus keeps for later
 * - publisher.ts — at-least-once publishing per device, retried with backoff, bounded queues
 * - service-metrics.ts — the device service's own metrics (auto-event reads, pending/dropped events)
 * - discovery.ts / discovery-runner.ts / discovered-devices.ts — watcher matching, running discovery, adding finds
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
/** The one retry with backoff and jitter, for drivers (reconnects and the like). */
export { backoffDelay, retry, type Backoff, type RetryOptions } from '@edgex-ts/runtime';
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
