/**
 * device-modbus: a device service for Modbus TCP and RTU devices (EdgeX device-modbus compatible
 * protocol properties and resource attributes). REST 59901, gRPC 49901, service name `device-modbus`.
 */
import { fileURLToPath } from 'node:url';
import { startDeviceService, type DeviceServiceHandle, type StartDeviceServiceOptions } from '@edgex-ts/device-sdk';
import { ModbusDriver } from './driver/modbus-driver.js';
import { DRIVER_CONFIG_DEFAULTS } from './driver/driver-config.js';

export { ModbusDriver } from './driver/modbus-driver.js';
export { parseResource, RAW_TYPES, type PrimaryTable, type RawType, type ResourceSpec } from './driver/attributes.js';
export { applySwaps, decodeRegisters, encodeRegisters } from './driver/codec.js';
export { parseEndpoint, connectionKey, type Endpoint, type TcpEndpoint, type RtuEndpoint } from './driver/protocol.js';
export { planReads, type ReadBlock } from './driver/plan.js';

export const SERVICE_NAME = 'device-modbus';

/** The package's own `res/` folder; the same relative path works from `src/` and from `dist/`. */
export const RES_DIR = fileURLToPath(new URL('../res/', import.meta.url));

export type StartDeviceModbusOptions = Omit<StartDeviceServiceOptions, 'name' | 'driver' | 'defaults'> & {
  /** Defaults to a new {@link ModbusDriver}. */
  driver?: ModbusDriver;
};

/** A running device-modbus. */
export type DeviceModbusHandle = DeviceServiceHandle;

/** Starts device-modbus; `Device.ProfilesDir`/`DevicesDir` default to the package's `res/` folders. */
export function startDeviceModbus(options: StartDeviceModbusOptions = {}): Promise<DeviceModbusHandle> {
  const { driver, ...rest } = options;
  return startDeviceService({
    ...rest,
    name: SERVICE_NAME,
    driver: driver ?? new ModbusDriver(),
    defaults: {
      Service: { Port: 59901, GrpcPort: 49901 },
      Device: { ProfilesDir: `${RES_DIR}profiles`, DevicesDir: `${RES_DIR}devices` },
      Driver: { ...DRIVER_CONFIG_DEFAULTS },
    },
  });
}
