import { z } from 'zod';
import { absent, integerNumber, jsonObject, nonBlank } from './common.js';

export const SYSTEM_EVENT_TYPES = ['device', 'deviceprofile', 'deviceservice', 'provisionwatcher'] as const;
export const SYSTEM_EVENT_ACTIONS = ['add', 'update', 'delete', 'discovery', 'profilescan'] as const;

/** Published by core-metadata on every mutation (reference §3.9, §4.3). `details` is the full DTO. */
export const SystemEventSchema = z.object({
  apiVersion: nonBlank,
  type: z.enum(SYSTEM_EVENT_TYPES, { error: `expected one of ${SYSTEM_EVENT_TYPES.join(', ')}` }),
  action: z.enum(SYSTEM_EVENT_ACTIONS, { error: `expected one of ${SYSTEM_EVENT_ACTIONS.join(', ')}` }),
  source: nonBlank,
  owner: z.string(),
  tags: absent(jsonObject),
  details: z.unknown(),
  /** Nanoseconds since the Unix epoch. */
  timestamp: integerNumber,
});
export type SystemEvent = z.infer<typeof SystemEventSchema>;
