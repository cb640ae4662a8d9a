import { z } from 'zod';
import { nonBlank } from '@edgex-ts/sdk/contracts';

/*
 * Request bodies of the PATCH resource/command endpoints, which change only a few fields.
 * (Candidates for @edgex-ts/sdk/contracts; kept here until they land there.)
 */
const baseRequest = {
  apiVersion: nonBlank,
  requestId: z.string().optional(),
};

export const UpdateDeviceResourceRequestSchema = z.object({
  ...baseRequest,
  profileName: nonBlank,
  resource: z.object({
    name: nonBlank,
    description: z.string().optional(),
    isHidden: z.boolean({ error: 'expected a boolean' }).optional(),
  }),
});

export const UpdateDeviceCommandRequestSchema = z.object({
  ...baseRequest,
  profileName: nonBlank,
  deviceCommand: z.object({
    name: nonBlank,
    isHidden: z.boolean({ error: 'expected a boolean' }).optional(),
  }),
});
