/**
 * Configuration of a device service: the common service config plus EdgeX's `Device` section,
 * `Writable.Reading.ReadingUnits` and the free-form `Driver` section.
 */
import { z } from 'zod';
import { commonConfigSchema, goDuration, writableSectionSchema } from '@edgex-ts/runtime';

/** EdgeX writes some timeouts as a number of seconds; a numeric string (from the environment) counts as seconds too. */
const secondsOrDuration = z.union(
  [
    z.number().positive(),
    z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*$/)
      .transform(Number),
    goDuration,
  ],
  {
    error: 'expected a number of seconds or a Go duration such as "30s"',
  },
);

export const deviceSectionSchema = z.object({
  /** Folder of profile files (.yaml/.yml/.json), relative to the working directory. */
  ProfilesDir: z.string().default('./res/profiles'),
  /** Folder of device files (`deviceList:` YAML or JSON arrays), relative to the working directory. */
  DevicesDir: z.string().default('./res/devices'),
  /** Folder of provision watcher files (.yaml/.yml/.json, one watcher each), added to core-metadata at start. */
  ProvisionWatchersDir: z.string().default('./res/provisionwatchers'),
  /** Device discovery (POST /api/v3/discovery and, with Interval > 0, periodically): off unless Enabled. */
  Discovery: z
    .object({
      Enabled: z.boolean().default(false),
      /** Go duration between automatic discoveries; 0s = only on request. */
      Interval: goDuration.default('0s'),
    })
    .prefault({}),
  /** Labels of the device service record registered with core-metadata. */
  Labels: z.array(z.string()).default([]),
  /** Events waiting for the broker per device before the oldest is dropped (logged). */
  MaxPendingEvents: z.number().int().min(1).default(1000),
  /** Apply the profile's mask/shift/base/scale/offset on reads and their inverses on writes (EdgeX default true). */
  DataTransform: z.boolean().default(true),
  /** Consecutive failed reads after which a device is set DOWN (0 = never). */
  AllowedFails: z.number().int().min(0).default(3),
  /** While a device is DOWN, how often it is probed with a read to bring it back UP (Go duration, or seconds). */
  DeviceDownTimeout: secondsOrDuration.default('30s'),
});

export const deviceServiceConfigSchema = commonConfigSchema.extend({
  Device: deviceSectionSchema.prefault({}),
  Writable: writableSectionSchema
    .extend({
      Reading: z.object({ ReadingUnits: z.boolean().default(true) }).prefault({}),
    })
    .prefault({}),
  /** Driver-specific settings (EdgeX `Driver` section), handed to the driver as strings. */
  Driver: z.record(z.string(), z.string()).default({}),
});

export type DeviceServiceConfig = z.infer<typeof deviceServiceConfigSchema>;
