/**
 * A device service built on the edgex-ts device SDK, for a toy line-based TCP protocol: the template that
 * `npm init @edgex-ts/device-service <name>` copies (see README.md). REST 59990, gRPC 49990.
 */
import { fileURLToPath } from 'node:url';
import { startDeviceService, type DeviceServiceHandle, type StartDeviceServiceOptions } from '@edgex-ts/device-sdk';
import { LineDriver } from './driver.js';

export { LineDriver } from './driver.js';
export { exchange } from './line-client.js';

/** The service's name: its MQTT client id, its topics and the `serviceName` of its devices. */
export const SERVICE_NAME = 'device-template';

/** The package's `res/` folder (same relative path from `src/` and from `dist/`). */
export const RES_DIR = fileURLToPath(new URL('../res/', import.meta.url));

export type StartServiceOptions = Omit<StartDeviceServiceOptions, 'name' | 'driver' | 'defaults'>;

/** Starts the device service; profiles and devices default to the package's `res/` folders. */
export function startService(options: StartServiceOptions = {}): Promise<DeviceServiceHandle> {
  return startDeviceService({
    ...options,
    name: SERVICE_NAME,
    driver: new LineDriver(),
    defaults: {
      Service: { Port: 59990, GrpcPort: 49990 },
      Device: {
        ProfilesDir: `${RES_DIR}profiles`,
        DevicesDir: `${RES_DIR}devices`,
        ProvisionWatchersDir: `${RES_DIR}provisionwatchers`,
      },
    },
  });
}
