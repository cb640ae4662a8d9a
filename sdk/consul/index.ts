export { setUpConsulBackends } from './backend.js';
export { consulAddress, consulErrorText, createConsulClient, type Consul } from './client.js';
export { flattenConfig, kvEntries, kvPrefix, loadConsulConfig } from './config.js';
export { ConsulRegistry } from './registry.js';
export { WritableWatcher } from './writable-watch.js';
