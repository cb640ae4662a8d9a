/**
 * Keeps the device service and core-metadata in step: at start it provisions the definition files and then
 * takes core-metadata's record of this service; while it runs it applies core-metadata's system events to the
 * cache (through the lifecycle) and reports devices' operating states back.
 */
import type { Logger } from 'pino';
import { errorMessage, type Device, type DeviceProfile } from '@edgex-ts/contracts';
import type { MessageBus } from '@edgex-ts/runtime';
import type { DefinitionFiles, DeviceCache } from './device-cache.js';
import type { AdminState } from './driver.js';
import type { OperatingState } from './health.js';
import type { DeviceLifecycle } from './lifecycle.js';
import type { MetadataClient } from './metadata-client.js';
import { provision, type DeviceServiceRecord, type ProvisionResult } from './provision.js';
import { subscribeSystemEvents } from './system-events.js';

export interface MetadataSyncOptions {
  serviceName: string;
  cache: DeviceCache;
  lifecycle: DeviceLifecycle;
  metadata: MetadataClient;
  /** Applies the service's adminState from core-metadata. */
  setServiceAdminState(state: AdminState): void;
  /** Aborted when the service stops: provisioning and reports end. */
  signal: AbortSignal;
  /** `Service.EnableNameFieldEscape`. */
  escapeAllNames: boolean;
  log: Logger;
}

export class MetadataSync {
  constructor(private readonly opts: MetadataSyncOptions) {}

  /**
   * Provisions the definition files with core-metadata (retried while it is unreachable, in the background of
   * the start), then adopts its record. Undefined when provisioning failed for good or the service stopped.
   */
  async provisionThenAdopt(files: DefinitionFiles, service: DeviceServiceRecord): Promise<ProvisionResult | undefined> {
    const { log, signal } = this.opts;
    let result: ProvisionResult;
    try {
      result = await provision({ service, ...files, log, signal, connect: () => this.opts.metadata.connect() });
    } catch (err) {
      if (!signal.aborted) log.error({ err: errorMessage(err) }, 'provisioning with core-metadata failed');
      return undefined;
    }
    await this.adoptRecord();
    return result;
  }

  /**
   * After provisioning, core-metadata is the record: its devices of this service are taken (added or updated
   * here), cached devices it does not hold are dropped (e.g. a file device it refused), and the service's
   * adminState is adopted.
   */
  private async adoptRecord(): Promise<void> {
    const { serviceName: name, cache, lifecycle, log, signal } = this.opts;
    if (signal.aborted) return;
    try {
      // Each answer may arrive after the service began to stop: then it is not applied.
      const md = await this.opts.metadata.get();
      const service = await md.getDeviceService(name);
      signal.throwIfAborted();
      this.opts.setServiceAdminState(service.adminState);
      const known: Device[] = [];
      for (let offset = 0; ;) {
        const page = await md.listDevices({ serviceName: name, offset, limit: 500 });
        known.push(...page.devices);
        offset += page.devices.length;
        if (page.devices.length === 0 || offset >= page.totalCount) break;
      }
      const { provisionWatchers } = await md.listProvisionWatchers({ serviceName: name, limit: -1 });
      signal.throwIfAborted();
      cache.replaceWatchers(provisionWatchers);
      const names = new Set(known.map((d) => d.name));
      for (const d of known) await lifecycle.update(d);
      for (const cached of [...cache.devices.keys()]) if (!names.has(cached)) await lifecycle.remove(cached);
      log.info({ devices: known.length }, 'device cache synced with core-metadata');
    } catch (err) {
      if (!signal.aborted) log.error({ err: errorMessage(err) }, 'could not sync devices from core-metadata');
    }
  }

  /** Follows core-metadata's system events for this service (devices, profiles, the service record, watchers). */
  async follow(bus: MessageBus): Promise<void> {
    const { serviceName: name, cache, lifecycle: lc } = this.opts;
    await subscribeSystemEvents(
      bus,
      name,
      {
        deviceAdded: (d) => lc.add(d),
        deviceUpdated: (d) => lc.update(d),
        deviceDeleted: (d) => lc.remove(d.name),
        profileUpdated: (p) => lc.updateProfile(p),
        profileDeleted: (p) => lc.removeProfile(p.name),
        serviceUpdated: async (s) => this.opts.setServiceAdminState(s.adminState),
        watcherAdded: async (w) => void cache.watchers.set(w.name, w),
        watcherUpdated: async (w) => void (w.serviceName === name ? cache.watchers.set(w.name, w) : cache.watchers.delete(w.name)),
        watcherDeleted: async (w) => void cache.watchers.delete(w.name),
      },
      this.opts.log,
      this.opts.escapeAllNames,
    );
  }

  /** A profile from core-metadata, for a device whose profile is not cached; undefined (logged) when it cannot be had. */
  async fetchProfile(profileName: string): Promise<DeviceProfile | undefined> {
    try {
      return await (await this.opts.metadata.get()).getDeviceProfile(profileName);
    } catch (err) {
      this.opts.log.warn({ profile: profileName, err: errorMessage(err) }, 'could not fetch profile from core-metadata');
      return undefined;
    }
  }

  /** Records a device's new operating state in the cache and (in the background) in core-metadata. */
  reportOperatingState(deviceName: string, state: OperatingState): void {
    if (!this.opts.cache.setOperatingState(deviceName, state) || this.opts.signal.aborted) return;
    void (async () => {
      try {
        // This service is the validator: asking it to validate its own report would only add a round trip
        // that fails exactly when it is busiest.
        await (await this.opts.metadata.get()).updateDevice({ name: deviceName, operatingState: state }, undefined, { bypassValidation: true });
      } catch (err) {
        this.opts.log.warn({ device: deviceName, state, err: errorMessage(err) }, 'could not update operatingState in core-metadata');
      }
    })();
  }
}
