/**
 * The handle a driver gets in `initialize`: the service's name, logger and config (Driver section, custom
 * sections, insecure secrets), look-ups in the device cache, and the ways back into the SDK (async readings,
 * discovered devices).
 */
import { insecureSecretNamed, type ServiceRuntime } from '@edgex-ts/runtime';
import type { DeviceServiceConfig } from './config.js';
import type { DeviceCache } from './device-cache.js';
import type { DeviceServiceSdk } from './driver.js';

export interface DriverSdkOptions {
  serviceName: string;
  runtime: ServiceRuntime<DeviceServiceConfig>;
  /** Names of the custom config sections handed over as `customConfig`. */
  customSections: string[];
  cache: DeviceCache;
  pushAsyncReadings: DeviceServiceSdk['pushAsyncReadings'];
  publishDiscoveredDevices: NonNullable<DeviceServiceSdk['publishDiscoveredDevices']>;
}

export function driverSdk(opts: DriverSdkOptions): DeviceServiceSdk {
  const { runtime, cache } = opts;
  const config = runtime.config;
  return {
    serviceName: opts.serviceName,
    log: runtime.log,
    driverConfig: Object.freeze({ ...config.Driver }),
    customConfig: Object.freeze(Object.fromEntries(opts.customSections.map((k) => [k, (config as Record<string, unknown>)[k]]))),
    secret: (secretName) => insecureSecretNamed(runtime.config.Writable.InsecureSecrets, secretName)?.SecretData,
    onSecretChange: (listener) =>
      runtime.onWritableChange((changes) => {
        const entries = new Set(changes.filter((c) => c.path[1] === 'InsecureSecrets' && c.path[2] !== undefined).map((c) => c.path[2]));
        for (const entry of entries) listener(runtime.config.Writable.InsecureSecrets[entry]?.SecretName || entry);
      }),
    getDevice: (n) => cache.devices.get(n),
    getDevices: () => [...cache.devices.values()],
    getProfile: (n) => cache.profiles.get(n),
    deviceResource: (deviceName, resourceName) => cache.resource(deviceName, resourceName),
    pushAsyncReadings: opts.pushAsyncReadings,
    publishDiscoveredDevices: opts.publishDiscoveredDevices,
  };
}
