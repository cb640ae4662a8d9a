import { commonConfigSchema, loadConfig, type DeepPartial } from '@edgex-ts/sdk/runtime';
import type { z } from 'zod';

export const SERVICE_NAME = 'core-metadata';

/** core-metadata uses the common sections only (Service, Writable, MessageBus, Database, Clients). */
export const coreMetadataConfigSchema = commonConfigSchema;

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
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}): CoreMetadataConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: coreMetadataConfigSchema,
    defaults: CORE_METADATA_DEFAULTS,
    overrides: opts.overrides,
    argv: opts.argv,
    env: opts.env,
  });
}
