import { commonConfigSchema, goDuration, loadConfig, type DeepPartial } from '@edgex-ts/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'support-scheduler';

/** EdgeX v3's `Intervals` entry: an interval seeded into the store at first start. */
const intervalInfoSchema = z.object({
  Name: z.string().min(1),
  /** YYYYMMDDTHHMMSS, local time; '' = from when it is added. */
  Start: z.string().default(''),
  End: z.string().default(''),
  /** Go duration. */
  Interval: z.string().min(1),
});

/** EdgeX v3's `IntervalActions` entry: a REST request on every run of `Interval`, seeded at first start. */
const intervalActionInfoSchema = z.object({
  Name: z.string().min(1),
  Interval: z.string().min(1),
  Host: z.string().default('localhost'),
  Port: z.number().int().min(1).max(65535),
  Protocol: z.string().default('http'),
  Method: z.string().default('GET'),
  Path: z.string().default(''),
  Content: z.string().default(''),
  ContentType: z.string().default(''),
  AdminState: z.enum(['LOCKED', 'UNLOCKED']).default('UNLOCKED'),
  AuthMethod: z.string().default(''),
});

export const supportSchedulerConfigSchema = commonConfigSchema.extend({
  /** The engine's resolution, ms (EdgeX's key; default 500): no schedule may run more often than this. */
  ScheduleIntervalTime: z.number().int().min(10).default(500),
  /** Seeded at first start (by name; one the user deleted is not seeded again). */
  Intervals: z.record(z.string(), intervalInfoSchema).default({}),
  IntervalActions: z.record(z.string(), intervalActionInfoSchema).default({}),
  /** EdgeX v4's retention of schedule action records: when more than MaxCap are kept, the oldest go until MinCap remain. */
  Retention: z
    .object({
      Enabled: z.boolean().default(true),
      Interval: goDuration.default('24h'),
      MaxCap: z.number().int().min(1).default(10000),
      MinCap: z.number().int().min(0).default(8000),
    })
    .prefault({})
    .refine((r) => r.MinCap <= r.MaxCap, { message: 'MinCap must not exceed MaxCap', path: ['MinCap'] }),
  /** MISSED records written for one schedule after a restart at most (a 1s job down for a day would be 86400). */
  MaxMissedRecords: z.number().int().min(0).default(100),
});

export type SupportSchedulerConfig = z.infer<typeof supportSchedulerConfigSchema>;
export type SupportSchedulerConfigInput = DeepPartial<z.input<typeof supportSchedulerConfigSchema>>;

/**
 * EdgeX v3's port (59861; v4 moved it to 59863) and gRPC 49861, core-command where EdgeX runs it, and EdgeX's
 * default schedule: `scrub-aged-events` removes core-data events older than 7 days every midnight.
 */
export const SUPPORT_SCHEDULER_DEFAULTS: SupportSchedulerConfigInput = {
  Service: { Port: 59861, GrpcPort: 49861 },
  Database: { Path: './data/support-scheduler.db' },
  MessageBus: { Optional: { ClientId: SERVICE_NAME } },
  Clients: { 'core-command': { Host: 'localhost', Port: 59882, GrpcPort: 49882 } },
  Intervals: { Midnight: { Name: 'midnight', Start: '20180101T000000', Interval: '24h' } },
  IntervalActions: {
    ScrubAged: {
      Name: 'scrub-aged-events',
      Interval: 'midnight',
      Host: 'localhost',
      Port: 59880,
      Protocol: 'http',
      Method: 'DELETE',
      Path: '/api/v3/event/age/604800000000000',
      AdminState: 'UNLOCKED',
      AuthMethod: 'JWT',
    },
  },
};

export function loadSupportSchedulerConfig(opts: {
  overrides?: SupportSchedulerConfigInput;
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}): SupportSchedulerConfig {
  return loadConfig({
    service: SERVICE_NAME,
    schema: supportSchedulerConfigSchema,
    defaults: SUPPORT_SCHEDULER_DEFAULTS,
    overrides: opts.overrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
}
