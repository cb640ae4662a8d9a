/**
 * Keeps the device service's device and profile cache, the driver and the auto-events in step with
 * core-metadata (device-sdk-go `internal/application/callback.go`): a device added → driver.addDevice and
 * its auto-events started; updated → driver.updateDevice and auto-events restarted when what they depend
 * on changed; removed (or moved to another service) → auto-events stopped, driver.removeDevice.
 * Changes are applied one at a time, in the order they were asked for; once closed (the service stops), changes
 * asked for are dropped and one waiting for core-metadata stops there.
 */
import type { Logger } from 'pino';
import { errorMessage, stringifyJson, type Device, type DeviceProfile } from '@edgex-ts/contracts';
import type { AutoEventManager } from './autoevents.js';
import type { ProtocolDriver } from './driver.js';
import type { DeviceHealth } from './health.js';

export interface DeviceLifecycleOptions {
  serviceName: string;
  driver: ProtocolDriver;
  devices: Map<string, Device>;
  profiles: Map<string, DeviceProfile>;
  autoEvents: AutoEventManager;
  health: DeviceHealth;
  /** The profile from core-metadata (undefined when it cannot be had); used for profiles not cached yet. */
  fetchProfile(name: string): Promise<DeviceProfile | undefined>;
  log: Logger;
}

/** Fields of a device whose change the driver must hear about. */
function driverView(d: Device): string {
  return stringifyJson([d.protocols, d.adminState]);
}

/** Fields of a device its auto-events depend on. */
function autoEventView(d: Device): string {
  return stringifyJson([d.autoEvents ?? [], d.adminState, d.profileName, d.protocols]);
}

export class DeviceLifecycle {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: DeviceLifecycleOptions) {}

  /** Runs `change` after every change asked for before it (a failing change does not stop the next); not once closed. */
  serial(change: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.closed ? undefined : change()));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Takes no more changes and waits for the one being applied (the service stops). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  /** A device of this service appeared in core-metadata (or was found there at start). */
  add(device: Device): Promise<void> {
    return this.serial(() => this.apply(device));
  }

  /** A device changed in core-metadata; one that moved to another service is removed here. */
  update(device: Device): Promise<void> {
    return this.serial(async () => {
      if (device.serviceName !== this.opts.serviceName) return this.drop(device.name);
      return this.apply(device);
    });
  }

  /** A device was deleted from core-metadata. */
  remove(deviceName: string): Promise<void> {
    return this.serial(() => this.drop(deviceName));
  }

  /** A profile changed: the cached copy is replaced (reads look profiles up on every request). */
  updateProfile(profile: DeviceProfile): Promise<void> {
    return this.serial(async () => {
      if (!this.opts.profiles.has(profile.name)) return;
      this.opts.profiles.set(profile.name, profile);
      this.opts.log.info({ profile: profile.name }, `profile ${profile.name} updated from core-metadata`);
    });
  }

  /** A profile was deleted: forgotten unless a cached device still uses it. */
  removeProfile(profileName: string): Promise<void> {
    return this.serial(async () => {
      const used = [...this.opts.devices.values()].some((d) => d.profileName === profileName);
      if (!used) this.opts.profiles.delete(profileName);
    });
  }

  private async apply(next: Device): Promise<void> {
    const { driver, devices, log } = this.opts;
    if (next.profileName === '') {
      // EdgeX v4: a device without a profile waits for a profile scan; there is nothing to read or write yet.
      if (devices.has(next.name)) await this.drop(next.name);
      log.info({ device: next.name }, `device ${next.name} has no profile yet; not taken until it has one`);
      return;
    }
    const profileKnown = await this.ensureProfile(next.profileName);
    if (this.closed) return;
    if (!profileKnown) {
      log.error(
        { device: next.name, profile: next.profileName },
        `device ${next.name}: profile ${next.profileName} is unknown to core-metadata; device not taken`,
      );
      return;
    }
    const prev = devices.get(next.name);
    devices.set(next.name, next);
    if (!prev) {
      log.info({ device: next.name }, `device ${next.name} added`);
      await this.callDriver(next.name, 'addDevice', () => driver.addDevice(next.name, next.protocols, next.adminState));
    } else if (driverView(prev) !== driverView(next)) {
      log.info({ device: next.name, adminState: next.adminState }, `device ${next.name} updated`);
      await this.callDriver(next.name, 'updateDevice', () => driver.updateDevice(next.name, next.protocols, next.adminState));
    }
    this.opts.health.watch(next.name);
    if (!prev || autoEventView(prev) !== autoEventView(next)) await this.opts.autoEvents.startDevice(next);
  }

  private async drop(deviceName: string): Promise<void> {
    const { devices, driver, log } = this.opts;
    const device = devices.get(deviceName);
    if (!device) return;
    await this.opts.autoEvents.stopDevice(deviceName);
    devices.delete(deviceName);
    this.opts.health.forget(deviceName);
    log.info({ device: deviceName }, `device ${deviceName} removed`);
    await this.callDriver(deviceName, 'removeDevice', () => driver.removeDevice(deviceName, device.protocols));
  }

  private async ensureProfile(name: string): Promise<boolean> {
    if (this.opts.profiles.has(name)) return true;
    const profile = await this.opts.fetchProfile(name);
    if (profile) this.opts.profiles.set(name, profile);
    return profile !== undefined;
  }

  private async callDriver(deviceName: string, what: string, call: () => Promise<void> | void): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.opts.log.error({ device: deviceName, err: errorMessage(err) }, `driver.${what} failed for ${deviceName}`);
    }
  }
}
