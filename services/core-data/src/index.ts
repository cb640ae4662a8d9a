import { startService, type RunningServiceHandle, type StartServiceOptions } from '@edgex-ts/runtime';
import { BusRepublisher } from './bus/republisher.js';
import { subscribeDeviceEvents } from './bus/subscriber.js';
import { loadCoreDataConfig, SERVICE_NAME, type CoreDataConfig, type CoreDataConfigInput } from './config.js';
import { createDataDomain, largestOf, type DataDomain } from './domain/index.js';
import { mountGrpcService } from './grpc/index.js';
import { coreDataMetrics } from './metrics.js';
import { mountRestRoutes } from './rest/index.js';
import { startRetention } from './retention.js';
import { openEventStore } from './store/open.js';
import { WriteQueue } from './store/write-queue.js';

export { SERVICE_NAME, loadCoreDataConfig, coreDataConfigSchema, CORE_DATA_DEFAULTS, type CoreDataConfig, type CoreDataConfigInput } from './config.js';
export { createDataDomain, type DataDomain, type DataDomainDeps } from './domain/index.js';
export { SqliteEventStore } from './store/sqlite-store.js';
export { ThreadedEventStore } from './store/threaded-store.js';
export { openEventStore } from './store/open.js';
export { WriteQueue } from './store/write-queue.js';
export { runDeviceCapsPass, runRetentionPass, startRetention, type DeviceCapResult, type RetentionPassResult } from './retention.js';
export type { DeviceTotals, EventStore, EventFilter, ReadingFilter } from './store/types.js';

export type StartCoreDataOptions = StartServiceOptions<CoreDataConfigInput>;

export interface CoreDataHandle extends RunningServiceHandle<CoreDataConfig> {
  readonly domain: DataDomain;
}

/** Starts core-data: config → store (SQLite or MongoDB, by Database.Type) + write queue → domain → REST, gRPC and bus ingest. */
export async function startCoreData(options: StartCoreDataOptions = {}): Promise<CoreDataHandle> {
  const config = loadCoreDataConfig({ overrides: options.configOverrides, file: options.file, argv: options.argv, env: options.env });
  return startService(SERVICE_NAME, config, options, async (runtime) => {
    const store = await openEventStore(config.Database, runtime.log);
    let queue: WriteQueue | undefined;
    const metrics = coreDataMetrics(runtime.metrics, () => queue?.depth ?? 0);
    queue = new WriteQueue(store, { onCommit: metrics.onCommit });
    const republisher = runtime.bus ? new BusRepublisher(runtime.bus, runtime.log, config.Service.EnableNameFieldEscape) : undefined;
    const domain = createDataDomain({
      store,
      queue,
      republisher,
      observer: metrics.observer,
      persist: () => config.Writable.PersistData,
      maxEventSizeKb: config.MaxEventSize,
      maxResultCount: config.Service.MaxResultCount,
    });
    const q = queue;
    // Stop hooks run in reverse: mark stopping, drain the queue (servers are already closed), close the file.
    let stopping = false;
    runtime.onStop(() => store.close());
    runtime.onStop(() => q.close());
    runtime.onStop(() => {
      stopping = true;
    });
    const retention = startRetention({ store, retention: config.Retention, log: runtime.log, onRemoved: metrics.onRetentionPass });
    if (retention) runtime.onStop(() => retention.stop()); // runs before the store closes

    mountRestRoutes(runtime.rest, domain, { maxResultCount: config.Service.MaxResultCount, maxRequestSizeKb: config.Service.MaxRequestSize });
    mountGrpcService(runtime, domain, republisher ? largestOf(queue, republisher) : queue);
    await runtime.start();
    if (runtime.bus) await subscribeDeviceEvents(runtime.bus, domain, runtime.log, { stopping: () => stopping, onRetry: metrics.onBusStoreRetry });

    return { domain };
  });
}
