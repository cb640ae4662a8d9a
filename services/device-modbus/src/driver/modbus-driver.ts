/**
 * The Modbus protocol driver (EdgeX device-modbus): reads and writes coils, discrete inputs, input and
 * holding registers of Modbus TCP and RTU devices, as described by the resources' attributes.
 */
import type { Logger } from 'pino';
import { EdgeXError, type Device } from '@edgex-ts/contracts';
import type { AdminState, CommandRequest, CommandValue, DeviceServiceSdk, ProtocolDriver, Protocols } from '@edgex-ts/device-sdk';
import { isBitTable, isWritableTable, parseResource, type ResourceSpec } from './attributes.js';
import { decodeRegisters, encodeRegisters } from './codec.js';
import { DEFAULT_CONNECTION_LIMITS, ModbusConnection, type ConnectionLimits } from './connection.js';
import { connectionLimitsOf } from './driver-config.js';
import { planReads, type ReadBlock } from './plan.js';
import { connectionKey, parseEndpoint, type Endpoint, type RtuEndpoint } from './protocol.js';

/** "9600 baud 8E1": speed, data bits, parity, stop bits. */
function lineSettings(e: RtuEndpoint): string {
  return `${e.baudRate} baud ${e.dataBits}${e.parity[0].toUpperCase()}${e.stopBits}`;
}

function unitWord(table: ResourceSpec['table'], count: number): string {
  return isBitTable(table) ? `${count} bit${count === 1 ? '' : 's'}` : `${count} register${count === 1 ? '' : 's'}`;
}

function toBool(spec: ResourceSpec, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  throw new EdgeXError('ContractInvalid', `deviceResource ${spec.resourceName}: ${JSON.stringify(value)} is not a Bool`);
}

export class ModbusDriver implements ProtocolDriver {
  private readonly connections = new Map<string, ModbusConnection>();
  /** The endpoint of each device the SDK added: to close a connection its last device left, and to keep one line's settings. */
  private readonly endpointOfDevice = new Map<string, Endpoint>();
  private log: Logger | undefined;
  private limits: ConnectionLimits;

  /**
   * `limits` win over the service's `Driver` section (MaxQueuedRequests, ReconnectBackoff,
   * ReconnectBackoffMax), which wins over the defaults.
   */
  constructor(private readonly options: { limits?: Partial<ConnectionLimits> } = {}) {
    this.limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  }

  /** Requests refused as busy so far over all connections. */
  get refusedBusyCount(): number {
    let n = 0;
    for (const c of this.connections.values()) n += c.refusedBusy;
    return n;
  }

  /** Modbus requests sent so far over all connections. */
  get requestCount(): number {
    let n = 0;
    for (const c of this.connections.values()) n += c.requestCount;
    return n;
  }

  initialize(sdk: DeviceServiceSdk): void {
    this.log = sdk.log.child({ driver: 'modbus' });
    this.limits = { ...DEFAULT_CONNECTION_LIMITS, ...connectionLimitsOf(sdk.driverConfig), ...this.options.limits };
  }

  start(): void {}

