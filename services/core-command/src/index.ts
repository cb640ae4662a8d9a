import { EdgeXError } from '@edgex-ts/contracts';
import { durationMs, startService, type RunningServiceHandle, type StartServiceOptions } from '@edgex-ts/runtime';
import { listenForCommands } from './bus/command-listener.js';
import { listenForCommandQueries } from './bus/command-query-listener.js';
import { BusDeviceChannel } from './bus/device-channel.js';
import { followMetadataChanges } from './bus/metadata-events.js';
import { loadCoreCommandConfig, SERVICE_NAME, type CoreCommandConfig, type CoreCommandConfigInput } from './config.js';
import { createCommandDomain, type CommandDomain, type DeviceCommandChannel } from './domain/index.js';
import { mountGrpcService } from './grpc/index.js';
import { CachedMetadata } from './metadata/metadata-cache.js';
import { MetadataSource } from './metadata/metadata-source.js';
import { mountRestRoutes } from './rest/index.js';

export {
  SERVICE_NAME,
  loadCoreCommandConfig,
  coreCommandConfigSchema,
  CORE_COMMAND_DEFAULTS,
  type CoreCommandConfig,
  type CoreCommandConfigInput,
} from './config.js';
export {
  createCommandDomain,
  type CommandDomain,
  type CommandDomainDeps,
  type CoreCommand,
  type CoreCommandParameter,
  type DeviceCoreCommand,
} from './domain/index.js';

export type StartCoreCommandOptions = StartServiceOptions<CoreCommandConfigInput>;

export interface CoreCommandHandle extends RunningServiceHandle<CoreCommandConfig> {
  readonly domain: CommandDomain;
}

/** Without a message bus no device service can be reached. */
const noBus: DeviceCommandChannel = {
  send: () => Promise.reject(new EdgeXError('ServiceUnavailable', 'device services cannot be reached: MessageBus.Disabled is true')),
};

/**
 * Starts core-command: EdgeX v3 REST (59882), gRPC (49882) and the bus command and command-query topics; devices and
 * profiles are looked up in core-metadata (gRPC, found through the registry); commands go to the owning
 * device service over the bus, each answer awaited for Service.RequestTimeout.
 */
export async function startCoreCommand(options: StartCoreCommandOptions = {}): Promise<CoreCommandHandle> {
  const config = loadCoreCommandConfig({ overrides: options.configOverrides, file: options.file, argv: options.argv, env: options.env });
  return startService(SERVICE_NAME, config, options, async (runtime) => {
    const timeoutMs = durationMs(config.Service.RequestTimeout);
    const source = new MetadataSource(runtime.registry, timeoutMs, config.Clients['core-metadata']?.Protocol);
    runtime.onStop(() => source.close());
    const cacheTtlMs = runtime.bus ? durationMs(config.MetadataCache.TTL) : 0;
    const metadata = cacheTtlMs > 0 ? new CachedMetadata(source, cacheTtlMs) : source;
    const domain = createCommandDomain({
      metadata,
      channel: runtime.bus ? new BusDeviceChannel(runtime.bus, timeoutMs, config.Service.EnableNameFieldEscape) : noBus,
      baseUrl: () => `http://${config.Service.Host}:${runtime.restPort}`,
    });

    mountRestRoutes(runtime.rest, domain, { maxResultCount: config.Service.MaxResultCount });
    mountGrpcService(runtime, domain);
    await runtime.start();
    if (runtime.bus && metadata instanceof CachedMetadata) {
      await followMetadataChanges(runtime.bus, runtime.log, (kind, name) => metadata.invalidate(kind, name));
      metadata.clear(); // whatever was looked up before the subscription stood may have missed its event
    }
    if (runtime.bus) {
      runtime.onStop(await listenForCommands(runtime.bus, domain, runtime.log));
      runtime.onStop(await listenForCommandQueries(runtime.bus, domain, config.Service.MaxResultCount, runtime.log));
    }
    return { domain };
  });
}
