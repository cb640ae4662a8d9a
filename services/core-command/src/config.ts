import { commonConfigSchema, goDuration, loadConfig, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'core-command';

/**
 * The common sections (Service.RequestTimeout bounds each device-service round trip) and MetadataCache: how
 * long devices, profiles and device services looked up in core-metadata are kept (Go duration; '0s' = not
 * kept). Entries are dropped as soon as core-metadata's system events say they changed; the TTL only bounds
 * staleness should an event be missed.
 */
export const coreCommandConfigSchema = commonConfigSchema.extend({
  MetadataCache: z.object({ TTL: goDuration.default('30s') }).prefault({}),
});

export type CoreCommandConfig = z.infer<typeof coreCommandConfigSchema>;
export type CoreCommandConfigInput = DeepPartial<z.input<typeof coreCommandConfigSchema>>;

/** EdgeX's ports for core-command (REST 59882, gRPC 49882); core-metadata where EdgeX runs it. */
export const CORE_COMMAND_DEFAULTS: CoreCommandConfigInput = {
  Service: { Port: 59882, GrpcPort: 49882 },
  MessageBus: { Optional: { ClientId: SERVICE_NAME } },
  Clients: { 'core-metadata': { Host: 'localhost', Port: 59881, GrpcPort: 49881 } },
};

export function loadCoreCommandConfig(opts: {
  overrides?: CoreCommandConfigInput;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}): CoreCommandConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: coreCommandConfigSchema,
    defaults: CORE_COMMAND_DEFAULTS,
    overrides: opts.overrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
}
