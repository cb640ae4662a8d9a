import { z } from 'zod';
import {
  baseRequestShape,
  entityName,
  jsonObject,
  labels,
  optionalLooseNumber,
  nonBlank,
  readWrite,
  timestampsShape,
  uuid,
  valueType,
} from './common.js';

export const ResourcePropertiesSchema = z.object({
  valueType,
  readWrite,
  units: z.string().optional(),
  minimum: optionalLooseNumber,
  maximum: optionalLooseNumber,
  defaultValue: z.string().optional(),
  mask: optionalLooseNumber,
  shift: optionalLooseNumber,
  scale: optionalLooseNumber,
  offset: optionalLooseNumber,
  base: optionalLooseNumber,
  assertion: z.string().optional(),
  mediaType: z.string().optional(),
  optional: jsonObject.optional(),
});
export type ResourceProperties = z.infer<typeof ResourcePropertiesSchema>;

export const DeviceResourceSchema = z.object({
  name: entityName,
  description: z.string().optional(),
  isHidden: z.boolean().default(false),
  properties: ResourcePropertiesSchema,
  attributes: jsonObject.optional(),
  tags: jsonObject.optional(),
});
export type DeviceResource = z.infer<typeof DeviceResourceSchema>;

export const ResourceOperationSchema = z.object({
  deviceResource: nonBlank,
  defaultValue: z.string().optional(),
  mappings: z.record(z.string(), z.string()).optional(),
});
export type ResourceOperation = z.infer<typeof ResourceOperationSchema>;

export const DeviceCommandSchema = z.object({
  name: entityName,
  isHidden: z.boolean().default(false),
  readWrite,
  resourceOperations: z
    .array(ResourceOperationSchema, { error: 'expected an array of resource operations' })
    .min(1, { error: 'must hold at least one resource operation' }),
  tags: jsonObject.optional(),
});
export type DeviceCommand = z.infer<typeof DeviceCommandSchema>;

const basicInfoShape = {
  id: uuid.optional(),
  name: entityName,
  manufacturer: z.string().optional(),
  model: z.string().optional(),
  description: z.string().optional(),
  labels: labels.optional(),
};

export const DeviceProfileSchema = z
  .object({
    apiVersion: z.string().optional(),
    ...basicInfoShape,
    deviceResources: z.array(DeviceResourceSchema).default([]),
    deviceCommands: z.array(DeviceCommandSchema).default([]),
    ...timestampsShape,
  })
  .superRefine((p, ctx) => {
    const resources = new Set<string>();
    p.deviceResources.forEach((r, i) => {
      if (resources.has(r.name)) {
        ctx.addIssue({ code: 'custom', path: ['deviceResources', i, 'name'], message: `duplicate resource name ${r.name}` });
      }
      resources.add(r.name);
      if (r.properties.valueType === 'Binary' && r.properties.readWrite.includes('W')) {
        ctx.addIssue({
          code: 'custom',
          path: ['deviceResources', i, 'properties', 'readWrite'],
          message: 'write permission is not supported for valueType Binary',
        });
      }
    });
    const commands = new Set<string>();
    p.deviceCommands.forEach((c, i) => {
      if (commands.has(c.name)) {
        ctx.addIssue({ code: 'custom', path: ['deviceCommands', i, 'name'], message: `duplicate command name ${c.name}` });
      }
      commands.add(c.name);
      c.resourceOperations.forEach((op, j) => {
        if (!resources.has(op.deviceResource)) {
          ctx.addIssue({
            code: 'custom',
            path: ['deviceCommands', i, 'resourceOperations', j, 'deviceResource'],
            message: `no device resource named ${op.deviceResource} in this profile`,
          });
        }
      });
    });
  });
export type DeviceProfile = z.infer<typeof DeviceProfileSchema>;

export const DeviceProfileRequestSchema = z.object({ ...baseRequestShape, profile: DeviceProfileSchema });
export type DeviceProfileRequest = z.infer<typeof DeviceProfileRequestSchema>;

/** Partial basic info for PATCH /deviceprofile/basicinfo; found by id, else by name. */
export const UpdateDeviceProfileBasicInfoSchema = z
  .object(basicInfoShape)
  .partial()
  .refine((b) => (b.id !== undefined && b.id !== '') || b.name !== undefined, {
    error: 'id or name is required',
    path: ['name'],
  });
export type UpdateDeviceProfileBasicInfo = z.infer<typeof UpdateDeviceProfileBasicInfoSchema>;

export const DeviceProfileBasicInfoRequestSchema = z.object({
  ...baseRequestShape,
  basicinfo: UpdateDeviceProfileBasicInfoSchema,
});
export type DeviceProfileBasicInfoRequest = z.infer<typeof DeviceProfileBasicInfoRequestSchema>;

export const AddDeviceResourceRequestSchema = z.object({
  ...baseRequestShape,
  profileName: nonBlank,
  resource: DeviceResourceSchema,
});
export type AddDeviceResourceRequest = z.infer<typeof AddDeviceResourceRequestSchema>;

export const AddDeviceCommandRequestSchema = z.object({
  ...baseRequestShape,
  profileName: nonBlank,
  deviceCommand: DeviceCommandSchema,
});
export type AddDeviceCommandRequest = z.infer<typeof AddDeviceCommandRequestSchema>;
