import { z } from 'zod';
import { adminState, baseRequestShape, entityName, jsonObject, labels, nonBlank, timestampsShape, uuid } from './common.js';

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
  id: uuid.optional(),
  name: entityName,
  description: z.string().optional(),
  labels: labels.optional(),
  baseAddress,
  adminState,
  properties: jsonObject.optional(),
  ...timestampsShape,
};

export const DeviceServiceSchema = z.object(deviceServiceShape);
export type DeviceService = z.infer<typeof DeviceServiceSchema>;

export const UpdateDeviceServiceSchema = z
  .object(deviceServiceShape)
  .partial()
  .refine((s) => (s.id !== undefined && s.id !== '') || s.name !== undefined, {
    error: 'id or name is required',
    path: ['name'],
  });
export type UpdateDeviceService = z.infer<typeof UpdateDeviceServiceSchema>;

export const AddDeviceServiceRequestSchema = z.object({ ...baseRequestShape, service: DeviceServiceSchema });
export type AddDeviceServiceRequest = z.infer<typeof AddDeviceServiceRequestSchema>;

export const UpdateDeviceServiceRequestSchema = z.object({ ...baseRequestShape, service: UpdateDeviceServiceSchema });
export type UpdateDeviceServiceRequest = z.infer<typeof UpdateDeviceServiceRequestSchema>;
