import { z } from 'zod';
import {
  adminState,
  baseRequestShape,
  entityName,
  goDuration,
  integerNumber,
  jsonObject,
  labels,
  nonBlank,
  operatingState,
  timestampsShape,
  uuid,
} from './common.js';

export const AutoEventRetentionSchema = z.object({
  maxCap: integerNumber.optional(),
  minCap: integerNumber.optional(),
  duration: goDuration().optional(),
});
export type AutoEventRetention = z.infer<typeof AutoEventRetentionSchema>;

export const AutoEventSchema = z.object({
  interval: goDuration(1),
  onChange: z.boolean().optional(),
  onChangeThreshold: z.number().min(0, { error: 'must be >= 0' }).optional(),
  sourceName: nonBlank,
  retention: AutoEventRetentionSchema.optional(),
});
export type AutoEvent = z.infer<typeof AutoEventSchema>;

/** One protocol's settings, e.g. modbus-tcp: {Address, Port, UnitID}; values may be numbers or strings. */
export const ProtocolPropertiesSchema = jsonObject;
export type ProtocolProperties = z.infer<typeof ProtocolPropertiesSchema>;

const protocols = z
  .record(z.string(), ProtocolPropertiesSchema, { error: 'expected an object of protocol name → properties' })
  .refine((p) => Object.keys(p).length > 0, { error: 'must name at least one protocol' });

const deviceShape = {
  id: uuid.optional(),
  name: entityName,
  parent: z.string().optional(),
  description: z.string().optional(),
  adminState,
  operatingState,
  labels: labels.optional(),
  location: z.unknown().optional(),
  serviceName: nonBlank,
  profileName: nonBlank,
  autoEvents: z.array(AutoEventSchema).optional(),
  protocols,
  tags: jsonObject.optional(),
  properties: jsonObject.optional(),
  ...timestampsShape,
};

export const DeviceSchema = z.object(deviceShape);
export type Device = z.infer<typeof DeviceSchema>;

/** Partial device for PATCH: every field optional; the device is found by id, else by name. */
export const UpdateDeviceSchema = z
  .object(deviceShape)
  .partial()
  .refine((d) => (d.id !== undefined && d.id !== '') || d.name !== undefined, {
    error: 'id or name is required',
    path: ['name'],
  });
export type UpdateDevice = z.infer<typeof UpdateDeviceSchema>;

export const AddDeviceRequestSchema = z.object({ ...baseRequestShape, device: DeviceSchema });
export type AddDeviceRequest = z.infer<typeof AddDeviceRequestSchema>;

export const UpdateDeviceRequestSchema = z.object({ ...baseRequestShape, device: UpdateDeviceSchema });
export type UpdateDeviceRequest = z.infer<typeof UpdateDeviceRequestSchema>;
