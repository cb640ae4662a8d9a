/**
 * The template's protocol driver: reads and writes resources of "line" devices (see line-client.ts).
 * Copy this file and replace the protocol calls with yours; the SDK does the rest (profiles, devices,
 * auto-events, transforms, events on the bus, commands, core-metadata).
 */
import { EdgeXError } from '@edgex-ts/contracts';
import { z, type CommandRequest, type CommandValue, type DeviceServiceSdk, type ProtocolDriver, type Protocols } from '@edgex-ts/device-sdk';
import { exchange } from './line-client.js';

/** What a device's `protocols.line` must hold; core-metadata refuses devices that do not fit. */
const LineProtocol = z.object({ Host: z.string().min(1), Port: z.coerce.number().int().min(1).max(65535) });

/** Where a device listens, from its protocol properties (checked by the SDK before the device got here). */
function endpoint(deviceName: string, protocols: Protocols): { host: string; port: number } {
  const parsed = LineProtocol.safeParse(protocols.line);
  if (!parsed.success) throw new EdgeXError('ContractInvalid', `${deviceName}: protocols.line needs Host and Port`);
  return { host: parsed.data.Host, port: parsed.data.Port };
}

/** The device's text answer as the resource's value type. */
function parseValue(valueType: string, text: string): CommandValue['value'] {
  if (valueType === 'Bool') return text === 'true' || text === '1';
  if (valueType === 'String') return text;
  if (valueType === 'Int64' || valueType === 'Uint64') return BigInt(text);
  const n = Number(text);
  if (Number.isNaN(n)) throw new Error(`expected a number, got ${JSON.stringify(text)}`);
  return n;
}

export class LineDriver implements ProtocolDriver {
  readonly protocolProperties = { line: LineProtocol };
  private sdk!: DeviceServiceSdk;

  initialize(sdk: DeviceServiceSdk): void {
    this.sdk = sdk;
  }

  async handleReadCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[]): Promise<CommandValue[]> {
    const { host, port } = endpoint(deviceName, protocols);
    const values: CommandValue[] = [];
    for (const req of requests) {
      // `attributes.name` lets a profile resource use another name on the device; default: the resource name.
      const name = String(req.attributes.name ?? req.deviceResourceName);
      const answer = await exchange(host, port, `GET ${name}`);
      values.push({ deviceResourceName: req.deviceResourceName, valueType: req.valueType, value: parseValue(req.valueType, answer) });
    }
    return values;
  }

  async handleWriteCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[], values: CommandValue[]): Promise<void> {
    const { host, port } = endpoint(deviceName, protocols);
    for (const [i, req] of requests.entries()) {
      const name = String(req.attributes.name ?? req.deviceResourceName);
      await exchange(host, port, `SET ${name} ${String(values[i].value)}`);
    }
  }

  start(): void {
    this.sdk.log.info({ devices: this.sdk.getDevices().length }, 'line driver started');
  }

  stop(): void {}

  addDevice(deviceName: string): void {
    this.sdk.log.info({ device: deviceName }, 'line device added');
  }

  updateDevice(deviceName: string): void {
    this.sdk.log.info({ device: deviceName }, 'line device updated');
  }

  removeDevice(deviceName: string): void {
    this.sdk.log.info({ device: deviceName }, 'line device removed');
  }
}
