import { commonConfigSchema, loadConfig, writableSectionSchema, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'core-metadata';

/** core-metadata's own keys on top of the common ones (reference §2.2). */
export const coreMetadataConfigSchema = commonConfigSchema.extend({
  UoM: z
    .object({
      /** Units of measure served on GET /api/v3/uom (YAML or JSON, EdgeX's keys); '' = the shipped res/uom.yaml. */
      UoMFile: z.string().default(''),
    })
    .prefault({}),
  Writable: writableSectionSchema
    .extend({
      /** true: every device resource's `units` must be one of the units of measure (or empty). */
      UoM: z.object({ Validation: z.boolean().default(false) }).prefault({}),
    })
    .prefault({}),
});

export type CoreMetadataConfig = z.infer<typeof coreMetadataConfigSchema>;
export type CoreMetadataConfigInput = DeepPartial<z.input<typeof coreMetadataConfigSchema>>;

/** EdgeX's ports for core-metadata (REST 59881, gRPC 49881) and its own SQLite file. */
export const CORE_METADATA_DEFAULTS: CoreMetadataConfigInput = {
  Service: { Port: 59881, GrpcPort: 49881 },
  Database: { Path: './data/core-metadata.db' },
  MessageBus: { Optional: { ClientId: SERVICE_NAME } },
};

export function loadCoreMetadataConfig(opts: {
  overrides?: CoreMetadataConfigInput;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}): CoreMetadataConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: coreMetadataConfigSchema,
    defaults: CORE_METADATA_DEFAULTS,
    overrides: opts.overrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
}
