import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { CoreDataServiceService } from '@edgex-ts/contracts';
import { createServiceRuntime, runningServiceHandle, type RunningServiceHandle } from '@edgex-ts/runtime';
import { BusRepublisher } from './bus/republisher.js';
import { subscribeDeviceEvents } from './bus/subscriber.js';
import { loadCoreDataConfig, SERVICE_NAME, type CoreDataConfig, type CoreDataConfigInput } from './config.js';
import { largestOf } from './domain/backlog.js';
import { CoreDataDomain } from './domain/core-data.js';
import { CORE_DATA_PROTO_NAME, coreDataGrpcService } from './grpc/service.js';
import { coreDataMetrics } from './metrics.js';
import { addCoreDataRoutes } from './rest/routes.js';
import { openEventStore } from './store/open.js';
import { WriteQueue } from './store/write-queue.js';

export { CoreDataDomain } from './domain/core-data.js';
export { SqliteEventStore } from './store/sqlite-store.js';
export { ThreadedEventStore } from './store/threaded-store.js';
export { openEventStore } from './store/open.js';
export { WriteQueue } from './store/write-queue.js';
export type { EventStore, EventFilter, ReadingFilter } from './store/types.js';
export { coreDataConfigSchema, CORE_DATA_DEFAULTS, type CoreDataConfig, type CoreDataConfigInput } from './config.js';

export interface StartCoreDataOptions {
  configOverrides?: CoreDataConfigInput;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  handleSignals?: boolean;
}

export interface CoreDataHandle extends RunningServiceHandle<CoreDataConfig> {
  readonly domain: CoreDataDomain;
}

/** Starts core-data: config → store (SQLite or MongoDB, by Database.Type) + write queue → domain → REST, gRPC and bus ingest. */
export async function startCoreData(options: StartCoreDataOptions = {}): Promise<CoreDataHandle> {
  const config = loadCoreDataConfig({ overrides: options.configOverrides, argv: options.argv, env: options.env });
  const runtime = await createServiceRuntime({ name: SERVICE_NAME, config, handleSignals: options.handleSignals });
  try {
    const store = await openEventStore(config.Database, runtime.log);
    let queue: WriteQueue | undefined;
    const metrics = coreDataMetrics(runtime.metrics, () => queue?.depth ?? 0);
    queue = new WriteQueue(store, { onCommit: metrics.onCommit });
    const republisher = runtime.bus ? new BusRepublisher(runtime.bus, runtime.log, config.Service.EnableNameFieldEscape) : undefined;
    const domain = new CoreDataDomain({
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

    addCoreDataRoutes(runtime.rest, domain, config.Service.MaxResultCount, config.Service.MaxRequestSize);
    runtime.addGrpcService(
      CoreDataServiceService,
      coreDataGrpcService(
        domain,
        republisher ? largestOf(queue, republisher) : queue,
        runtime.log,
        config.Service.MaxResultCount,
      ) as unknown as UntypedServiceImplementation,
      CORE_DATA_PROTO_NAME,
    );
    await runtime.start();
    if (runtime.bus) await subscribeDeviceEvents(runtime.bus, domain, runtime.log, { stopping: () => stopping, onRetry: metrics.onBusStoreRetry });

    return runningServiceHandle(runtime, { domain });
  } catch (err) {
    await runtime.stop().catch(() => undefined);
    throw err;
  }
}
