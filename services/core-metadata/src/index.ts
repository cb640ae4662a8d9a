import { startService, type RunningServiceHandle, type StartServiceOptions } from '@edgex-ts/runtime';
import { parseDuration } from '@edgex-ts/contracts';
import { BusDeviceValidator } from './bus/device-validation.js';
import { BusSystemEventSink } from './bus/system-events.js';
import { loadCoreMetadataConfig, SERVICE_NAME, type CoreMetadataConfig, type CoreMetadataConfigInput } from './config.js';
import { checkUnits, createMetadataDomain, DEFAULT_UOM_FILE, discardEvents, loadUnitsOfMeasure, type MetadataDomain } from './domain/index.js';
import { mountGrpcService } from './grpc/index.js';
import { mountRestRoutes } from './rest/index.js';
import { openMetadataStores } from './store/open.js';

export {
  SERVICE_NAME,
  loadCoreMetadataConfig,
  coreMetadataConfigSchema,
  CORE_METADATA_DEFAULTS,
  type CoreMetadataConfig,
  type CoreMetadataConfigInput,
} from './config.js';
export { createMetadataDomain, type MetadataDomain, type MetadataDomainDeps } from './domain/index.js';
export type * from './store/types.js';

export interface StartCoreMetadataOptions extends StartServiceOptions<CoreMetadataConfigInput> {
  /** false: core-metadata's gRPC API is not served (only EdgeX's REST API, as EdgeX's core-metadata). Default true. */
  grpc?: boolean;
}

export interface CoreMetadataHandle extends RunningServiceHandle<CoreMetadataConfig> {
  readonly domain: MetadataDomain;
}

/** Starts core-metadata: store (SQLite, or MongoDB when Database.Type is mongodb / MONGODB_URL), domain, EdgeX v3 REST (59881), gRPC (49881), system events on the bus. */
export async function startCoreMetadata(options: StartCoreMetadataOptions = {}): Promise<CoreMetadataHandle> {
  const config = loadCoreMetadataConfig({ overrides: options.configOverrides, file: options.file, argv: options.argv, env: options.env });
  const uom = loadUnitsOfMeasure(config.UoM.UoMFile || DEFAULT_UOM_FILE);
  return startService(SERVICE_NAME, config, options, async (runtime) => {
    const stores = await openMetadataStores(config.Database, runtime.log);
    runtime.onStop(() => stores.close());
    const sink = runtime.bus ? new BusSystemEventSink(runtime.bus, runtime.log, config.Service.EnableNameFieldEscape) : undefined;
    if (sink) runtime.onStop(() => sink.flush());
    // Without a bus there is no way to ask device services: devices are stored unvalidated.
    const validator = runtime.bus
      ? new BusDeviceValidator(runtime.bus, parseDuration(config.Service.RequestTimeout), runtime.log, config.Service.EnableNameFieldEscape)
      : undefined;
    // Read at every check: Writable settings can change while the service runs (Consul).
    const checkProfile = (profile: Parameters<typeof checkUnits>[1]) => {
      if (config.Writable.UoM.Validation) checkUnits(uom, profile);
    };
    const domain = createMetadataDomain({ stores, events: sink ?? discardEvents, validator, checkProfile });

    mountRestRoutes(runtime.rest, domain, {
      maxResultCount: config.Service.MaxResultCount,
      maxUploadBytes: config.Service.MaxRequestSize * 1024,
      unitsOfMeasure: uom,
    });
    if (options.grpc !== false) mountGrpcService(runtime, domain);
    await runtime.start();
    return { domain };
  });
}
