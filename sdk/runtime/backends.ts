import type { Logger } from 'pino';
import { isLoadedConfig } from './config.js';
import type { CommonConfig } from './config-schema.js';
import { createConsulClient } from './consul-client.js';
import { loadConsulConfig } from './consul-config.js';
import { ConsulRegistry } from './consul-registry.js';
import { setLogLevel } from './log.js';
import { StaticRegistry, type Registry } from './registry.js';
import { WritableWatcher, type WritableChange } from './writable-watch.js';

/** Which registry a runtime uses: from Clients, Consul's catalog, or one handed in by the caller. */
export type RegistryType = 'static' | 'consul' | 'custom';

export interface RuntimeBackends {
  registry: Registry;
  registryType: RegistryType;
  /** Set when the configuration lives in Consul KV (Registry.Type consul and a config from loadConfig). */
  watcher: WritableWatcher | undefined;
}

/**
 * Picks the registry and configuration provider from config.Registry (Type consul, e.g. via CONSUL_HTTP_ADDR):
 * with Consul, loads the service's KV folder into `config` (in place; seeding it on first start), sets the
 * log level from the result, and prepares a watcher of its Writable keys (not started).
 */
export async function setUpBackends(
  name: string,
  config: CommonConfig,
  log: Logger,
  explicit: Registry | undefined,
  onWritableChange: (changes: WritableChange[]) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RuntimeBackends> {
  const settings = config.Registry as CommonConfig['Registry'] | undefined;
  if (settings?.Type !== 'consul') {
    return { registry: explicit ?? new StaticRegistry(config.Clients), registryType: explicit ? 'custom' : 'static', watcher: undefined };
  }
  const consul = await createConsulClient(settings, env);
  let watcher: WritableWatcher | undefined;
  if (isLoadedConfig(config)) {
    const levelBefore = config.Writable.LogLevel;
    const { prefix } = await loadConsulConfig(consul, config, name, log);
    // Like a run-time change: a LogLevel that Consul changed is applied to the logger (a caller's too).
    if (config.Writable.LogLevel !== levelBefore) setLogLevel(log, config.Writable.LogLevel);
    watcher = new WritableWatcher(consul, config, prefix, log, onWritableChange);
  } else {
    log.warn('config: not loaded with loadConfig, so it is not read from Consul KV (registry only)');
  }
  const registry = explicit ?? new ConsulRegistry(consul, config.Registry, log);
  return { registry, registryType: explicit ? 'custom' : 'consul', watcher };
}
