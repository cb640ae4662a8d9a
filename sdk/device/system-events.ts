/**
 * core-metadata's system events as a device service hears them (reference §4.2/§4.3, device-sdk-go
 * `internal/controller/messaging/callback.go`). Subscribed topics:
 * `<prefix>/system-events/core-metadata/+/+/<service>/#` (devices, profiles, watchers and the service record
 * owned by this service) and `<prefix>/system-events/core-metadata/deviceprofile/delete/#` (owner core-metadata).
 * Each event is checked (owner, shape of `details`) and handed to the matching handler.
 */
import type { Logger } from 'pino';
import {
  DeviceProfileSchema,
  DeviceSchema,
  DeviceServiceSchema,
  EdgeXError,
  errorMessage,
  ProvisionWatcherSchema,
  SystemEventSchema,
  parseDto,
  type Device,
  type DeviceProfile,
  type DeviceService,
  type ProvisionWatcher,
  type SystemEvent,
} from '@edgex-ts/contracts';
import { payloadJson, topicLevel, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';

/** What a device service does with each kind of system event; every handler is optional. */
export interface SystemEventHandlers {
  deviceAdded?(device: Device): Promise<void>;
  deviceUpdated?(device: Device): Promise<void>;
  deviceDeleted?(device: Device): Promise<void>;
  profileUpdated?(profile: DeviceProfile): Promise<void>;
  profileDeleted?(profile: DeviceProfile): Promise<void>;
  serviceUpdated?(service: DeviceService): Promise<void>;
  watcherAdded?(watcher: ProvisionWatcher): Promise<void>;
  watcherUpdated?(watcher: ProvisionWatcher): Promise<void>;
  watcherDeleted?(watcher: ProvisionWatcher): Promise<void>;
}

const METADATA = 'core-metadata';

/** The topic filters a device service subscribes to. */
export function systemEventFilters(prefix: string, serviceName: string, escapeAll = false): string[] {
  return [`${prefix}/system-events/${METADATA}/+/+/${topicLevel(serviceName, escapeAll)}/#`, `${prefix}/system-events/${METADATA}/deviceprofile/delete/#`];
}

/**
 * Applies one system event envelope. Throws (with a message naming the field) when the event is malformed
 * or not meant for this service; the caller logs it.
 */
export async function dispatchSystemEvent(env: MessageEnvelope, serviceName: string, handlers: SystemEventHandlers): Promise<void> {
  const event: SystemEvent = parseDto(SystemEventSchema, payloadJson<unknown>(env), 'systemEvent');
  const profileDelete = event.type === 'deviceprofile' && event.action === 'delete';
  if (event.owner !== serviceName && !(profileDelete && event.owner === METADATA)) {
    throw new EdgeXError('ContractInvalid', `systemEvent.owner: ${event.owner} is not this service (${serviceName})`);
  }
  const details = event.details;
  switch (event.type) {
    case 'device': {
      const device = parseDto(DeviceSchema, details, 'systemEvent.details');
      if (event.action === 'add') return handlers.deviceAdded?.(device);
      if (event.action === 'update') return handlers.deviceUpdated?.(device);
      if (event.action === 'delete') return handlers.deviceDeleted?.(device);
      break;
    }
    case 'deviceprofile': {
      const profile = parseDto(DeviceProfileSchema, details, 'systemEvent.details');
      if (event.action === 'update') return handlers.profileUpdated?.(profile);
      if (event.action === 'delete') return handlers.profileDeleted?.(profile);
      if (event.action === 'add') return; // nothing to do: profiles are taken when a device needs them
      break;
    }
    case 'deviceservice': {
      const service = parseDto(DeviceServiceSchema, details, 'systemEvent.details');
      if (event.action === 'update') return handlers.serviceUpdated?.(service);
      if (event.action === 'add' || event.action === 'delete') return;
      break;
    }
    case 'provisionwatcher': {
      const watcher = parseDto(ProvisionWatcherSchema, details, 'systemEvent.details');
      if (event.action === 'add') return handlers.watcherAdded?.(watcher);
      if (event.action === 'update') return handlers.watcherUpdated?.(watcher);
      if (event.action === 'delete') return handlers.watcherDeleted?.(watcher);
      break;
    }
  }
  throw new EdgeXError('ContractInvalid', `systemEvent.action: ${event.action} is not handled for ${event.type}`);
}

/** Subscribes this service's system events; a malformed or foreign event is logged and skipped. */
export async function subscribeSystemEvents(
  bus: MessageBus,
  serviceName: string,
  handlers: SystemEventHandlers,
  log: Logger,
  escapeAllNames = false,
): Promise<void> {
  for (const filter of systemEventFilters(bus.prefix, serviceName, escapeAllNames)) {
    await bus.subscribe(filter, async (env, topic) => {
      try {
        await dispatchSystemEvent(env, serviceName, handlers);
        log.debug({ topic }, 'system event applied');
      } catch (err) {
        log.warn({ topic, correlationId: env.correlationID, err: errorMessage(err) }, 'system event skipped');
      }
    });
  }
  log.info({ topics: systemEventFilters(bus.prefix, serviceName, escapeAllNames) }, 'subscribed to core-metadata system events');
}
