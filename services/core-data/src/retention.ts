import { exactInteger } from '@edgex-ts/contracts';
import { durationMs, startPeriodicTask, type PeriodicTask } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { CoreDataConfig } from './config.js';
import type { EventStore } from './store/types.js';

/**
 * EdgeX 3.1 reading-count retention (edgex-go core-data `Retention`): every Interval, when at least MaxCap
 * readings are stored, the events older than the MinCap-th newest reading (by origin) are deleted, with
 * their readings. Like EdgeX, the cut is by origin and whole events go; unlike EdgeX (which also deletes
 * at the cut's origin) nothing at the cut's origin is deleted, so never fewer than MinCap readings remain.
 * On top of EdgeX, caps per device (Retention.PerDevice, overridden by profile and by device name) trim
 * each device the same way, before the global cap.
 */

export type RetentionConfig = CoreDataConfig['Retention'];

/** Events deleted per store call: each call is one bounded transaction, so ingest interleaves with a big pass. */
export const RETENTION_BATCH_EVENTS = 1000;

export interface RetentionPassResult {
  eventsRemoved: number;
  readingsBefore: number;
  readingsAfter: number;
  durationMs: number;
}

export interface RetentionPassOptions {
  batchEvents?: number;
  /** Checked between batches: a pass stops early once it returns true (the service is stopping). */
  stopped?: () => boolean;
}

/** One retention pass (what the timer runs). Returns undefined when fewer than MaxCap readings are stored. */
export async function runRetentionPass(
  store: EventStore,
  retention: Pick<RetentionConfig, 'MaxCap' | 'MinCap'>,
  options: RetentionPassOptions = {},
): Promise<RetentionPassResult | undefined> {
  const started = performance.now();
  const readingsBefore = await store.countReadings({});
  if (readingsBefore < retention.MaxCap) return undefined;
  const eventsRemoved = await trimToNewest(store, undefined, retention.MinCap, options);
  const readingsAfter = await store.countReadings({});
  return { eventsRemoved, readingsBefore, readingsAfter, durationMs: performance.now() - started };
}

export type DeviceCap = RetentionConfig['PerDevice'];
export type DeviceCapsConfig = Pick<RetentionConfig, 'PerDevice' | 'Devices' | 'Profiles'>;

/** The cap of a device and the configuration key it comes from: its name's, else its profile's, else PerDevice. */
export function deviceCapOf(caps: DeviceCapsConfig, deviceName: string, profileName: string): { cap: DeviceCap; key: string } {
  if (Object.hasOwn(caps.Devices, deviceName)) return { cap: caps.Devices[deviceName], key: `Retention.Devices.${deviceName}` };
  if (Object.hasOwn(caps.Profiles, profileName)) return { cap: caps.Profiles[profileName], key: `Retention.Profiles.${profileName}` };
  return { cap: caps.PerDevice, key: 'Retention.PerDevice' };
}

/** The smallest MaxCap above 0 of all the device caps: a device below it needs no look; undefined when there is no cap. */
function smallestDeviceCap(caps: DeviceCapsConfig): number | undefined {
  const maxCaps = [caps.PerDevice, ...Object.values(caps.Devices), ...Object.values(caps.Profiles)].map((c) => c.MaxCap).filter((n) => n > 0);
  return maxCaps.length > 0 ? Math.min(...maxCaps) : undefined;
}

export interface DeviceCapResult extends RetentionPassResult {
  deviceName: string;
  profileName: string;
  /** The key the device's cap comes from, e.g. `Retention.Profiles.Thermostat`. */
  capKey: string;
  MaxCap: number;
  MinCap: number;
}

/**
 * The per-device caps (not in EdgeX): each device holding at least its MaxCap readings keeps the newest
 * MinCap (by origin), whole events, as the global cap does. Returns the devices that lost events.
 */
