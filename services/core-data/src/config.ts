import { commonConfigSchema, loadConfig, writableSectionSchema, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'core-data';

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
});

export type CoreDataConfig = z.infer<typeof coreDataConfigSchema>;
export type CoreDataConfigInput = DeepPartial<z.input<typeof coreDataConfigSchema>>;

export const CORE_DATA_DEFAULTS: CoreDataConfigInput = {
  Service: { Port: 59880, GrpcPort: 49880 },
  Database: { Path: './data/core-data.db' },
  MessageBus: { Optional: { ClientId: 'core-data' } },
  MaxEventSize: 25000,
  Writable: { PersistData: true },
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
