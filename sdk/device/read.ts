/**
 * The read path of the first-cut SDK: resolve a source name (a device command, else a device resource) to
 * driver requests, call the driver, and turn its values into an EdgeX Event.
 * Driver values go through EdgeX's read transforms, assertion and mappings (`transforms/`) first.
 */
import { randomUUID } from 'node:crypto';
import {
  EdgeXError,
  encodeValue,
  errorMessage,
  exactInteger,
  resourcesMatching,
  type Device,
  type DeviceProfile,
  type DeviceResource,
  type Event,
  type Reading,
} from '@edgex-ts/contracts';
import type { CommandRequest, CommandValue, ProtocolDriver } from './driver.js';
import { nextOrigin } from './origin.js';
import { processReadValue } from './transforms/index.js';

/** A readable source resolved against a profile. */
export interface ResolvedSource {
  sourceName: string;
  /** One request per resource (device resource) or per resource operation (device command). */
  requests: CommandRequest[];
  resources: DeviceResource[];
  /** Tags of the device command, copied onto the event. */
  tags?: Record<string, unknown>;
  /** Mappings of each resource operation (same order as `resources`; none for a device resource). */
  mappings?: (Record<string, string> | undefined)[];
}

function readable(rw: string | undefined): boolean {
  return rw === undefined || rw.includes('R');
}

function toRequest(r: DeviceResource): CommandRequest {
  return { deviceResourceName: r.name, attributes: { ...(r.attributes ?? {}) }, valueType: r.properties.valueType };
}

/**
 * Resolves `sourceName` in `profile`: a device command (its resource operations, in order) takes precedence
 * over a device resource of the same name. Throws NotFound when neither exists, ContractInvalid when not readable.
 * With `regex` (EdgeX's `ds-regexcmd`, a GET's default), a name that is neither is a regular expression: see
 * {@link resolveRegexSource}.
 */
export function resolveReadSource(profile: DeviceProfile, sourceName: string, { regex = false } = {}): ResolvedSource {
  const resources = new Map((profile.deviceResources ?? []).map((r) => [r.name, r]));
  const command = (profile.deviceCommands ?? []).find((c) => c.name === sourceName);
  if (command) {
    if (!readable(command.readWrite)) {
      throw new EdgeXError('ContractInvalid', `profile ${profile.name}: deviceCommand ${sourceName} is not readable (readWrite ${command.readWrite})`);
    }
    const used = command.resourceOperations.map((op, i) => {
      const r = resources.get(op.deviceResource);
      if (!r) {
        throw new EdgeXError(
          'NotFound',
          `profile ${profile.name}: deviceCommands[${sourceName}].resourceOperations[${i}].deviceResource: no deviceResource named ${op.deviceResource}`,
        );
      }
      return r;
    });
    const mappings = command.resourceOperations.map((op) => op.mappings);
    return { sourceName, requests: used.map(toRequest), resources: used, tags: command.tags, mappings };
  }
  const r = resources.get(sourceName);
  if (!r && regex) return resolveRegexSource(profile, sourceName);
  if (!r) throw new EdgeXError('NotFound', `profile ${profile.name} has no deviceCommand or deviceResource named ${sourceName}`);
  if (!readable(r.properties.readWrite)) {
    throw new EdgeXError('ContractInvalid', `profile ${profile.name}: deviceResource ${sourceName} is not readable (readWrite ${r.properties.readWrite})`);
  }
  return { sourceName, requests: [toRequest(r)], resources: [r] };
}

/**
 * The readable resources whose whole name `pattern` matches ({@link resourcesMatching}, EdgeX's device SDK), in
 * profile order; the event's source is the pattern. NotAllowed when only write-only ones match, as EdgeX answers.
 */
export function resolveRegexSource(profile: DeviceProfile, pattern: string): ResolvedSource {
  const used = resourcesMatching(profile, pattern).filter((r) => readable(r.properties.readWrite));
  if (used.length === 0) throw new EdgeXError('NotAllowed', `profile ${profile.name}: no readable deviceResource matches ${pattern}`);
  return { sourceName: pattern, requests: used.map(toRequest), resources: used };
}

