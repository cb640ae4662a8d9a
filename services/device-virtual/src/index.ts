/**
 * device-virtual: a device service whose devices exist only in memory and produce generated readings
 * (random within the profile's range, or ramps), for trying the platform without hardware.
 * REST 59900, gRPC 49900, service name `device-virtual`.
 */
import { fileURLToPath } from 'node:url';
import { startDeviceService, type DeviceServiceHandle, type StartDeviceServiceOptions } from '@edgex-ts/device-sdk';
import { VirtualDriver } from './driver/virtual-driver.js';

export { VirtualDriver, ENABLE_RANDOMIZATION_PREFIX } from './driver/virtual-driver.js';
export { createGenerator, type Generator, type GeneratorSpec, type GeneratedValue } from './driver/generators.js';

export const SERVICE_NAME = 'device-virtual';

/**
 * The package's own `res/` folder (profiles and devices shipped with device-virtual). The same relative
 * path works from `src/` (running the TypeScript source) and from `dist/` (compiled).
 */
export const RES_DIR = fileURLToPath(new URL('../res/', import.meta.url));

export type StartDeviceVirtualOptions = Omit<StartDeviceServiceOptions, 'name' | 'driver' | 'defaults'> & {
  /** Defaults to a new {@link VirtualDriver}. */
  driver?: VirtualDriver;
};

/** A running device-virtual. */
export type DeviceVirtualHandle = DeviceServiceHandle;

/** Starts device-virtual; `Device.ProfilesDir`/`DevicesDir` default to the package's `res/` folders. */
export function startDeviceVirtual(options: StartDeviceVirtualOptions = {}): Promise<DeviceVirtualHandle> {
  const { driver, ...rest } = options;
  return startDeviceService({
    ...rest,
    name: SERVICE_NAME,
    driver: driver ?? new VirtualDriver(),
    defaults: {
      Service: { Port: 59900, GrpcPort: 49900 },
      Device: { ProfilesDir: `${RES_DIR}profiles`, DevicesDir: `${RES_DIR}devices` },
    },
  });
}
