/**
 * The contract between the device-service SDK and a protocol driver, after EdgeX's `ProtocolDriver`
 * (device-sdk-go `pkg/interfaces/protocoldriver.go`).
 *
 * The SDK owns everything EdgeX-specific (profiles, devices, auto-events, events on the bus, provisioning);
 * a driver only talks to devices: it reads and writes named resources and is told when devices come and go.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { errorMessage, type Device, type DeviceProfile, type DeviceResource } from '@edgex-ts/contracts';
import type { DiscoveredDevice, DiscoveryResult } from './discovery.js';

/** An EdgeX reading value type (`Bool`, `Int8` … `Float64`, `String`, `Binary`, arrays, `Object`). */
export type ValueType = string;

/** A device's protocol properties: protocol name → property map (values may be strings or numbers). */
export type Protocols = Record<string, Record<string, unknown>>;

/** `LOCKED` devices are left alone by the SDK (no auto-events, no commands). */
export type AdminState = 'LOCKED' | 'UNLOCKED';

/**
 * One resource to read or write, as resolved by the SDK from the profile: a device resource, or one
 * resource operation of a device command (one request per operation, in the command's order).
 */
export interface CommandRequest {
  /** Name of the device resource in the device's profile. */
  deviceResourceName: string;
  /** The resource's protocol-specific `attributes` from the profile (e.g. Modbus register address). */
  attributes: Record<string, unknown>;
  /** The resource's `properties.valueType`. */
  valueType: ValueType;
}

/**
 * A typed value read from (or to be written to) a device resource.
 *
 * `value` is a plain JS value of the type named by `valueType`:
 * `Bool` → boolean; `Int8`..`Int32`, `Uint8`..`Uint32`, `Float32`, `Float64` → number;
 * `Int64`, `Uint64` → bigint (exact; a number is accepted when it is a safe integer); `String` → string;
 * `Binary` → Uint8Array; `Object` → any JSON value; `<T>Array` → array of the element type.
 */
export type CommandValueValue = boolean | number | bigint | string | Uint8Array | object | boolean[] | number[] | bigint[] | string[];

export interface CommandValue {
  deviceResourceName: string;
  valueType: ValueType;
  value: CommandValueValue;
  /** When the value was taken, in ns since the epoch; the SDK stamps the event's origin when absent. */
  origin?: bigint | number;
  /** Tags copied onto the reading. */
  tags?: Record<string, string>;
  /** MIME type of a `Binary` value; defaults to the resource's `properties.mediaType`. */
  mediaType?: string;
}

/** What the SDK hands a driver in {@link ProtocolDriver.initialize}. */
export interface DeviceServiceSdk {
  /** This device service's name (e.g. `device-virtual`). */
  readonly serviceName: string;
  /** The service's logger (child loggers are fine). */
  readonly log: Logger;
  /** Free-form driver settings from the service config's `Driver` section. */
  readonly driverConfig: Readonly<Record<string, string>>;
  /**
   * The service's own config sections declared with `startDeviceService({ configSections })`, validated
   * against their schemas (e.g. `customConfig.MQTTBrokerInfo`). Empty when none were declared.
   */
  readonly customConfig?: Readonly<Record<string, unknown>>;
  /**
   * The SecretData of the `Writable.InsecureSecrets` entry whose SecretName (or, without one, whose entry
   * name) is `name`, as the configuration holds it now (file, environment, Consul, POST /api/v3/secret).
   */
  secret?(name: string): Readonly<Record<string, string>> | undefined;
  /** Calls `listener` with the secret's name whenever an InsecureSecrets entry changes while the service runs. */
  onSecretChange?(listener: (name: string) => void): void;
  /** A device known to this service, or undefined. */
  getDevice(name: string): Device | undefined;
  /** All devices known to this service. */
  getDevices(): Device[];
  /** A device profile known to this service, or undefined. */
  getProfile(name: string): DeviceProfile | undefined;
  /** The resource `resourceName` of `deviceName`'s profile, or undefined. */
  deviceResource(deviceName: string, resourceName: string): DeviceResource | undefined;
  /**
   * Pushes values the device sent on its own (a trap, a subscription, a push message) as one event,
   * after EdgeX's `AsyncValues` channel: the values go through the same read transforms as a GET and are
   * published on the bus like auto-event readings. `sourceName` is a device command or resource of the
   * device's profile; it defaults to the single resource named by the values. Rejects (EdgeXError with
   * kind NotFound / ContractInvalid / ServiceLocked) when the device, source or a value does not fit.
   */
  pushAsyncReadings(deviceName: string, values: CommandValue[], sourceName?: string): Promise<void>;
  /**
   * Reports devices a discovery found (EdgeX's discovered-device channel). Each is matched against this
   * service's UNLOCKED provision watchers; matches not yet known are added to core-metadata (which then
   * hands them to the driver through `addDevice`). Always provided by `startDeviceService`.
   */
  publishDiscoveredDevices?(devices: DiscoveredDevice[]): Promise<DiscoveryResult>;
}

