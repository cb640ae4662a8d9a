import { z } from 'zod';
import {
  absent,
  absentOr,
  baseRequestShape,
  entityName,
  jsonObject,
  labels,
  optionalLooseInteger,
  optionalLooseNumber,
  optionalUuid,
  patchShape,
  readWrite,
  timestampsShape,
  valueType,
} from './common.js';

export const ResourcePropertiesSchema = z.object({
  valueType,
  readWrite,
  units: absent(z.string()),
  minimum: optionalLooseNumber,
  maximum: optionalLooseNumber,
  defaultValue: absent(z.string()),
  mask: optionalLooseInteger,
  shift: optionalLooseInteger,
  scale: optionalLooseNumber,
  offset: optionalLooseNumber,
  base: optionalLooseNumber,
  assertion: absent(z.string()),
  mediaType: absent(z.string()),
  optional: absent(jsonObject),
});
export type ResourceProperties = z.infer<typeof ResourcePropertiesSchema>;

export const DeviceResourceSchema = z.object({
  name: entityName,
  description: absent(z.string()),
  isHidden: absentOr(z.boolean({ error: 'expected a boolean' }), false),
  properties: ResourcePropertiesSchema,
  attributes: absent(jsonObject),
  tags: absent(jsonObject),
});
export type DeviceResource = z.infer<typeof DeviceResourceSchema>;

export const ResourceOperationSchema = z.object({
  deviceResource: entityName,
  defaultValue: absent(z.string()),
  mappings: absent(z.record(z.string(), z.string())),
});
export type ResourceOperation = z.infer<typeof ResourceOperationSchema>;

export const DeviceCommandSchema = z.object({
  name: entityName,
  isHidden: absentOr(z.boolean({ error: 'expected a boolean' }), false),
  readWrite,
  resourceOperations: z
    .array(ResourceOperationSchema, { error: 'expected an array of resource operations' })
    .min(1, { error: 'must hold at least one resource operation' }),
  tags: absent(jsonObject),
});
export type DeviceCommand = z.infer<typeof DeviceCommandSchema>;

const basicInfoShape = {
  id: optionalUuid,
  name: entityName,
  manufacturer: absent(z.string()),
  model: absent(z.string()),
  description: absent(z.string()),
  labels: absent(labels),
};

export const DeviceProfileSchema = z
  .object({
    apiVersion: absent(z.string()),
    ...basicInfoShape,
    deviceResources: absentOr(z.array(DeviceResourceSchema, { error: 'expected an array of device resources' }), []),
    deviceCommands: absentOr(z.array(DeviceCommandSchema, { error: 'expected an array of device commands' }), []),
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

/** Partial basic info for PATCH /deviceprofile/basicinfo (`null` = unchanged); found by id, else by name. */
export const UpdateDeviceProfileBasicInfoSchema = z
  .object(patchShape(basicInfoShape))
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
  profileName: entityName,
  resource: DeviceResourceSchema,
});
export type AddDeviceResourceRequest = z.infer<typeof AddDeviceResourceRequestSchema>;

export const AddDeviceCommandRequestSchema = z.object({
  ...baseRequestShape,
  profileName: entityName,
  deviceCommand: DeviceCommandSchema,
});
export type AddDeviceCommandRequest = z.infer<typeof AddDeviceCommandRequestSchema>;

/** PATCH /deviceprofile/resource (Go's UpdateDeviceResource: pointers, `null` = unchanged). */
export const UpdateDeviceResourceRequestSchema = z.object({
  ...baseRequestShape,
  profileName: entityName,
  resource: z.object({
    name: entityName,
    description: absent(z.string()),
    isHidden: absent(z.boolean({ error: 'expected a boolean' })),
  }),
});
export type UpdateDeviceResourceRequest = z.infer<typeof UpdateDeviceResourceRequestSchema>;

/** PATCH /deviceprofile/deviceCommand (Go's UpdateDeviceCommand: pointers, `null` = unchanged). */
export const UpdateDeviceCommandRequestSchema = z.object({
  ...baseRequestShape,
  profileName: entityName,
  deviceCommand: z.object({
    name: entityName,
    isHidden: absent(z.boolean({ error: 'expected a boolean' })),
  }),
});
export type UpdateDeviceCommandRequest = z.infer<typeof UpdateDeviceCommandRequestSchema>;

const tagsUpdate = z.object({
  name: entityName,
  tags: jsonObject.refine((t) => Object.keys(t).length > 0, { error: 'must hold at least one tag' }),
});

/**
 * PATCH /deviceprofile/name/{name}/tags (EdgeX v4 DeviceProfileTagsRequest): tags merged into the named resources'
 * and commands' tags (nested objects merged key by key).
 */
export const DeviceProfileTagsRequestSchema = z.object({
  ...baseRequestShape,
  deviceResources: absent(z.array(tagsUpdate, { error: 'expected an array of {name, tags}' })),
  deviceCommands: absent(z.array(tagsUpdate, { error: 'expected an array of {name, tags}' })),
});
export type DeviceProfileTagsRequest = z.infer<typeof DeviceProfileTagsRequestSchema>;
