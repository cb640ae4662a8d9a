import { commonConfigSchema, durationMs, goDuration, loadConfig, writableSectionSchema, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'core-data';

/** True for a Go duration above 0 (a malformed one is reported by goDuration's own check). */
function isPositiveDuration(text: string): boolean {
  try {
    return durationMs(text) > 0;
  } catch {
    return true;
  }
}

/**
 * A per-device reading cap (Retention.PerDevice, Retention.Devices.<name>, Retention.Profiles.<name>); MaxCap 0 = no cap.
 * A MaxCap needs an explicit MinCap: left out, 0 would silently mean "keep nothing".
 */
const deviceCapSchema = z
  .object({
    /** A pass trims a device once it holds at least this many readings. */
    MaxCap: z.number().int().min(0).default(0),
    /** Readings of the device a pass keeps (the newest, by origin). */
    MinCap: z.number().int().min(0).optional(),
  })
  .refine((c) => c.MaxCap === 0 || c.MinCap !== undefined, { message: 'MinCap is required with a MaxCap above 0', path: ['MinCap'] })
  .refine((c) => (c.MinCap ?? 0) <= c.MaxCap, { message: 'MinCap must be at most MaxCap', path: ['MinCap'] })
  .transform((c) => ({ MaxCap: c.MaxCap, MinCap: c.MinCap ?? 0 }));

/** core-data's own keys on top of the common ones (reference §2.1). */
export const coreDataConfigSchema = commonConfigSchema.extend({
  /** Largest accepted event, KB (413 above it). */
  MaxEventSize: z.number().int().min(1).default(25000),
  Writable: writableSectionSchema
    .extend({
      /** false = re-publish only, store nothing. */
      PersistData: z.boolean().default(true),
    })
    .prefault({}),
  /** EdgeX 3.1 reading-count retention (reference §2.1): above MaxCap readings, the oldest go until MinCap remain. */
  Retention: z
    .object({
      Enabled: z.boolean().default(false),
      /** How often a pass runs (Go duration, more than 0). */
      Interval: goDuration.refine(isPositiveDuration, { message: 'must be more than 0' }).default('30s'),
      /** A pass removes readings when at least this many are stored. */
      MaxCap: z.number().int().min(1).default(10000),
      /** Readings a pass keeps (the newest, by origin); less than MaxCap. */
      MinCap: z.number().int().min(1).default(8000),
      /** The cap of every device, unless its name or its profile has its own. */
      PerDevice: deviceCapSchema.prefault({}),
      /** Caps by device name; they win over Profiles and PerDevice. */
      Devices: z.record(z.string(), deviceCapSchema).default({}),
      /** Caps by profile name (the profile of the device's newest event); they win over PerDevice. */
      Profiles: z.record(z.string(), deviceCapSchema).default({}),
    })
    .refine((r) => r.MinCap < r.MaxCap, { message: 'MinCap must be less than MaxCap', path: ['MinCap'] })
    .prefault({}),
});

export type CoreDataConfig = z.infer<typeof coreDataConfigSchema>;
export type CoreDataConfigInput = DeepPartial<z.input<typeof coreDataConfigSchema>>;

export const CORE_DATA_DEFAULTS: CoreDataConfigInput = {
  Service: { Port: 59880, GrpcPort: 49880 },
  Database: { Path: './data/core-data.db' },
  MessageBus: { Optional: { ClientId: 'core-data' } },
  MaxEventSize: 25000,
  Writable: { PersistData: true },
  Retention: { Enabled: false, Interval: '30s', MaxCap: 10000, MinCap: 8000, PerDevice: { MaxCap: 0, MinCap: 0 } },
};

export function loadCoreDataConfig(opts: { overrides?: CoreDataConfigInput; file?: string; argv?: string[]; env?: NodeJS.ProcessEnv }): CoreDataConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: coreDataConfigSchema,
    defaults: CORE_DATA_DEFAULTS,
    overrides: opts.overrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
}
