/**
 * device-snmp: a device service for SNMP agents (EdgeX device-snmp compatible protocol properties and resource
 * attributes; GET, SET, walks, SNMP v1/v2c/v3; traps as async readings). REST 59993, gRPC 49993, service name
 * `device-snmp`.
 */
import { fileURLToPath } from 'node:url';
import { newGauge } from '@edgex-ts/runtime';
import { startDeviceService, type DeviceServiceHandle, type StartDeviceServiceOptions } from '@edgex-ts/device-sdk';
import { SnmpDriver } from './driver/snmp-driver.js';
import { DRIVER_CONFIG_DEFAULTS } from './driver/driver-config.js';

export { SnmpDriver, type SnmpDriverOptions } from './driver/snmp-driver.js';
export { parseResource, isWalkValueType, type ResourceSpec, type SetType, type OctetEncoding } from './driver/attributes.js';
export { parseEndpoint, DEFAULT_COMMUNITY, DEFAULT_PORT, type SnmpEndpoint, type SnmpVersion } from './driver/protocol.js';
export { driverSettingsOf, DRIVER_CONFIG_DEFAULTS, DRIVER_DEFAULTS, type SnmpDriverSettings } from './driver/driver-config.js';
export { inferSetType, octetsToString, readValue, walkValue, writeVarbind } from './driver/values.js';
export type { TrapStats } from './driver/trap-router.js';

export const SERVICE_NAME = 'device-snmp';

/** The package's own `res/` folder; the same relative path works from `src/` and from `dist/`. */
export const RES_DIR = fileURLToPath(new URL('../res/', import.meta.url));

export type StartDeviceSnmpOptions = Omit<StartDeviceServiceOptions, 'name' | 'driver' | 'defaults'> & {
  /** Defaults to a new {@link SnmpDriver}. */
  driver?: SnmpDriver;
};

/** A running device-snmp. */
export type DeviceSnmpHandle = DeviceServiceHandle;

/** Starts device-snmp; `Device.ProfilesDir`/`DevicesDir` default to the package's `res/` folders. */
export async function startDeviceSnmp(options: StartDeviceSnmpOptions = {}): Promise<DeviceSnmpHandle> {
  const { driver = new SnmpDriver(), ...rest } = options;
  const handle = await startDeviceService({
    ...rest,
    name: SERVICE_NAME,
    driver,
    defaults: {
      Service: { Port: 59993, GrpcPort: 49993 },
      Device: { ProfilesDir: `${RES_DIR}profiles`, DevicesDir: `${RES_DIR}devices` },
      Driver: { ...DRIVER_CONFIG_DEFAULTS },
    },
  });
  const traps = newGauge(handle.runtime.metrics, 'device_snmp_traps', 'SNMP traps since start by outcome (received, readings, unmatched, rejected)', [
    'outcome',
  ]);
  driver.onTrapStats = (stats) => {
    for (const [outcome, n] of Object.entries(stats)) traps.set({ outcome }, n);
  };
  return handle;
}