  async stop(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  /** Bad protocol properties throw (ContractInvalid, naming the key): the SDK logs the device as refused. */
  addDevice(deviceName: string, protocols: Protocols, _adminState: AdminState): void {
    const endpoint = parseEndpoint(deviceName, protocols);
    this.warnOfLineConflict(deviceName, endpoint);
    this.endpointOfDevice.set(deviceName, endpoint);
  }

  async updateDevice(deviceName: string, protocols: Protocols, _adminState: AdminState): Promise<void> {
    const before = this.endpointOfDevice.get(deviceName);
    const endpoint = parseEndpoint(deviceName, protocols);
    this.warnOfLineConflict(deviceName, endpoint);
    this.endpointOfDevice.set(deviceName, endpoint);
    if (before === undefined) return;
    if (before.kind === 'rtu' && endpoint.kind === 'rtu' && before.path === endpoint.path && lineSettings(before) !== lineSettings(endpoint)) {
      // Once every device of the line has the new settings, the line is opened again with them.
      if (!this.lineConflict(deviceName, endpoint)) await this.closeConnection(connectionKey(before), 'its line settings changed');
    } else {
      await this.closeIfUnused(connectionKey(before));
    }
  }

  async removeDevice(deviceName: string): Promise<void> {
    const before = this.endpointOfDevice.get(deviceName);
    this.endpointOfDevice.delete(deviceName);
    if (before !== undefined) await this.closeIfUnused(connectionKey(before));
  }

  /** Closes the connection to `key` when no known device uses that endpoint any more. */
  private async closeIfUnused(key: string): Promise<void> {
    for (const endpoint of this.endpointOfDevice.values()) if (connectionKey(endpoint) === key) return;
    await this.closeConnection(key, 'no device uses it any more');
  }

  private async closeConnection(key: string, why: string): Promise<void> {
    const connection = this.connections.get(key);
    if (!connection) return;
    this.connections.delete(key);
    this.log?.debug({ connection: key }, `closing a Modbus connection: ${why}`);
    await connection.close();
  }

  /**
   * Refuses (for core-metadata, before the device is stored) a new device whose serial line settings differ
   * from those of another device on the same line: one line runs at one speed and framing. A device already
   * known may change them (moving a whole line to new settings takes one update per device; until the last,
   * the line keeps the settings it was opened with and a warning names the devices that differ).
   */
  validateDevice(device: Device): void {
    const endpoint = parseEndpoint(device.name, device.protocols);
    if (this.endpointOfDevice.has(device.name)) return;
    const conflict = this.lineConflict(device.name, endpoint);
    if (conflict) throw new EdgeXError('ContractInvalid', conflict);
  }

  /** Devices that reach the driver without validation (files, earlier versions) are taken, with a warning. */
  private warnOfLineConflict(deviceName: string, endpoint: Endpoint): void {
    const conflict = this.lineConflict(deviceName, endpoint);
    if (conflict) this.log?.warn({ device: deviceName }, `${conflict}; its requests use the line as it is opened`);
  }

  private lineConflict(deviceName: string, endpoint: Endpoint): string | undefined {
    if (endpoint.kind !== 'rtu') return undefined;
    for (const [other, e] of this.endpointOfDevice) {
      if (other === deviceName || e.kind !== 'rtu' || e.path !== endpoint.path || lineSettings(e) === lineSettings(endpoint)) continue;
      return (
        `device ${deviceName}: serial line ${endpoint.path} runs at ${lineSettings(e)} for device ${other}, not ${lineSettings(endpoint)}: ` +
        'every device on one line needs the same BaudRate, DataBits, Parity and StopBits'
      );
    }
    return undefined;
  }

  async handleReadCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[]): Promise<CommandValue[]> {
    const endpoint = parseEndpoint(deviceName, protocols);
    const specs = requests.map(parseResource);
    const connection = this.connectionFor(endpoint);
    const values: CommandValue[] = new Array(specs.length);
    for (const block of planReads(specs)) {
      const what = `device ${deviceName}: read ${block.table} ${block.address} (${unitWord(block.table, block.count)}) for ${block.members.map((m) => m.spec.resourceName).join(', ')}`;
      if (isBitTable(block.table)) {
        const bits = await connection.run(endpoint, what, async (client) => {
          const r = block.table === 'COILS' ? await client.readCoils(block.address, block.count) : await client.readDiscreteInputs(block.address, block.count);
          if (!Array.isArray(r?.data) || r.data.length < block.count) throw new Error(`malformed answer: ${r?.data?.length ?? 0} bits for ${block.count}`);
          return r.data;
        });
        for (const { index, spec } of block.members) {
          values[index] = { deviceResourceName: spec.resourceName, valueType: spec.valueType, value: bits[spec.address - block.address] === true };
        }
      } else {
        const bytes = await connection.run(endpoint, what, async (client) => {
          const r =
            block.table === 'HOLDING_REGISTERS'
              ? await client.readHoldingRegisters(block.address, block.count)
              : await client.readInputRegisters(block.address, block.count);
          if (!Buffer.isBuffer(r?.buffer) || r.buffer.length !== block.count * 2) {
            throw new Error(`malformed answer: ${r?.buffer?.length ?? 0} bytes for ${block.count} registers`);
          }
          return r.buffer;
        });
        for (const { index, spec } of block.members) values[index] = this.decode(deviceName, block, spec, bytes);
      }
    }
    return values;
  }

  async handleWriteCommands(deviceName: string, protocols: Protocols, requests: CommandRequest[], values: CommandValue[]): Promise<void> {
    const endpoint = parseEndpoint(deviceName, protocols);
    const specs = requests.map(parseResource);
    if (values.length !== specs.length) {
      throw new EdgeXError('ContractInvalid', `device ${deviceName}: ${specs.length} resources to write but ${values.length} values`);
    }
    const connection = this.connectionFor(endpoint);
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const value = values[i].value;
      if (!isWritableTable(spec.table)) {
        throw new EdgeXError('ContractInvalid', `device ${deviceName}: deviceResource ${spec.resourceName} is in ${spec.table}, which Modbus cannot write`);
      }
      const what = `device ${deviceName}: write ${spec.table} ${spec.address}${spec.bit === undefined ? '' : `.${spec.bit}`} (${unitWord(spec.table, spec.count)}) for ${spec.resourceName}`;
      if (spec.table === 'COILS') {
        const state = toBool(spec, value);
        await connection.run(endpoint, what, (client) => client.writeCoil(spec.address, state));
      } else if (spec.bit !== undefined) {
        const bit = spec.bit;
        const on = toBool(spec, value);
        // Read-modify-write inside one serialized turn, so no other request of this service interleaves.
        await connection.run(endpoint, what, async (client) => {
          const r = await client.readHoldingRegisters(spec.address, 1);
          const old = r.data[0];
          if (typeof old !== 'number') throw new Error('malformed answer: no register');
          const next = on ? old | (1 << bit) : old & ~(1 << bit) & 0xffff;
          await client.writeRegister(spec.address, next);
        });
      } else {
        const regs = encodeRegisters(spec, value);
        await connection.run(endpoint, what, async (client) => {
          if (regs.length === 1) await client.writeRegister(spec.address, regs[0]);
          else await client.writeRegisters(spec.address, regs);
        });
      }
    }
  }

  private decode(deviceName: string, block: ReadBlock, spec: ResourceSpec, bytes: Buffer): CommandValue {
    const from = (spec.address - block.address) * 2;
    try {
      const value = decodeRegisters(spec, bytes.subarray(from, from + spec.count * 2));
      return { deviceResourceName: spec.resourceName, valueType: spec.valueType, value };
    } catch (err) {
      if (err instanceof EdgeXError) {
        throw new EdgeXError(err.kind, `device ${deviceName}: ${spec.table} ${spec.address}: ${err.message}`, err);
      }
      throw err;
    }
  }

  private connectionFor(endpoint: Endpoint): ModbusConnection {
    const key = connectionKey(endpoint);
    let c = this.connections.get(key);
    if (!c) {
      c = new ModbusConnection(key, this.limits);
      this.connections.set(key, c);
      this.log?.debug({ connection: key }, 'new Modbus connection');
    }
    return c;
  }
}