/**
 * Implemented by every protocol driver. All methods may be async; a rejected promise (or a thrown error)
 * is logged by the SDK and, for reads and writes, reported to the caller.
 */
export interface ProtocolDriver {
  /** Called once before anything else; keep the SDK handle for device/profile look-ups and logging. */
  initialize(sdk: DeviceServiceSdk): Promise<void> | void;
  /**
   * Reads the requested resources of one device. Must return one value per request, each naming its
   * `deviceResourceName` (order should follow the requests).
   */
  handleReadCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[]): Promise<CommandValue[]>;
  /** Writes `values[i]` to `requests[i]` of one device. */
  handleWriteCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[], values: CommandValue[]): Promise<void>;
  /** Called after the SDK is fully initialised (devices loaded, before auto-events start). */
  start(): Promise<void> | void;
  /** Called on shutdown; `force` asks for an immediate stop instead of a graceful one. */
  stop(force: boolean): Promise<void> | void;
  /** A device of this service was added (at start for every known device, or later). */
  addDevice(deviceName: string, protocols: Protocols, adminState: AdminState): Promise<void> | void;
  /** A device of this service changed. */
  updateDevice(deviceName: string, protocols: Protocols, adminState: AdminState): Promise<void> | void;
  /** A device of this service was removed. */
  removeDevice(deviceName: string, protocols: Protocols): Promise<void> | void;
  /**
   * Optional: discover devices (on POST /api/v3/discovery or every `Device.Discovery.Interval`, when
   * `Device.Discovery.Enabled`). Report what was found with `sdk.publishDiscoveredDevices`, during or after
   * the call; the SDK runs one discovery at a time.
   */
  discover?(): Promise<void> | void;
  /**
   * Optional: reject a device this driver cannot use (throw; the message reaches the caller of core-metadata).
   * Called when core-metadata validates a new or changed device of this service.
   */
  validateDevice?(device: Device): Promise<void> | void;
  /**
   * Optional: the protocols this driver understands, each with a schema of its properties (e.g.
   * `{ tcp: z.object({ Host: z.string(), Port: z.coerce.number().int() }) }`). When given, core-metadata's
   * validation refuses a device naming none of them, or whose properties fail the schema (the reason names
   * the property, e.g. `protocols.tcp.Port: …`), before `validateDevice` is asked.
   */
  readonly protocolProperties?: Readonly<Record<string, z.ZodType>>;
}

/**
 * The text of what a driver threw. A driver may reject with anything, e.g. a plain object with a message
 * (modbus-serial's errors are), whose message is kept.
 */
export function driverFailureText(err: unknown): string {
  const message: unknown = err !== null && typeof err === 'object' && !(err instanceof Error) ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : errorMessage(err);
}
