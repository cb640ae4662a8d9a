import { isLoadedConfig, setLogLevel, type SetUpRegistryBackends } from '@edgex-ts/runtime';
import { createConsulClient } from './client.js';
import { loadConsulConfig } from './config.js';
import { ConsulRegistry } from './registry.js';
import { WritableWatcher } from './writable-watch.js';

/**
 * The runtime's Consul backend (it loads this package when Registry.Type is consul): loads the service's KV
 * folder into `config` (in place; seeding it on first start), sets the log level from the result, and prepares
 * a watcher of its Writable keys (not started); the registry is Consul's catalog unless one is handed in.
 */
export const setUpConsulBackends: SetUpRegistryBackends = async (name, config, log, explicit, onWritableChange, env) => {
  const consul = await createConsulClient(config.Registry, env);
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
};
