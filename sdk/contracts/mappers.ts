/**
 * DTO (EdgeX v3 JSON shape) ⇄ proto (ts-proto types in gen/) mappers.
 *
 * Precision: proto int64 fields are bigint. Origins (ns, ~1.8e18, beyond 2^53) and auto-event retention capacities
 * are exact both ways: the DTO holds them as ExactInteger (bigint beyond 2^53). Created/modified are ms: numbers,
 * exact to 2^53.
 *
 * Proto → DTO leaves out empty optional fields, as EdgeX's Go JSON encoding does (omitempty).
 */
import type * as pbEvent from './gen/edgex/common/v1/event.js';
import type * as pbDevice from './gen/edgex/common/v1/device.js';
import type * as pbProfile from './gen/edgex/common/v1/profile.js';
import { AdminState, OperatingState } from './gen/edgex/common/v1/states.js';
import { isNullReading, type Event, type Reading } from './dto/event.js';
import type { AutoEvent, Device, UpdateDevice } from './dto/device.js';
import type { DeviceCommand, DeviceProfile, DeviceResource, ResourceOperation, ResourceProperties } from './dto/profile.js';
import type { DeviceService, UpdateDeviceService } from './dto/service.js';
import type { DiscoveredDevice, ProvisionWatcher, UpdateProvisionWatcher } from './dto/provision-watcher.js';
import type { AdminStateText, OperatingStateText } from './dto/common.js';
import { exactInteger } from './values.js';

// ---------- small helpers ----------

