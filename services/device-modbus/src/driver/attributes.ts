/**
 * A device resource's Modbus attributes (EdgeX device-modbus `attributes`): which table, where, and how
 * the registers encode the value. Parsed once per request; a bad attribute is a ContractInvalid error
 * naming the resource and the attribute.
 */
import { EdgeXError } from '@edgex-ts/contracts';
import type { CommandRequest } from '@edgex-ts/device-sdk';

export type PrimaryTable = 'COILS' | 'DISCRETE_INPUTS' | 'INPUT_REGISTERS' | 'HOLDING_REGISTERS';
export type RawType = 'INT16' | 'UINT16' | 'INT32' | 'UINT32' | 'FLOAT32' | 'FLOAT64';

export const RAW_TYPES: readonly RawType[] = ['INT16', 'UINT16', 'INT32', 'UINT32', 'FLOAT32', 'FLOAT64'];

/** What the driver needs to know to read or write one resource. */
export interface ResourceSpec {
  resourceName: string;
  valueType: string;
  table: PrimaryTable;
  /** First coil/register (protocol address, 0-based as on the wire). */
  address: number;
  /** Bit inside the register (0 = least significant) for the dotted form `10.3`. */
  bit?: number;
  /** On-wire type when it differs from valueType (registers only). */
  rawType?: RawType;
  byteSwap: boolean;
  wordSwap: boolean;
  /** Coils/discrete inputs or registers to transfer. */
  count: number;
}

const TABLES: Record<string, PrimaryTable> = {
  COILS: 'COILS',
  DISCRETES_INPUT: 'DISCRETE_INPUTS',
  DISCRETE_INPUTS: 'DISCRETE_INPUTS',
  INPUT_REGISTERS: 'INPUT_REGISTERS',
  HOLDING_REGISTERS: 'HOLDING_REGISTERS',
};

/** Bit width of a value type as it sits in registers; undefined for types a register table cannot hold. */
const VALUE_TYPE_BITS: Record<string, number> = {
  Bool: 16,
  Int8: 16,
  Uint8: 16,
  Int16: 16,
  Uint16: 16,
  Int32: 32,
  Uint32: 32,
  Float32: 32,
  Int64: 64,
  Uint64: 64,
  Float64: 64,
};

const RAW_TYPE_BITS: Record<RawType, number> = { INT16: 16, UINT16: 16, INT32: 32, UINT32: 32, FLOAT32: 32, FLOAT64: 64 };

export function isBitTable(table: PrimaryTable): boolean {
  return table === 'COILS' || table === 'DISCRETE_INPUTS';
}

export function isWritableTable(table: PrimaryTable): boolean {
  return table === 'COILS' || table === 'HOLDING_REGISTERS';
}

function invalid(resource: string, message: string): EdgeXError {
  return new EdgeXError('ContractInvalid', `deviceResource ${resource}: ${message}`);
}

function toBool(resource: string, name: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalid(resource, `attribute ${name} = ${JSON.stringify(value)}: expected true or false`);
}

function toInt(resource: string, name: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(resource, `attribute ${name} = ${JSON.stringify(value)}: expected an integer ${min}..${max}`);
  }
  return n;
}

/** Parses `startingAddress`: `10` or the dotted bit form `10.3`. */
function parseAddress(resource: string, value: unknown): { address: number; bit?: number } {
  if (value === undefined || value === null || value === '') throw invalid(resource, 'attribute startingAddress is required');
  const text = String(value).trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw invalid(resource, `attribute startingAddress = ${JSON.stringify(value)}: expected a register number or register.bit`);
  const address = toInt(resource, 'startingAddress', m[1], 0, 65535);
  if (m[2] === undefined) return { address };
  return { address, bit: toInt(resource, 'startingAddress bit', m[2], 0, 15) };
}

/** Parses and checks a request's attributes against its value type. */
export function parseResource(req: CommandRequest): ResourceSpec {
  const name = req.deviceResourceName;
  const a = req.attributes ?? {};
  const tableText = String(a.primaryTable ?? '')
    .trim()
    .toUpperCase();
  const table = TABLES[tableText];
  if (!table) {
    throw invalid(
      name,
      `attribute primaryTable = ${JSON.stringify(a.primaryTable)}: expected one of COILS, DISCRETES_INPUT, INPUT_REGISTERS, HOLDING_REGISTERS`,
    );
  }
  const { address, bit } = parseAddress(name, a.startingAddress);
  const byteSwap = toBool(name, 'isByteSwap', a.isByteSwap);
  const wordSwap = toBool(name, 'isWordSwap', a.isWordSwap);
  const valueType = req.valueType;

  if (isBitTable(table)) {
    if (valueType !== 'Bool') throw invalid(name, `valueType ${valueType} cannot be read from ${table} (expected Bool)`);
    if (bit !== undefined) throw invalid(name, `startingAddress ${String(a.startingAddress)}: a bit address needs a register table`);
    return { resourceName: name, valueType, table, address, byteSwap, wordSwap, count: 1 };
  }

  let rawType: RawType | undefined;
  if (a.rawType !== undefined && a.rawType !== null && a.rawType !== '') {
    const t = String(a.rawType).trim().toUpperCase() as RawType;
    if (!RAW_TYPES.includes(t)) throw invalid(name, `attribute rawType = ${JSON.stringify(a.rawType)}: expected one of ${RAW_TYPES.join(', ')}`);
    rawType = t;
  }

  let count: number;
  if (bit !== undefined) {
    if (valueType !== 'Bool') throw invalid(name, `startingAddress ${String(a.startingAddress)} selects a bit: valueType must be Bool, not ${valueType}`);
    count = 1;
  } else if (valueType === 'String') {
    count = toInt(name, 'stringRegisterSize', a.stringRegisterSize, 1, 123);
  } else {
    const bits = rawType ? RAW_TYPE_BITS[rawType] : VALUE_TYPE_BITS[valueType];
    if (bits === undefined) throw invalid(name, `valueType ${valueType} is not supported by Modbus registers`);
    count = Math.max(1, bits / 16);
  }
  if (address + count > 65536) throw invalid(name, `startingAddress ${address} + ${count} registers runs past 65535`);
  const spec: ResourceSpec = { resourceName: name, valueType, table, address, byteSwap, wordSwap, count };
  if (bit !== undefined) spec.bit = bit;
  if (rawType) spec.rawType = rawType;
  return spec;
}