export interface BuildEventOptions {
  /** Add the resource's `properties.units` to readings (EdgeX `Writable.Reading.ReadingUnits`, default true). */
  readingUnits?: boolean;
  /** Apply mask/shift/base/scale/offset to numeric values (EdgeX `Device.DataTransform`, default true). */
  dataTransform?: boolean;
}

/**
 * EdgeX's read pipeline over driver values: transforms (when `dataTransform`), assertion (throws
 * AssertionError, whose caller marks the device DOWN), then the resource operation's mappings.
 */
export function processReadValues(source: ResolvedSource, values: CommandValue[], dataTransform = true): CommandValue[] {
  return values.map((cv) => {
    const i = source.resources.findIndex((r) => r.name === cv.deviceResourceName);
    if (i < 0) return cv; // buildEvent reports it
    const resource = source.resources[i];
    const typed = cv.valueType ? cv : { ...cv, valueType: resource.properties.valueType };
    return processReadValue(typed, resource.properties, source.mappings?.[i], dataTransform);
  });
}

/**
 * Builds an EdgeX Event from driver values: uuid id, a unique ns origin shared by the event and readings that
 * carry none, units from the profile, values encoded as EdgeX does (Go %e floats, exact 64-bit integers),
 * Binary as base64 `binaryValue` + `mediaType`, Object as `objectValue`.
 */
export function buildEvent(device: Device, profile: DeviceProfile, source: ResolvedSource, values: CommandValue[], opts: BuildEventOptions = {}): Event {
  if (values.length === 0) throw new EdgeXError('UnexpectedServerError', `driver returned no values for ${device.name}/${source.sourceName}`);
  const origin = nextOrigin();
  const byName = new Map(source.resources.map((r) => [r.name, r]));
  const readings = values.map((cv, i): Reading => {
    const resource = byName.get(cv.deviceResourceName);
    if (!resource) {
      throw new EdgeXError(
        'ContractInvalid',
        `driver value [${i}] names resource ${cv.deviceResourceName}, which ${device.name}/${source.sourceName} did not request`,
      );
    }
    const valueType = cv.valueType || resource.properties.valueType;
    const reading: Reading = {
      id: randomUUID(),
      origin: cv.origin === undefined ? origin : exactInteger(cv.origin),
      deviceName: device.name,
      resourceName: resource.name,
      profileName: profile.name,
      valueType: valueType as Reading['valueType'],
    };
    const units = resource.properties.units;
    if (opts.readingUnits !== false && units) reading.units = units;
    const tags = { ...(resource.tags ?? {}), ...(cv.tags ?? {}) };
    if (Object.keys(tags).length > 0) reading.tags = tags;
    try {
      if (valueType === 'Binary') {
        if (!(cv.value instanceof Uint8Array)) throw new Error(`expected bytes (Uint8Array)`);
        reading.binaryValue = Buffer.from(cv.value.buffer, cv.value.byteOffset, cv.value.byteLength).toString('base64');
        reading.mediaType = cv.mediaType || resource.properties.mediaType || 'application/octet-stream';
      } else if (valueType === 'Object' || valueType === 'ObjectArray') {
        reading.objectValue = cv.value;
      } else {
        reading.value = encodeValue(valueType, cv.value);
      }
    } catch (err) {
      throw new EdgeXError('ContractInvalid', `${device.name}/${resource.name}: driver value is not a valid ${valueType}: ${errorMessage(err)}`, err);
    }
    return reading;
  });
  const event: Event = {
    apiVersion: 'v3',
    id: randomUUID(),
    deviceName: device.name,
    profileName: profile.name,
    sourceName: source.sourceName,
    origin,
    readings,
  };
  const tags = { ...(device.tags ?? {}), ...(source.tags ?? {}) };
  if (Object.keys(tags).length > 0) event.tags = tags;
  return event;
}

/** Reads `sourceName` of `device` through the driver and returns the Event. */
export async function readSource(
  driver: ProtocolDriver,
  device: Device,
  profile: DeviceProfile,
  sourceName: string,
  opts: BuildEventOptions = {},
): Promise<Event> {
  const source = resolveReadSource(profile, sourceName);
  const values = await driver.handleReadCommands(device.name, device.protocols, source.requests);
  return buildEvent(device, profile, source, processReadValues(source, values, opts.dataTransform ?? true), opts);
}