export async function runDeviceCapsPass(store: EventStore, caps: DeviceCapsConfig, options: RetentionPassOptions = {}): Promise<DeviceCapResult[]> {
  const smallest = smallestDeviceCap(caps);
  if (smallest === undefined) return [];
  const results: DeviceCapResult[] = [];
  for (const { deviceName, profileName, readings } of await store.listDeviceTotals(smallest)) {
    if (options.stopped?.()) break;
    const { cap, key } = deviceCapOf(caps, deviceName, profileName);
    if (cap.MaxCap === 0 || readings < cap.MaxCap) continue;
    const started = performance.now();
    const eventsRemoved = await trimToNewest(store, deviceName, cap.MinCap, options);
    if (eventsRemoved === 0) continue;
    const readingsAfter = await store.countReadings({ deviceName });
    const durationMs = performance.now() - started;
    results.push({
      deviceName,
      profileName,
      capKey: key,
      MaxCap: cap.MaxCap,
      MinCap: cap.MinCap,
      eventsRemoved,
      readingsBefore: readings,
      readingsAfter,
      durationMs,
    });
  }
  return results;
}

/**
 * Deletes, in batches, the events (of one device, or of all) strictly older than the minCap-th newest
 * reading; with minCap 0, all of them up to the newest. Returns the events deleted.
 */
async function trimToNewest(store: EventStore, deviceName: string | undefined, minCap: number, options: RetentionPassOptions): Promise<number> {
  const filter = deviceName === undefined ? {} : { deviceName };
  const [cut] = await store.listReadings(filter, { offset: Math.max(minCap - 1, 0), limit: 1 });
  if (!cut) return 0;
  const before = minCap > 0 ? cut.origin : exactInteger(BigInt(cut.origin) + 1n);
  const batch = options.batchEvents ?? RETENTION_BATCH_EVENTS;
  const remove = (n: number) => (deviceName === undefined ? store.deleteEventsOlderThan(before, n) : store.deleteDeviceEventsOlderThan(deviceName, before, n));
  let eventsRemoved = 0;
  for (;;) {
    const n = await remove(batch);
    eventsRemoved += n;
    if (n < batch || options.stopped?.()) return eventsRemoved;
  }
}

export interface RetentionDeps {
  store: EventStore;
  retention: RetentionConfig;
  log: Logger;
  /** Called for each removal of a pass: the global cap's and each device cap's (metrics). */
  onRemoved?: (result: Pick<RetentionPassResult, 'eventsRemoved'>) => void;
}

/**
 * Runs a pass every Interval, the next one Interval after the previous ended (as edgex-go restarts its
 * timer), until stop(). Returns undefined when Retention.Enabled is false.
 */
export function startRetention(deps: RetentionDeps): PeriodicTask | undefined {
  const { store, retention, log } = deps;
  if (!retention.Enabled) return undefined;
  log.info(`Retention enabled: every ${retention.Interval}, from ${retention.MaxCap} readings down to ${retention.MinCap}${describeDeviceCaps(retention)}`);
  return startPeriodicTask({
    intervalMs: durationMs(retention.Interval),
    log,
    failure: 'Failed to purge events and readings',
    pass: async (stopped) => {
      // Device caps first: what they remove may leave the global cap nothing to take from quiet devices.
      for (const d of await runDeviceCapsPass(store, retention, { stopped })) {
        deps.onRemoved?.(d);
        log.info(
          { ...d, durationMs: Math.round(d.durationMs) },
          `Retention removed ${d.eventsRemoved} events of device ${d.deviceName}: ${d.readingsBefore} readings down to ${d.readingsAfter} (${d.capKey}: MaxCap ${d.MaxCap}, MinCap ${d.MinCap}) in ${Math.round(d.durationMs)} ms`,
        );
      }
      if (stopped()) return;
      const result = await runRetentionPass(store, retention, { stopped });
      if (result && result.eventsRemoved > 0) {
        deps.onRemoved?.(result);
        log.info(
          { ...result, durationMs: Math.round(result.durationMs) },
          `Retention removed ${result.eventsRemoved} events: ${result.readingsBefore} readings down to ${result.readingsAfter} (MaxCap ${retention.MaxCap}, MinCap ${retention.MinCap}) in ${Math.round(result.durationMs)} ms`,
        );
      }
    },
  });
}

function describeDeviceCaps(caps: DeviceCapsConfig): string {
  if (smallestDeviceCap(caps) === undefined) return '';
  const { MaxCap, MinCap } = caps.PerDevice;
  const perDevice = MaxCap > 0 ? `each device from ${MaxCap} down to ${MinCap}` : 'no default device cap';
  return `; ${perDevice}, ${Object.keys(caps.Devices).length} device and ${Object.keys(caps.Profiles).length} profile overrides`;
}
