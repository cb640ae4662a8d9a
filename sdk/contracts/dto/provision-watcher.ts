import { z } from 'zod';
import { AutoEventSchema } from './device.js';
import { adminState, baseRequestShape, entityName, jsonObject, labels, nonBlank, timestampsShape, uuid } from './common.js';

export const DiscoveredDeviceSchema = z.object({
  profileName: z.string().optional(),
  adminState,
  autoEvents: z.array(AutoEventSchema).optional(),
  properties: jsonObject.optional(),
});
export type DiscoveredDevice = z.infer<typeof DiscoveredDeviceSchema>;

const regex = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${JSON.stringify(s)}` });
  }
});

const provisionWatcherShape = {
  id: uuid.optional(),
  name: entityName,
  serviceName: nonBlank,
  labels: labels.optional(),
  /** Protocol property name → regular expression the discovered value must match. */
  identifiers: z
    .record(z.string(), regex, { error: 'expected an object of property → regular expression' })
    .refine((m) => Object.keys(m).length > 0, { error: 'must hold at least one identifier' }),
  /** Protocol property name → values that make the watcher reject a device. */
  blockingIdentifiers: z.record(z.string(), z.array(z.string())).optional(),
  adminState,
  discoveredDevice: DiscoveredDeviceSchema,
  ...timestampsShape,
};

export const ProvisionWatcherSchema = z.object(provisionWatcherShape);
export type ProvisionWatcher = z.infer<typeof ProvisionWatcherSchema>;

export const UpdateProvisionWatcherSchema = z
  .object(provisionWatcherShape)
  .partial()
  .refine((w) => (w.id !== undefined && w.id !== '') || w.name !== undefined, {
    error: 'id or name is required',
    path: ['name'],
  });
export type UpdateProvisionWatcher = z.infer<typeof UpdateProvisionWatcherSchema>;

export const AddProvisionWatcherRequestSchema = z.object({
  ...baseRequestShape,
  provisionWatcher: ProvisionWatcherSchema,
});
export type AddProvisionWatcherRequest = z.infer<typeof AddProvisionWatcherRequestSchema>;

export const UpdateProvisionWatcherRequestSchema = z.object({
  ...baseRequestShape,
  provisionWatcher: UpdateProvisionWatcherSchema,
});
export type UpdateProvisionWatcherRequest = z.infer<typeof UpdateProvisionWatcherRequestSchema>;
