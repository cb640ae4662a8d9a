import { startService, type RunningServiceHandle, type StartServiceOptions } from '@edgex-ts/runtime';
import { loadSupportLoggingConfig, SERVICE_NAME, type SupportLoggingConfig, type SupportLoggingConfigInput } from './config.js';
import { createLoggingDomain, type LoggingDomain } from './domain/index.js';
import { mountGrpcService } from './grpc/index.js';
import { supportLoggingMetrics } from './metrics.js';
import { mountRestRoutes } from './rest/index.js';
import { startRetention } from './retention.js';
import { openLogStore } from './store/open.js';

export {
  SERVICE_NAME,
  loadSupportLoggingConfig,
  supportLoggingConfigSchema,
  SUPPORT_LOGGING_DEFAULTS,
  type SupportLoggingConfig,
  type SupportLoggingConfigInput,
} from './config.js';
export { createLoggingDomain, checkLogFilter, type LoggingDomain, type NewLogEntry } from './domain/index.js';
export { runRetentionPass, type RetentionPassResult } from './retention.js';
export { openLogStore } from './store/open.js';
export type { LogStore, LogFilter } from './store/types.js';

export type StartSupportLoggingOptions = StartServiceOptions<SupportLoggingConfigInput>;

export interface SupportLoggingHandle extends RunningServiceHandle<SupportLoggingConfig> {
  readonly domain: LoggingDomain;
}

/**
 * Starts support-logging: EdgeX 1.x's /api/v1/logs routes and a v3-style /api/v3/log API (REST 48061), gRPC
 * (38061), entries in SQLite or MongoDB (Database.Type), Retention passes capping what is kept. It never ships its
 * own log lines (Logging.EnableRemoteLogging does not apply to it: they would feed themselves).
 */
export async function startSupportLogging(options: StartSupportLoggingOptions = {}): Promise<SupportLoggingHandle> {
  const config = loadSupportLoggingConfig({ overrides: options.configOverrides, file: options.file, argv: options.argv, env: options.env });
  return startService(SERVICE_NAME, config, options, async (runtime) => {
    const store = await openLogStore(config.Database, runtime.log);
    runtime.onStop(() => store.close());
    const observer = supportLoggingMetrics(runtime.metrics);
    const domain = createLoggingDomain({ store, maxResultCount: config.Service.MaxResultCount, observer });
    const retention = startRetention(domain, config.Retention, runtime.log, (n) => observer.removed('cap', n));
    if (retention) runtime.onStop(() => retention.stop()); // runs before the store closes

    mountRestRoutes(runtime.rest, domain, config);
    mountGrpcService(runtime, domain);
    await runtime.start();
    return { domain };
  });
}
