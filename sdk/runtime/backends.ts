import type { Logger } from 'pino';
import type { CommonConfig } from './config-schema.js';
import { EdgeXError } from './contracts.js';
import { StaticRegistry, type Registry } from './registry.js';
import type { ConfigWatcher, WritableChange } from './writable.js';
import { errorMessage } from '@edgex-ts/contracts';

/** Which registry a runtime uses: from Clients, Consul's catalog, or one handed in by the caller. */
export type RegistryType = 'static' | 'consul' | 'custom';

export interface RuntimeBackends {
  registry: Registry;
  registryType: RegistryType;
  /** Set when the configuration lives in Consul KV (Registry.Type consul and a config from loadConfig). */
  watcher: ConfigWatcher | undefined;
}

/** What the runtime needs of @edgex-ts/consul: its `setUpConsulBackends`, of this type. */
export type SetUpRegistryBackends = (
  name: string,
  config: CommonConfig,
  log: Logger,
  explicit: Registry | undefined,
  onWritableChange: (changes: WritableChange[]) => void,
  env: NodeJS.ProcessEnv,
) => Promise<RuntimeBackends>;

interface ConsulPackage {
  setUpConsulBackends: SetUpRegistryBackends;
}

// Consul is an optional package: a service that never uses it does not install the consul client. Loaded by
// name (not imported) so the runtime does not depend on the package that builds on it.
const CONSUL_PACKAGE = '@edgex-ts/consul';

async function loadConsulPackage(): Promise<ConsulPackage> {
  try {
    return (await import(CONSUL_PACKAGE)) as ConsulPackage;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && errorMessage(err).includes(CONSUL_PACKAGE)) {
      throw new EdgeXError(
        'UnexpectedServerError',
        `Registry.Type is consul (set by CONSUL_HTTP_ADDR or the configuration), which needs the ${CONSUL_PACKAGE} package: npm install ${CONSUL_PACKAGE}`,
        err,
      );
    }
    throw err;
  }
}

/**
 * Picks the registry and configuration provider from config.Registry: the Clients section (static), one handed
 * in, or with Registry.Type consul (e.g. via CONSUL_HTTP_ADDR) Consul's catalog and KV through @edgex-ts/consul.
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
  const consul = await loadConsulPackage();
  return consul.setUpConsulBackends(name, config, log, explicit, onWritableChange, env);
}
