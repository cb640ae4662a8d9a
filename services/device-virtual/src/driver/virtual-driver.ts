/**
 * The virtual protocol driver: devices that exist only in memory. Each value resource produces generated
 * values (see generators.ts) while its companion Bool resource `EnableRandomization_<Resource>` is true
 * (the default, or the companion's `defaultValue` in the profile); when it is false, reads return the last
 * written value. Writes store the value (type-checked) or switch randomization. Nothing is persisted.
 */
import type { CommandRequest, CommandValue, DeviceServiceSdk, ProtocolDriver, Protocols } from '@edgex-ts/device-sdk';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { createGenerator, type GeneratedValue, type Generator } from './generators.js';
import { coerceWritten, isVirtualValueType, type VirtualValueType } from './value-types.js';

/** Prefix of the companion resources that switch a resource between generated and written values. */
export const ENABLE_RANDOMIZATION_PREFIX = 'EnableRandomization_';

interface ResourceState {
  valueType: VirtualValueType;
  enableRandomization: boolean;
  value: GeneratedValue | undefined;
  generator: Generator;
}

export class VirtualDriver implements ProtocolDriver {
  private sdk: DeviceServiceSdk | undefined;
  /** device → resource → state */
  private readonly state = new Map<string, Map<string, ResourceState>>();

  initialize(sdk: DeviceServiceSdk): void {
    this.sdk = sdk;
  }

  start(): void {
    this.sdk?.log.info(`virtual driver started with ${this.sdk.getDevices().length} devices`);
  }

  stop(): void {
    this.state.clear();
  }

  addDevice(deviceName: string): void {
    this.state.set(deviceName, new Map());
  }

  /** Profile or attribute changes take effect on the next read: the device's state starts afresh. */
  updateDevice(deviceName: string): void {
    this.state.set(deviceName, new Map());
  }

  removeDevice(deviceName: string): void {
    this.state.delete(deviceName);
  }

  async handleReadCommands(deviceName: string, _protocols: Protocols, requests: CommandRequest[]): Promise<CommandValue[]> {
    return requests.map((req) => {
      const companion = companionOf(req.deviceResourceName);
      if (companion !== undefined) {
        const target = this.resourceState(deviceName, companion);
        return { deviceResourceName: req.deviceResourceName, valueType: 'Bool', value: target.enableRandomization };
      }
      const s = this.resourceState(deviceName, req.deviceResourceName, req);
      if (s.enableRandomization || s.value === undefined) s.value = s.generator.next();
      return { deviceResourceName: req.deviceResourceName, valueType: s.valueType, value: s.value };
    });
  }

  async handleWriteCommands(deviceName: string, _protocols: Protocols, requests: CommandRequest[], values: CommandValue[]): Promise<void> {
    if (requests.length !== values.length) {
      throw new EdgeXError('ContractInvalid', `${deviceName}: ${requests.length} resources to write but ${values.length} values`);
    }
    // validate everything first so a bad value leaves the device unchanged
    type Update = { state: ResourceState; flag: boolean } | { state: ResourceState; value: GeneratedValue };
    const updates = requests.map((req, i): Update => {
      const v = values[i];
      const companion = companionOf(req.deviceResourceName);
      try {
        if (companion !== undefined) {
          return { state: this.resourceState(deviceName, companion), flag: coerceWritten('Bool', v.value, req.deviceResourceName) as boolean };
        }
        const state = this.resourceState(deviceName, req.deviceResourceName, req);
        return { state, value: coerceWritten(state.valueType, v.value, req.deviceResourceName) };
      } catch (err) {
        if (err instanceof EdgeXError) throw err;
        throw new EdgeXError('ContractInvalid', `${deviceName}/${errorMessage(err)}`, err);
      }
    });
    for (const u of updates) {
      if ('flag' in u) u.state.enableRandomization = u.flag;
      else u.state.value = u.value;
    }
  }

  private resourceState(deviceName: string, resourceName: string, req?: CommandRequest): ResourceState {
    let device = this.state.get(deviceName);
    if (!device) {
      device = new Map();
      this.state.set(deviceName, device);
    }
    let s = device.get(resourceName);
    if (s) return s;
    const resource = this.sdk?.deviceResource(deviceName, resourceName);
    const valueType = req?.valueType ?? resource?.properties.valueType;
    if (!valueType) throw new EdgeXError('NotFound', `${deviceName}: no resource named ${resourceName}`);
    if (!isVirtualValueType(valueType)) {
      throw new EdgeXError('NotImplemented', `${deviceName}/${resourceName}: valueType ${valueType} is not supported by the virtual driver`);
    }
    let generator: Generator;
    try {
      generator = createGenerator({
        resource: `${deviceName}/${resourceName}`,
        valueType,
        minimum: resource?.properties.minimum,
        maximum: resource?.properties.maximum,
        attributes: req?.attributes ?? resource?.attributes,
      });
    } catch (err) {
      throw new EdgeXError('ContractInvalid', errorMessage(err), err);
    }
    const flagDefault = this.sdk?.deviceResource(deviceName, ENABLE_RANDOMIZATION_PREFIX + resourceName)?.properties.defaultValue;
    s = { valueType, enableRandomization: flagDefault === undefined ? true : flagDefault.trim().toLowerCase() !== 'false', value: undefined, generator };
    const initial = resource?.properties.defaultValue;
    if (initial !== undefined && valueType !== 'Binary') {
      try {
        s.value = coerceWritten(valueType, initial, resourceName);
      } catch {
        // an unusable defaultValue just means no initial value
      }
    }
    device.set(resourceName, s);
    return s;
  }
}

function companionOf(resourceName: string): string | undefined {
  return resourceName.startsWith(ENABLE_RANDOMIZATION_PREFIX) ? resourceName.slice(ENABLE_RANDOMIZATION_PREFIX.length) : undefined;
}
