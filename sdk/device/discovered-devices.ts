/**
 * Devices a driver's discovery found → core-metadata: each unknown device accepted by one of this service's
 * provision watchers is added (core-metadata validates it with this service and announces it, which adds it to
 * the cache through the system event).
 */
import type { Logger } from 'pino';
import { EdgeXError, errorMessage, hasErrorKind } from '@edgex-ts/contracts';
import type { DeviceCache } from './device-cache.js';
import { deviceFromDiscovery, matchingWatcher, type DiscoveredDevice, type DiscoveryResult } from './discovery.js';
import type { MetadataClient } from './metadata-client.js';

export interface DiscoveredDevicesOptions {
  serviceName: string;
  cache: DeviceCache;
  metadata: MetadataClient;
  log: Logger;
}

export async function addDiscoveredDevices(found: DiscoveredDevice[], opts: DiscoveredDevicesOptions): Promise<DiscoveryResult> {
  const { cache, log } = opts;
  const result: DiscoveryResult = { added: [], existing: [], unmatched: [], failed: [] };
  for (const d of found) {
    if (!d || typeof d.name !== 'string' || d.name === '' || d.protocols === null || typeof d.protocols !== 'object') {
      throw new EdgeXError('ContractInvalid', `discovered device ${JSON.stringify(d?.name)}: name and protocols are required`);
    }
    if (cache.devices.has(d.name)) {
      result.existing.push(d.name);
      continue;
    }
    const watcher = matchingWatcher(d, cache.watchers.values());
    if (!watcher) {
      result.unmatched.push(d.name);
      continue;
    }
    try {
      await (await opts.metadata.get()).addDevice(deviceFromDiscovery(d, watcher, opts.serviceName));
      result.added.push(d.name);
      log.info({ device: d.name, watcher: watcher.name }, `discovered device ${d.name} added`);
    } catch (err) {
      if (hasErrorKind(err, 'DuplicateName')) result.existing.push(d.name);
      else result.failed.push({ name: d.name, error: errorMessage(err) });
    }
  }
  if (result.failed.length) log.warn({ failed: result.failed }, 'core-metadata refused discovered devices');
  return result;
}
