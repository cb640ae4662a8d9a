/**
 * What a device service knows of its devices, their profiles and its provision watchers: loaded from the
 * definition files at start, then kept in step with core-metadata (see metadata-sync.ts and lifecycle.ts).
 * Commands, auto-events and the driver's look-ups read it on every request.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Device, DeviceProfile, DeviceResource, ProvisionWatcher } from '@edgex-ts/contracts';
import type { DeviceServiceConfig } from './config.js';
import type { AdminState } from './driver.js';
import { loadDevices, loadProfiles, loadProvisionWatchers } from './files.js';
import type { OperatingState } from './health.js';

/** The definitions read from the files, as provisioning hands them to core-metadata. */
export interface DefinitionFiles {
  profiles: DeviceProfile[];
  devices: Device[];
  watchers: ProvisionWatcher[];
}

export class DeviceCache {
  readonly devices = new Map<string, Device>();
  readonly profiles = new Map<string, DeviceProfile>();
  /** This service's provision watchers (files at start, then core-metadata's). */
  readonly watchers = new Map<string, ProvisionWatcher>();

  /** Reads the profile, device and provision watcher files of `Device.*Dir` into the cache. */
  async loadFiles(device: DeviceServiceConfig['Device'], serviceName: string, log: Logger): Promise<DefinitionFiles> {
    const profilesDir = resolve(device.ProfilesDir);
    const devicesDir = resolve(device.DevicesDir);
    const profiles = await loadProfiles(profilesDir);
    const devices = await loadDevices(devicesDir, serviceName);
    const watchers = await loadProvisionWatchers(resolve(device.ProvisionWatchersDir), serviceName);
    for (const p of profiles) this.profiles.set(p.value.name, p.value);
    for (const w of watchers) this.watchers.set(w.value.name, w.value);
    for (const d of devices) {
      if (!this.profiles.has(d.value.profileName)) {
        log.warn(
          { device: d.value.name, file: d.file },
          `device ${d.value.name}: profile ${d.value.profileName} is not among the profile files; its auto-events will fail until it is known`,
        );
      }
      this.devices.set(d.value.name, d.value);
    }
    log.info({ profilesDir, devicesDir, profiles: profiles.length, devices: devices.length }, 'loaded profiles and devices');
    return { profiles: profiles.map((p) => p.value), devices: devices.map((d) => d.value), watchers: watchers.map((w) => w.value) };
  }

  /** The resource `resourceName` of `deviceName`'s profile, or undefined. */
  resource(deviceName: string, resourceName: string): DeviceResource | undefined {
    const d = this.devices.get(deviceName);
    const p = d && this.profiles.get(d.profileName);
    return p?.deviceResources.find((r) => r.name === resourceName);
  }

  /** The source a DOWN device is probed with: its first auto-event source, else its first readable resource. */
  probeSource(deviceName: string): string | undefined {
    const d = this.devices.get(deviceName);
    if (!d) return undefined;
    if (d.autoEvents?.length) return d.autoEvents[0].sourceName;
    const p = this.profiles.get(d.profileName);
    return p?.deviceResources.find((r) => (r.properties.readWrite ?? 'R').includes('R'))?.name;
  }

  setAdminState(deviceName: string, state: AdminState): void {
    const d = this.devices.get(deviceName);
    if (d) this.devices.set(deviceName, { ...d, adminState: state });
  }

  /** Records a device's operating state; false when the device is not known. */
  setOperatingState(deviceName: string, state: OperatingState): boolean {
    const d = this.devices.get(deviceName);
    if (!d) return false;
    this.devices.set(deviceName, { ...d, operatingState: state });
    return true;
  }

  replaceWatchers(watchers: ProvisionWatcher[]): void {
    this.watchers.clear();
    for (const w of watchers) this.watchers.set(w.name, w);
  }
}
