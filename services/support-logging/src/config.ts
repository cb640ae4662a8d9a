import { commonConfigSchema, durationMs, goDuration, loadConfig, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'support-logging';

/** True for a Go duration above 0 (a malformed one is reported by goDuration's own check). */
function isPositiveDuration(text: string): boolean {
  try {
    return durationMs(text) > 0;
  } catch {
    return true;
  }
}

/**
 * support-logging's own keys. Retention caps what it keeps: every Interval, entries older than MaxAge go, and when
 * MaxCap or more are stored the oldest go until MinCap remain.
 */
export const supportLoggingConfigSchema = commonConfigSchema.extend({
  Retention: z
    .object({
      Enabled: z.boolean().default(true),
      /** How often a pass runs (Go duration, more than 0). */
      Interval: goDuration.refine(isPositiveDuration, { message: 'must be more than 0' }).default('1m'),
      /** A pass removes the oldest entries when at least this many are stored. */
      MaxCap: z.number().int().min(1).default(100000),
      /** Entries a pass keeps (the newest); less than MaxCap. */
      MinCap: z.number().int().min(1).default(80000),
      /** Entries older than this go ('0s' = no age limit). */
      MaxAge: goDuration.default('168h'),
    })
    .refine((r) => r.MinCap < r.MaxCap, { message: 'MinCap must be less than MaxCap', path: ['MinCap'] })
    .prefault({}),
});

export type SupportLoggingConfig = z.infer<typeof supportLoggingConfigSchema>;
export type SupportLoggingConfigInput = DeepPartial<z.input<typeof supportLoggingConfigSchema>>;

/** EdgeX 1.x's port (48061), gRPC 38061; no message bus (support-logging has no use for it). */
export const SUPPORT_LOGGING_DEFAULTS: SupportLoggingConfigInput = {
  Service: { Port: 48061, GrpcPort: 38061 },
  Database: { Path: './data/support-logging.db' },
  MessageBus: { Disabled: true, Optional: { ClientId: SERVICE_NAME } },
};

export function loadSupportLoggingConfig(opts: {
  overrides?: SupportLoggingConfigInput;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}): SupportLoggingConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: supportLoggingConfigSchema,
    defaults: SUPPORT_LOGGING_DEFAULTS,
    overrides: opts.overrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
}
