import { durationMs, newCounter, startService, type RunningServiceHandle, type StartServiceOptions } from '@edgex-ts/runtime';
import { CoreCommandSource } from './clients/core-command.js';
import { loadSupportSchedulerConfig, SERVICE_NAME, type SupportSchedulerConfig, type SupportSchedulerConfigInput } from './config.js';
import { createRunner, createSchedulerDomain, seedFromConfig, startRetention, type SchedulerDomain } from './domain/index.js';
import { mountGrpcService } from './grpc/index.js';
import { mountRestRoutes } from './rest/index.js';
import { openSchedulerStores } from './store/open.js';

export {
  SERVICE_NAME,
  loadSupportSchedulerConfig,
  supportSchedulerConfigSchema,
  SUPPORT_SCHEDULER_DEFAULTS,
  type SupportSchedulerConfig,
  type SupportSchedulerConfigInput,
} from './config.js';
export { createSchedulerDomain, type SchedulerDomain, type SchedulerDomainDeps } from './domain/index.js';
export type * from './store/types.js';

export type StartSupportSchedulerOptions = StartServiceOptions<SupportSchedulerConfigInput>;

export interface SupportSchedulerHandle extends RunningServiceHandle<SupportSchedulerConfig> {
  readonly domain: SchedulerDomain;
}

/**
 * Starts support-scheduler: store (SQLite, or MongoDB when Database.Type is mongodb), EdgeX v3 REST (59861) with
 * v3 intervals and v4 jobs, gRPC (49861). Seeds the configured intervals (EdgeX's `scrub-aged-events`) at first
 * start, then restores every schedule, recording the runs missed while it was down.
 */
export async function startSupportScheduler(options: StartSupportSchedulerOptions = {}): Promise<SupportSchedulerHandle> {
  const config = loadSupportSchedulerConfig({ overrides: options.configOverrides, file: options.file, argv: options.argv, env: options.env });
  return startService(SERVICE_NAME, config, options, async (runtime) => {
    const stores = await openSchedulerStores(config.Database, runtime.log);
    runtime.onStop(() => stores.close());
    const timeoutMs = durationMs(config.Service.RequestTimeout);
    const coreCommand = new CoreCommandSource(runtime.registry, timeoutMs);
    runtime.onStop(() => coreCommand.close());
    const runs = newCounter(runtime.metrics, 'support_scheduler_action_runs_total', 'Schedule action runs by outcome (SUCCEEDED, FAILED, MISSED)', ['status']);
    const runner = createRunner({ stores, log: runtime.log, runs, targets: { bus: runtime.bus, coreCommand: () => coreCommand.client(), timeoutMs } });
    const domain = createSchedulerDomain({
      ...runner,
      stores,
      log: runtime.log,
      tickMs: config.ScheduleIntervalTime,
      maxMissedRecords: config.MaxMissedRecords,
    });
    // Stopped before the bus and the store close (onStop runs in reverse): runs going on finish first.
    runtime.onStop(() => domain.stop());
    if (config.Retention.Enabled) {
      const { Interval, MaxCap, MinCap } = config.Retention;
      const retention = startRetention(stores.records, { intervalMs: durationMs(Interval), maxCap: MaxCap, minCap: MinCap }, runtime.log);
      runtime.onStop(() => retention.stop());
    }

    mountRestRoutes(runtime.rest, domain, { maxResultCount: config.Service.MaxResultCount });
    mountGrpcService(runtime, domain);
    await runtime.start();
    await seedFromConfig(config, domain, stores, runtime.log);
    await domain.restore();
    return { domain };
  });
}