const toInt64 = (n: number | bigint | undefined): bigint => (n === undefined ? 0n : typeof n === 'bigint' ? n : BigInt(Math.trunc(n)));
const optInt64 = (b: bigint): number | undefined => (b === 0n ? undefined : Number(b));
const optStr = (s: string): string | undefined => (s === '' ? undefined : s);
const optArr = <T>(a: T[]): T[] | undefined => (a.length === 0 ? undefined : a);
const optObj = (o: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  o === undefined || Object.keys(o).length === 0 ? undefined : o;

/** Drops keys whose value is undefined, so DTOs compare and serialise like EdgeX's JSON. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

// ---------- states ----------

export function adminStateToProto(s: AdminStateText | string | undefined): AdminState {
  if (s === 'LOCKED') return AdminState.ADMIN_STATE_LOCKED;
  if (s === 'UNLOCKED') return AdminState.ADMIN_STATE_UNLOCKED;
  return AdminState.ADMIN_STATE_UNSPECIFIED;
}
/** UNSPECIFIED maps to UNLOCKED, EdgeX's usual default. */
export function adminStateFromProto(s: AdminState): AdminStateText {
  return s === AdminState.ADMIN_STATE_LOCKED ? 'LOCKED' : 'UNLOCKED';
}
export function operatingStateToProto(s: OperatingStateText | string | undefined): OperatingState {
  if (s === 'UP') return OperatingState.OPERATING_STATE_UP;
  if (s === 'DOWN') return OperatingState.OPERATING_STATE_DOWN;
  if (s === 'UNKNOWN') return OperatingState.OPERATING_STATE_UNKNOWN;
  return OperatingState.OPERATING_STATE_UNSPECIFIED;
}
/** UNSPECIFIED maps to UNKNOWN. */
export function operatingStateFromProto(s: OperatingState): OperatingStateText {
  if (s === OperatingState.OPERATING_STATE_UP) return 'UP';
  if (s === OperatingState.OPERATING_STATE_DOWN) return 'DOWN';
  return 'UNKNOWN';
}

// ---------- event / reading ----------

export function readingToProto(r: Reading): pbEvent.Reading {
  let value: pbEvent.Reading['value'];
  if (isNullReading(r)) {
    value = undefined; // an EdgeX 4 null reading: no value case at all
  } else if (r.valueType === 'Binary') {
    value = {
      $case: 'binaryValue',
      value: { value: Buffer.from(r.binaryValue ?? '', 'base64'), mediaType: r.mediaType ?? '' },
    };
  } else if (r.valueType === 'Object' || r.valueType === 'ObjectArray') {
    value = { $case: 'objectValue', value: r.objectValue ?? null };
  } else {
    value = { $case: 'simpleValue', value: r.value ?? '' };
  }
  return {
    id: r.id ?? '',
    origin: toInt64(r.origin),
    deviceName: r.deviceName,
    resourceName: r.resourceName,
    profileName: r.profileName,
    valueType: r.valueType,
    units: r.units ?? '',
    tags: r.tags,
    value,
  };
}

export function readingFromProto(p: pbEvent.Reading): Reading {
  const r: Reading = compact({
    id: optStr(p.id),
    origin: exactInteger(p.origin),
    deviceName: p.deviceName,
    resourceName: p.resourceName,
    profileName: p.profileName,
    valueType: p.valueType as Reading['valueType'],
    units: optStr(p.units),
    tags: optObj(p.tags),
  });
  const v = p.value;
  if (v?.$case === 'binaryValue') {
    r.binaryValue = Buffer.from(v.value.value).toString('base64');
    r.mediaType = v.value.mediaType;
  } else if (v?.$case === 'objectValue') {
    r.objectValue = v.value;
  } else if (v?.$case === 'simpleValue') {
    r.value = v.value;
  }
  // No value case: an EdgeX 4 null reading.
  return r;
}

export function eventToProto(e: Event): pbEvent.Event {
  return {
    id: e.id,
    deviceName: e.deviceName,
    profileName: e.profileName,
    sourceName: e.sourceName,
    origin: toInt64(e.origin),
    readings: e.readings.map(readingToProto),
    tags: e.tags,
  };
}

export function eventFromProto(p: pbEvent.Event): Event {
  return compact({
    apiVersion: 'v3',
    id: p.id,
    deviceName: p.deviceName,
    profileName: p.profileName,
    sourceName: p.sourceName,
    origin: exactInteger(p.origin),
    readings: p.readings.map(readingFromProto),
    tags: optObj(p.tags),
  });
}

// ---------- device ----------

export function autoEventToProto(a: AutoEvent): pbDevice.AutoEvent {
  return {
    interval: a.interval,
    onChange: a.onChange ?? false,
    onChangeThreshold: a.onChangeThreshold ?? 0,
    sourceName: a.sourceName,
    retention: a.retention && {
      maxCap: toInt64(a.retention.maxCap),
      minCap: toInt64(a.retention.minCap),
      duration: a.retention.duration ?? '',
    },
  };
}

export function autoEventFromProto(p: pbDevice.AutoEvent): AutoEvent {
  return compact({
    interval: p.interval,
    onChange: p.onChange,
    onChangeThreshold: p.onChangeThreshold === 0 ? undefined : p.onChangeThreshold,
    sourceName: p.sourceName,
    retention: p.retention && {
      maxCap: exactInteger(p.retention.maxCap),
      minCap: exactInteger(p.retention.minCap),
      duration: p.retention.duration,
    },
  });
}

export function deviceToProto(d: Partial<Device>): pbDevice.Device {
  const protocols: Record<string, pbDevice.ProtocolProperties> = {};
  for (const [name, props] of Object.entries(d.protocols ?? {})) protocols[name] = { properties: props };
  return {
    id: d.id ?? '',
    name: d.name ?? '',
    parent: d.parent ?? '',
    description: d.description ?? '',
    adminState: adminStateToProto(d.adminState),
    operatingState: operatingStateToProto(d.operatingState),
    labels: d.labels ?? [],
    location: d.location,
    serviceName: d.serviceName ?? '',
    profileName: d.profileName ?? '',
    autoEvents: (d.autoEvents ?? []).map(autoEventToProto),
    protocols,
    tags: d.tags,
    properties: d.properties,
    created: toInt64(d.created),
    modified: toInt64(d.modified),
  };
}

export function deviceFromProto(p: pbDevice.Device): Device {
  const protocols: Device['protocols'] = {};
  for (const [name, props] of Object.entries(p.protocols)) protocols[name] = props.properties ?? {};
  return compact({
    id: optStr(p.id),
    name: p.name,
    parent: optStr(p.parent),
    description: optStr(p.description),
    adminState: adminStateFromProto(p.adminState),
    operatingState: operatingStateFromProto(p.operatingState),
    labels: optArr(p.labels),
    location: p.location ?? undefined,
    serviceName: p.serviceName,
    profileName: p.profileName,
    autoEvents: optArr(p.autoEvents.map(autoEventFromProto)),
    protocols,
    tags: optObj(p.tags),
    properties: p.properties ?? {},
    created: optInt64(p.created),
    modified: optInt64(p.modified),
  });
}

/** Values a masked field takes when the full mapping left it out because it was empty. */
const EMPTY_FIELD: Record<string, () => unknown> = {
  labels: () => [],
  autoEvents: () => [],
  protocols: () => ({}),
  tags: () => ({}),
  properties: () => ({}),
  identifiers: () => ({}),
  blockingIdentifiers: () => ({}),
  location: () => null,
};

/** The fields of a partial update, as a proto update_mask (EdgeX JSON names, id and name excluded). */
export function updateMaskOf(update: object): string[] {
  return Object.keys(update).filter((k) => k !== 'id' && k !== 'name' && (update as Record<string, unknown>)[k] !== undefined);
}

function pickMasked<T extends object>(full: T, mask: readonly string[], id: string, name: string): Partial<T> {
  const out: Record<string, unknown> = {};
  if (id !== '') out.id = id;
  if (name !== '') out.name = name;
  const src = full as Record<string, unknown>;
  for (const key of mask) {
    if (key === 'id' || key === 'name') continue;
    out[key] = src[key] !== undefined ? src[key] : (EMPTY_FIELD[key]?.() ?? '');
  }
  return out as Partial<T>;
}

export function deviceUpdateToProto(u: UpdateDevice): { device: pbDevice.Device; updateMask: string[] } {
  return { device: deviceToProto(u), updateMask: updateMaskOf(u) };
}
export function deviceUpdateFromProto(p: pbDevice.Device, updateMask: readonly string[]): UpdateDevice {
  return pickMasked(deviceFromProto(p), updateMask, p.id, p.name);
}

// ---------- device service ----------

export function deviceServiceToProto(s: Partial<DeviceService>): pbDevice.DeviceService {
  return {
    id: s.id ?? '',
    name: s.name ?? '',
    description: s.description ?? '',
    labels: s.labels ?? [],
    baseAddress: s.baseAddress ?? '',
    adminState: adminStateToProto(s.adminState),
    properties: s.properties,
    created: toInt64(s.created),
    modified: toInt64(s.modified),
  };
}

export function deviceServiceFromProto(p: pbDevice.DeviceService): DeviceService {
  return compact({
    id: optStr(p.id),
    name: p.name,
    description: optStr(p.description),
    labels: optArr(p.labels),
    baseAddress: p.baseAddress,
    adminState: adminStateFromProto(p.adminState),
    properties: optObj(p.properties),
    created: optInt64(p.created),
    modified: optInt64(p.modified),
  });
}

export function deviceServiceUpdateToProto(u: UpdateDeviceService): { service: pbDevice.DeviceService; updateMask: string[] } {
  return { service: deviceServiceToProto(u), updateMask: updateMaskOf(u) };
}
export function deviceServiceUpdateFromProto(p: pbDevice.DeviceService, updateMask: readonly string[]): UpdateDeviceService {
  return pickMasked(deviceServiceFromProto(p), updateMask, p.id, p.name);
}

// ---------- device profile ----------

const optBig = (n: number | bigint | undefined): bigint | undefined => (n === undefined ? undefined : typeof n === 'bigint' ? n : BigInt(Math.trunc(n)));

export function resourcePropertiesToProto(r: ResourceProperties): pbProfile.ResourceProperties {
  return {
    valueType: r.valueType,
    readWrite: r.readWrite,
    units: r.units ?? '',
    minimum: r.minimum,
    maximum: r.maximum,
    defaultValue: r.defaultValue ?? '',
    mask: optBig(r.mask),
    shift: optBig(r.shift),
    scale: r.scale,
    offset: r.offset,
    base: r.base,
    assertion: r.assertion ?? '',
    mediaType: r.mediaType ?? '',
    optional: r.optional,
  };
}

export function resourcePropertiesFromProto(p: pbProfile.ResourceProperties): ResourceProperties {
  return compact({
    valueType: p.valueType as ResourceProperties['valueType'],
    readWrite: p.readWrite as ResourceProperties['readWrite'],
    units: optStr(p.units),
    minimum: p.minimum,
    maximum: p.maximum,
    defaultValue: optStr(p.defaultValue),
    mask: p.mask === undefined ? undefined : exactInteger(p.mask),
    shift: p.shift === undefined ? undefined : exactInteger(p.shift),
    scale: p.scale,
    offset: p.offset,
    base: p.base,
    assertion: optStr(p.assertion),
    mediaType: optStr(p.mediaType),
    optional: optObj(p.optional),
  });
}

export function deviceResourceToProto(r: DeviceResource): pbProfile.DeviceResource {
  return {
    name: r.name,
    description: r.description ?? '',
    isHidden: r.isHidden ?? false,
    properties: resourcePropertiesToProto(r.properties),
    attributes: r.attributes,
    tags: r.tags,
  };
}

export function deviceResourceFromProto(p: pbProfile.DeviceResource): DeviceResource {
  return compact({
    name: p.name,
    description: optStr(p.description),
    isHidden: p.isHidden,
    properties: resourcePropertiesFromProto(p.properties ?? { valueType: '', readWrite: '', units: '', defaultValue: '', assertion: '', mediaType: '' }),
    attributes: optObj(p.attributes),
    tags: optObj(p.tags),
  });
}

function resourceOperationToProto(o: ResourceOperation): pbProfile.ResourceOperation {
  return { deviceResource: o.deviceResource, defaultValue: o.defaultValue ?? '', mappings: o.mappings ?? {} };
}
function resourceOperationFromProto(p: pbProfile.ResourceOperation): ResourceOperation {
  return compact({
    deviceResource: p.deviceResource,
    defaultValue: optStr(p.defaultValue),
    mappings: optObj(p.mappings) as Record<string, string> | undefined,
  });
}

export function deviceCommandToProto(c: DeviceCommand): pbProfile.DeviceCommand {
  return {
    name: c.name,
    isHidden: c.isHidden ?? false,
    readWrite: c.readWrite,
    resourceOperations: c.resourceOperations.map(resourceOperationToProto),
    tags: c.tags,
  };
}

export function deviceCommandFromProto(p: pbProfile.DeviceCommand): DeviceCommand {
  return compact({
    name: p.name,
    isHidden: p.isHidden,
    readWrite: p.readWrite as DeviceCommand['readWrite'],
    resourceOperations: p.resourceOperations.map(resourceOperationFromProto),
    tags: optObj(p.tags),
  });
}

export function deviceProfileToProto(d: DeviceProfile): pbProfile.DeviceProfile {
  return {
    id: d.id ?? '',
    name: d.name,
    manufacturer: d.manufacturer ?? '',
    model: d.model ?? '',
    description: d.description ?? '',
    labels: d.labels ?? [],
    deviceResources: (d.deviceResources ?? []).map(deviceResourceToProto),
    deviceCommands: (d.deviceCommands ?? []).map(deviceCommandToProto),
    created: toInt64(d.created),
    modified: toInt64(d.modified),
  };
}

export function deviceProfileFromProto(p: pbProfile.DeviceProfile): DeviceProfile {
  return compact({
    id: optStr(p.id),
    name: p.name,
    manufacturer: optStr(p.manufacturer),
    model: optStr(p.model),
    description: optStr(p.description),
    labels: optArr(p.labels),
    deviceResources: p.deviceResources.map(deviceResourceFromProto),
    deviceCommands: p.deviceCommands.map(deviceCommandFromProto),
    created: optInt64(p.created),
    modified: optInt64(p.modified),
  });
}

// ---------- provision watcher ----------

function discoveredDeviceToProto(d: DiscoveredDevice): pbDevice.DiscoveredDevice {
  return {
    profileName: d.profileName ?? '',
    adminState: adminStateToProto(d.adminState),
    autoEvents: (d.autoEvents ?? []).map(autoEventToProto),
    properties: d.properties,
  };
}
function discoveredDeviceFromProto(p: pbDevice.DiscoveredDevice): DiscoveredDevice {
  return compact({
    profileName: optStr(p.profileName),
    adminState: adminStateFromProto(p.adminState),
    autoEvents: optArr(p.autoEvents.map(autoEventFromProto)),
    properties: optObj(p.properties),
  });
}

export function provisionWatcherToProto(w: Partial<ProvisionWatcher>): pbDevice.ProvisionWatcher {
  const blocking: Record<string, pbDevice.BlockingValues> = {};
  for (const [k, values] of Object.entries(w.blockingIdentifiers ?? {})) blocking[k] = { values };
  return {
    id: w.id ?? '',
    name: w.name ?? '',
    serviceName: w.serviceName ?? '',
    labels: w.labels ?? [],
    identifiers: w.identifiers ?? {},
    blockingIdentifiers: blocking,
    adminState: adminStateToProto(w.adminState),
    discoveredDevice: w.discoveredDevice && discoveredDeviceToProto(w.discoveredDevice),
    created: toInt64(w.created),
    modified: toInt64(w.modified),
  };
}

export function provisionWatcherFromProto(p: pbDevice.ProvisionWatcher): ProvisionWatcher {
  const blocking: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(p.blockingIdentifiers)) blocking[k] = v.values;
  return compact({
    id: optStr(p.id),
    name: p.name,
    serviceName: p.serviceName,
    labels: optArr(p.labels),
    identifiers: p.identifiers,
    blockingIdentifiers: Object.keys(blocking).length ? blocking : undefined,
    adminState: adminStateFromProto(p.adminState),
    discoveredDevice: discoveredDeviceFromProto(p.discoveredDevice ?? { profileName: '', adminState: AdminState.ADMIN_STATE_UNSPECIFIED, autoEvents: [] }),
    created: optInt64(p.created),
    modified: optInt64(p.modified),
  });
}

export function provisionWatcherUpdateToProto(u: UpdateProvisionWatcher): {
  provisionWatcher: pbDevice.ProvisionWatcher;
  updateMask: string[];
} {
  // A PATCH's discoveredDevice may be partial (Go sends a struct of pointers); absent fields map to proto defaults.
  return { provisionWatcher: provisionWatcherToProto(u as Partial<ProvisionWatcher>), updateMask: updateMaskOf(u) };
}
export function provisionWatcherUpdateFromProto(p: pbDevice.ProvisionWatcher, updateMask: readonly string[]): UpdateProvisionWatcher {
  return pickMasked(provisionWatcherFromProto(p), updateMask, p.id, p.name);
}
