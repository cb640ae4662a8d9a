/**
 * The DTOs as EdgeX's Go encoding writes them (go-mod-core-contracts v4 JSON tags): a field tagged
 * `omitempty` is left out when empty ("", 0, false, empty list or map), every other field is always there (a nil
 * map as `null`, a zero-valued struct with its zero values). What core-metadata sends (REST answers, system events,
 * validation requests) goes through these, so EdgeX's Go clients read exactly what EdgeX's core-metadata sends.
 */
import type { AutoEvent, Device } from './device.js';
import { isNullReading, type ReadingValueFields } from './event.js';
import type { DeviceCommand, DeviceProfile, DeviceResource, ResourceOperation, ResourceProperties } from './profile.js';
import type { DiscoveredDevice, ProvisionWatcher } from './provision-watcher.js';
import type { DeviceService } from './service.js';
import type { SystemEvent } from './system-event.js';

type Json = Record<string, unknown>;

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** A copy of `dto` without its empty `omitempty` fields and with every `always` field present (its nil value when absent). */
function goShape(dto: object, omitEmpty: readonly string[], always: Json): Json {
  const out: Json = { ...dto };
  for (const key of omitEmpty) if (isEmpty(out[key])) delete out[key];
  for (const [key, nil] of Object.entries(always)) if (out[key] === undefined) out[key] = nil;
  return out;
}

const TIMESTAMPS = ['created', 'modified'];

export function autoEventWire(a: AutoEvent): Json {
  const retention = goShape(a.retention ?? {}, [], { maxCap: 0, minCap: 0, duration: '' });
  return { ...goShape(a, [], { onChange: false, onChangeThreshold: 0 }), retention };
}

export function deviceWire(d: Device): Json {
  const out = goShape(d, [...TIMESTAMPS, 'id', 'parent', 'description', 'labels', 'location', 'profileName', 'autoEvents', 'tags'], {
    // EdgeX's core-metadata never sends a nil map here: a device without properties has {}.
    properties: {},
  });
  if (Array.isArray(out.autoEvents)) out.autoEvents = d.autoEvents!.map(autoEventWire);
  return out;
}

export function deviceServiceWire(s: DeviceService): Json {
  return goShape(s, [...TIMESTAMPS, 'id', 'description', 'labels'], { properties: null });
}

function resourcePropertiesWire(p: ResourceProperties): Json {
  return goShape(p, ['units', 'defaultValue', 'assertion', 'mediaType', 'optional'], {});
}

export function deviceResourceWire(r: DeviceResource): Json {
  return { ...goShape(r, ['description', 'attributes', 'tags'], { isHidden: false }), properties: resourcePropertiesWire(r.properties) };
}

function resourceOperationWire(o: ResourceOperation): Json {
  return goShape(o, ['defaultValue', 'mappings'], {});
}

function deviceCommandWire(c: DeviceCommand): Json {
  return {
    ...goShape(c, ['tags'], { isHidden: false }),
    resourceOperations: c.resourceOperations.map(resourceOperationWire),
  };
}

/** A profile's basic info (EdgeX v4 DeviceProfileBasicInfo); `linkedDeviceCount` is 0 unless counted. */
export function deviceProfileBasicInfoWire(p: DeviceProfile & { linkedDeviceCount?: number }): Json {
  const { deviceResources: _r, deviceCommands: _c, apiVersion: _v, ...info } = p;
  return goShape(info, [...TIMESTAMPS, 'id', 'manufacturer', 'description', 'model', 'labels'], { linkedDeviceCount: 0 });
}

export function deviceProfileWire(p: DeviceProfile): Json {
  return {
    ...deviceProfileBasicInfoWire(p),
    ...goShape({ apiVersion: p.apiVersion }, ['apiVersion'], {}),
    deviceResources: p.deviceResources.map(deviceResourceWire),
    deviceCommands: p.deviceCommands.map(deviceCommandWire),
  };
}

function discoveredDeviceWire(d: DiscoveredDevice): Json {
  const out = goShape(d, ['autoEvents'], { profileName: '', properties: null });
  if (Array.isArray(out.autoEvents)) out.autoEvents = d.autoEvents!.map(autoEventWire);
  return out;
}

export function provisionWatcherWire(w: ProvisionWatcher): Json {
  return {
    ...goShape(w, [...TIMESTAMPS, 'id', 'labels', 'blockingIdentifiers'], {}),
    discoveredDevice: discoveredDeviceWire(w.discoveredDevice),
  };
}

/** A system event: `tags` is always there (`null` when none, as EdgeX's core-metadata sends it). */
export function systemEventWire(e: SystemEvent): Json {
  return goShape(e, [], { tags: null });
}

/** A reading as EdgeX writes it: a null reading with `value`, `binaryValue` and `objectValue` all `null`. */
export function readingWire<R extends ReadingValueFields>(r: R): R | Json {
  return isNullReading(r) ? { ...r, value: null, binaryValue: null, objectValue: null } : r;
}

/** An event as EdgeX writes it (see {@link readingWire}); the same object when it holds no null reading. */
export function eventWire<E extends { readings: ReadingValueFields[] }>(e: E): E | Json {
  return e.readings.some(isNullReading) ? { ...e, readings: e.readings.map(readingWire) } : e;
}
