/**
 * device-mqtt: a device service for devices that speak MQTT, following EdgeX device-mqtt's topics, payloads and
 * `MQTTBrokerInfo` config, so existing EdgeX MQTT devices work unchanged. REST 59982, gRPC 49982,
 * service name `device-mqtt`.
 */
import { fileURLToPath } from 'node:url';
import { startDeviceService, type DeviceServiceHandle, type StartDeviceServiceOptions } from '@edgex-ts/device-sdk';
import { BROKER_INFO_SECTION, brokerInfoSchema, loadDriverContext, type BrokerInfoInput } from './config.js';
import { MqttDriver } from './driver/mqtt-driver.js';

export { MqttDriver, type MqttDriverStats } from './driver/mqtt-driver.js';
export {
  BROKER_INFO_SECTION,
  brokerInfoSchema,
  brokerSettings,
  loadDriverContext,
  type BrokerInfo,
  type BrokerInfoInput,
  type BrokerSettings,
  type DriverContext,
} from './config.js';
export { commandTopicOf, parseIncomingTopic, requestTopic, responseRequestId } from './driver/topics.js';
export { jsonOfValue, setPayload, valueFromDevice } from './driver/values.js';

export const SERVICE_NAME = 'device-mqtt';

/** The package's own `res/` folder; the same relative path works from `src/` and from `dist/`. */
export const RES_DIR = fileURLToPath(new URL('../res/', import.meta.url));

type ConfigOverrides = NonNullable<StartDeviceServiceOptions['configOverrides']>;

export type StartDeviceMqttOptions = Omit<StartDeviceServiceOptions, 'name' | 'driver' | 'defaults' | 'configOverrides' | 'configSections'> & {
  /** Highest-precedence config, `MQTTBrokerInfo` included (tests, all-in-one). */
  configOverrides?: ConfigOverrides & { MQTTBrokerInfo?: BrokerInfoInput };
};

/** A running device-mqtt, with its driver (connection state, pending commands, counters). */
export interface DeviceMqttHandle extends DeviceServiceHandle {
  readonly driver: MqttDriver;
}

/**
 * Starts device-mqtt; `Device.ProfilesDir`/`DevicesDir` default to the package's `res/` folders. The service is
 * up even while the device broker is unreachable: the driver keeps connecting in the background.
 */
export async function startDeviceMqtt(options: StartDeviceMqttOptions = {}): Promise<DeviceMqttHandle> {
  const { configOverrides, ...rest } = options;
  const context = loadDriverContext({
    service: SERVICE_NAME,
    file: options.file,
    argv: options.argv,
    env: options.env,
    overrides: { MessageBus: configOverrides?.MessageBus },
  });
  const driver = new MqttDriver(context);
  const handle = await startDeviceService({
    ...rest,
    configOverrides,
    configSections: { [BROKER_INFO_SECTION]: brokerInfoSchema.prefault({}) },
    name: SERVICE_NAME,
    driver,
    defaults: {
      Service: { Port: 59982, GrpcPort: 49982 },
      Device: { ProfilesDir: `${RES_DIR}profiles`, DevicesDir: `${RES_DIR}devices` },
    },
  });
  driver.useMetrics(handle.runtime.metrics);
  return Object.assign(handle, { driver });
}
