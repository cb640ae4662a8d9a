import { z } from 'zod';
import {
  absent,
  absentOr,
  adminState,
  baseRequestShape,
  entityName,
  exactInt64,
  goDuration,
  jsonObject,
  labels,
  operatingState,
  optionalUuid,
  patchShape,
  timestampsShape,
} from './common.js';

const retentionShape = {
  /** int64 in EdgeX: kept exact beyond 2^53, as origins are. */
  maxCap: absent(exactInt64),
  minCap: absent(exactInt64),
  duration: absent(z.preprocess((v) => (v === '' ? undefined : v), goDuration().optional())),
};
export const AutoEventRetentionSchema = z.object(retentionShape);
export type AutoEventRetention = z.infer<typeof AutoEventRetentionSchema>;

/** Go's zero-valued Retention struct (`{"maxCap":0,"minCap":0,"duration":""}`) is "no retention". */
function isZeroRetention(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return !r.maxCap && !r.minCap && !r.duration && Object.keys(r).every((k) => k in retentionShape);
}

export const AutoEventSchema = z.object({
  interval: goDuration(1),
  onChange: absent(z.boolean()),
  onChangeThreshold: absent(z.number().min(0, { error: 'must be >= 0' })),
  sourceName: entityName,
  retention: z.preprocess((v) => (isZeroRetention(v) ? undefined : v), absent(AutoEventRetentionSchema)),
});
export type AutoEvent = z.infer<typeof AutoEventSchema>;

/** One protocol's settings, e.g. modbus-tcp: {Address, Port, UnitID}; values may be numbers or strings. */
export const ProtocolPropertiesSchema = jsonObject;
export type ProtocolProperties = z.infer<typeof ProtocolPropertiesSchema>;

const protocols = z.record(z.string(), ProtocolPropertiesSchema, {
  error: 'expected an object of protocol name → properties',
});

const deviceShape = {
  id: optionalUuid,
  name: entityName,
  /** EdgeX v4: the name of the parent device (`descendantsOf` lists a device's subtree). */
  parent: absent(z.union([z.literal(''), entityName])),
  description: absent(z.string()),
  adminState,
  operatingState,
  labels: absent(labels),
  location: absent(z.unknown()),
  serviceName: entityName,
  /** EdgeX v4: may be empty (a device waiting for a profile scan); read as '' then. */
  profileName: absentOr(z.union([z.literal(''), entityName]), ''),
  autoEvents: absent(z.array(AutoEventSchema, { error: 'expected an array of auto events' })),
  protocols,
  tags: absent(jsonObject),
  /** EdgeX v4 always sends it (an empty object when none): core-metadata stores `{}` when absent. */
  properties: absent(jsonObject),
  ...timestampsShape,
};

export const DeviceSchema = z.object(deviceShape);
export type Device = z.infer<typeof DeviceSchema>;

/**
 * Partial device for PATCH (Go's UpdateDevice: every field a pointer, `null` = unchanged): found by id, else by
 * name (`"id": ""` or `null` with a name means "by name").
 */
export const UpdateDeviceSchema = z.object(patchShape(deviceShape)).refine((d) => (d.id !== undefined && d.id !== '') || d.name !== undefined, {
  error: 'id or name is required',
  path: ['name'],
});
export type UpdateDevice = z.infer<typeof UpdateDeviceSchema>;

export const AddDeviceRequestSchema = z.object({ ...baseRequestShape, device: DeviceSchema });
export type AddDeviceRequest = z.infer<typeof AddDeviceRequestSchema>;

export const UpdateDeviceRequestSchema = z.object({ ...baseRequestShape, device: UpdateDeviceSchema });
export type UpdateDeviceRequest = z.infer<typeof UpdateDeviceRequestSchema>;
