/**
 * Discovery (device-sdk-go `pkg/service/async.go`, `internal/autodiscovery`): a driver reports devices it found;
 * each is matched against this service's UNLOCKED provision watchers and the first watcher that accepts it
 * decides the profile, adminState, auto-events and properties of the device added to core-metadata. Devices
 * whose name is already known are skipped.
 *
 * A watcher accepts a device when, within one of its protocols, every `identifiers` property is present and
 * its value (as a string) matches the regular expression (unanchored, as Go's MatchString), and no
 * `blockingIdentifiers` property of any protocol equals one of the blocked values.
 */
import { stringifyJson, type Device, type ProvisionWatcher } from '@edgex-ts/contracts';
import type { Protocols } from './driver.js';

/** A device a driver found (EdgeX `DiscoveredDevice`). */
export interface DiscoveredDevice {
  name: string;
  protocols: Protocols;
  description?: string;
  labels?: string[];
  properties?: Record<string, unknown>;
}

/** What became of each discovered device. */
export interface DiscoveryResult {
  added: string[];
  /** Already known to this service. */
  existing: string[];
  /** No UNLOCKED provision watcher accepted it. */
  unmatched: string[];
  /** core-metadata refused it (e.g. validation failed), with the reason. */
  failed: { name: string; error: string }[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? stringifyJson(v) : String(v));

function identifiersMatch(d: DiscoveredDevice, w: ProvisionWatcher): boolean {
  const wanted = Object.entries(w.identifiers);
  return Object.values(d.protocols).some((props) => wanted.every(([name, pattern]) => name in props && new RegExp(pattern).test(text(props[name]))));
}

function blocked(d: DiscoveredDevice, w: ProvisionWatcher): boolean {
  return Object.entries(w.blockingIdentifiers ?? {}).some(([name, values]) =>
    Object.values(d.protocols).some((props) => name in props && values.includes(text(props[name]))),
  );
}

/** The first UNLOCKED watcher (by name) that accepts `device`, or undefined. */
export function matchingWatcher(device: DiscoveredDevice, watchers: Iterable<ProvisionWatcher>): ProvisionWatcher | undefined {
  return [...watchers]
    .filter((w) => w.adminState === 'UNLOCKED')
    .sort((a, b) => a.name.localeCompare(b.name))
    .find((w) => identifiersMatch(device, w) && !blocked(device, w));
}

/** The device to add for a discovered device accepted by `watcher`. */
export function deviceFromDiscovery(found: DiscoveredDevice, watcher: ProvisionWatcher, serviceName: string): Device {
  const dd = watcher.discoveredDevice;
  const properties = { ...(dd.properties ?? {}), ...(found.properties ?? {}) };
  const device: Device = {
    name: found.name,
    serviceName,
    profileName: dd.profileName ?? '',
    adminState: dd.adminState,
    operatingState: 'UP',
    protocols: found.protocols,
  };
  if (found.description) device.description = found.description;
  if (found.labels?.length) device.labels = found.labels;
  if (dd.autoEvents?.length) device.autoEvents = dd.autoEvents;
  if (Object.keys(properties).length > 0) device.properties = properties;
  return device;
}
