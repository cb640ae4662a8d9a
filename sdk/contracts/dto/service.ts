import { z } from 'zod';
import { absent, adminState, baseRequestShape, entityName, jsonObject, labels, nonBlank, optionalUuid, patchShape, timestampsShape } from './common.js';

const baseAddress = nonBlank.refine(
  (s) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a URI, e.g. http://device-virtual:59900' },
);

const deviceServiceShape = {
  id: optionalUuid,
  name: entityName,
  description: absent(z.string()),
  labels: absent(labels),
  baseAddress,
  adminState,
  properties: absent(jsonObject),
  ...timestampsShape,
};

export const DeviceServiceSchema = z.object(deviceServiceShape);
export type DeviceService = z.infer<typeof DeviceServiceSchema>;

/** Partial device service for PATCH (Go's UpdateDeviceService: `null` = unchanged); found by id, else by name. */
export const UpdateDeviceServiceSchema = z.object(patchShape(deviceServiceShape)).refine((s) => (s.id !== undefined && s.id !== '') || s.name !== undefined, {
  error: 'id or name is required',
  path: ['name'],
});
export type UpdateDeviceService = z.infer<typeof UpdateDeviceServiceSchema>;

export const AddDeviceServiceRequestSchema = z.object({ ...baseRequestShape, service: DeviceServiceSchema });
export type AddDeviceServiceRequest = z.infer<typeof AddDeviceServiceRequestSchema>;

export const UpdateDeviceServiceRequestSchema = z.object({ ...baseRequestShape, service: UpdateDeviceServiceSchema });
export type UpdateDeviceServiceRequest = z.infer<typeof UpdateDeviceServiceRequestSchema>;
