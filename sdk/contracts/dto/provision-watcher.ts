import { z } from 'zod';
import { AutoEventSchema } from './device.js';
import { absent, absentOr, adminState, baseRequestShape, entityName, jsonObject, labels, optionalUuid, patchShape, timestampsShape } from './common.js';

const discoveredDeviceShape = {
  /** Empty = the device service picks the profile. */
  profileName: absent(z.union([z.literal(''), entityName])),
  adminState,
  autoEvents: absent(z.array(AutoEventSchema, { error: 'expected an array of auto events' })),
  properties: absent(jsonObject),
};
export const DiscoveredDeviceSchema = z.object(discoveredDeviceShape);
export type DiscoveredDevice = z.infer<typeof DiscoveredDeviceSchema>;

const regex = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${JSON.stringify(s)}` });
  }
});

const provisionWatcherShape = {
  id: optionalUuid,
  name: entityName,
  serviceName: entityName,
  labels: absent(labels),
  /** Protocol property name → regular expression the discovered value must match. */
  identifiers: z
    .record(z.string(), regex, { error: 'expected an object of property → regular expression' })
    .refine((m) => Object.keys(m).length > 0, { error: 'must hold at least one identifier' }),
  /** Protocol property name → values that make the watcher reject a device. */
  blockingIdentifiers: absent(z.record(z.string(), absentOr(z.array(z.string()), []))),
  adminState,
  discoveredDevice: DiscoveredDeviceSchema,
  ...timestampsShape,
};

export const ProvisionWatcherSchema = z.object(provisionWatcherShape);
export type ProvisionWatcher = z.infer<typeof ProvisionWatcherSchema>;

/**
 * Partial watcher for PATCH (Go's UpdateProvisionWatcher: `null` = unchanged; its discoveredDevice is a struct of
 * pointers, always sent, merged field by field); found by id, else by name.
 */
export const UpdateProvisionWatcherSchema = z
  .object({
    ...patchShape(provisionWatcherShape),
    discoveredDevice: absent(z.object(patchShape(discoveredDeviceShape))),
  })
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
