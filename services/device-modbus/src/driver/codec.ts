/**
 * Register bytes ⇄ typed values. Registers travel big-endian (high byte first, first register first);
 * `isByteSwap` swaps the two bytes inside every register and `isWordSwap` reverses the register order,
 * for values of 32 and 64 bits (a 16-bit value is never swapped, like EdgeX). The on-wire type is
 * `rawType` when given, else the value type; the decoded number is then converted to the value type.
 */
import { EdgeXError } from '@edgex-ts/contracts';
import type { CommandValueValue } from '@edgex-ts/device-sdk';
import type { RawType, ResourceSpec } from './attributes.js';

/** Internal on-wire number formats. */
type WireType = RawType | 'INT64' | 'UINT64';

const VALUE_TYPE_WIRE: Record<string, WireType> = {
  Bool: 'UINT16',
  Int8: 'INT16',
  Uint8: 'UINT16',
  Int16: 'INT16',
  Uint16: 'UINT16',
  Int32: 'INT32',
  Uint32: 'UINT32',
  Float32: 'FLOAT32',
  Int64: 'INT64',
  Uint64: 'UINT64',
  Float64: 'FLOAT64',
};

const INT_RANGES: Record<string, [number, number]> = {
  Int8: [-128, 127],
  Uint8: [0, 255],
  Int16: [-32768, 32767],
  Uint16: [0, 65535],
  Int32: [-2147483648, 2147483647],
  Uint32: [0, 4294967295],
};

/** Applies the resource's byte/word swaps; its own inverse, so reads and writes share it. */
export function applySwaps(bytes: Buffer, spec: Pick<ResourceSpec, 'byteSwap' | 'wordSwap'>): Buffer {
  const out = Buffer.from(bytes);
  if (out.length < 4) return out;
  if (spec.byteSwap) out.swap16();
  if (spec.wordSwap) {
    const words = out.length / 2;
    const copy = Buffer.from(out);
    for (let i = 0; i < words; i++) copy.copy(out, i * 2, (words - 1 - i) * 2, (words - i) * 2);
  }
  return out;
}

function wireTypeOf(spec: ResourceSpec): WireType {
  if (spec.rawType) return spec.rawType;
  const t = VALUE_TYPE_WIRE[spec.valueType];
  if (!t) throw new EdgeXError('ContractInvalid', `deviceResource ${spec.resourceName}: valueType ${spec.valueType} is not supported by Modbus registers`);
  return t;
}

function readWire(buf: Buffer, t: WireType): number | bigint {
  switch (t) {
    case 'INT16':
      return buf.readInt16BE(0);
    case 'UINT16':
      return buf.readUInt16BE(0);
    case 'INT32':
      return buf.readInt32BE(0);
    case 'UINT32':
      return buf.readUInt32BE(0);
    case 'FLOAT32':
      return buf.readFloatBE(0);
    case 'FLOAT64':
      return buf.readDoubleBE(0);
    case 'INT64':
      return buf.readBigInt64BE(0);
    case 'UINT64':
      return buf.readBigUInt64BE(0);
  }
}

function overflow(spec: ResourceSpec, value: unknown): EdgeXError {
  return new EdgeXError('OverflowError', `deviceResource ${spec.resourceName}: ${String(value)} does not fit ${spec.valueType}`);
}

/** Converts a wire number to the resource's value type. */
function toValueType(spec: ResourceSpec, n: number | bigint): CommandValueValue {
  const vt = spec.valueType;
  if (vt === 'Bool') return Number(n) !== 0;
  if (vt === 'Float32') return Math.fround(Number(n));
  if (vt === 'Float64') return Number(n);
  if (vt === 'Int64' || vt === 'Uint64') {
    if (typeof n === 'number' && !Number.isFinite(n)) throw overflow(spec, n);
    const b = typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
    if (vt === 'Uint64' && b < 0n) throw overflow(spec, n);
    return b;
  }
  const range = INT_RANGES[vt];
  if (!range) throw new EdgeXError('ContractInvalid', `deviceResource ${spec.resourceName}: valueType ${vt} is not supported by Modbus registers`);
  const v = typeof n === 'bigint' ? Number(n) : Math.trunc(n);
  if (!Number.isFinite(v) || v < range[0] || v > range[1]) throw overflow(spec, n);
  return v;
}

/** Decodes `spec.count` registers (as received, 2 bytes each) into the resource's value. */
export function decodeRegisters(spec: ResourceSpec, registers: Buffer): CommandValueValue {
  if (registers.length !== spec.count * 2) {
    throw new EdgeXError('UnexpectedServerError', `deviceResource ${spec.resourceName}: expected ${spec.count * 2} bytes, got ${registers.length}`);
  }
  if (spec.bit !== undefined) return ((registers.readUInt16BE(0) >> spec.bit) & 1) === 1;
  if (spec.valueType === 'String') {
    const end = registers.indexOf(0);
    return registers.subarray(0, end < 0 ? registers.length : end).toString('latin1');
  }
  return toValueType(spec, readWire(applySwaps(registers, spec), wireTypeOf(spec)));
}

function asNumber(spec: ResourceSpec, value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (!Number.isNaN(n)) return n;
  }
  throw new EdgeXError('ContractInvalid', `deviceResource ${spec.resourceName}: ${JSON.stringify(value)} is not a ${spec.valueType}`);
}

function checkInt(spec: ResourceSpec, t: WireType, n: number | bigint, min: bigint, max: bigint): bigint {
  let b: bigint;
  if (typeof n === 'bigint') b = n;
  else if (Number.isInteger(n)) b = BigInt(n);
  else if (Number.isFinite(n)) b = BigInt(Math.trunc(n));
  else throw new EdgeXError('ContractInvalid', `deviceResource ${spec.resourceName}: ${n} does not fit ${t}`);
  if (b < min || b > max) throw new EdgeXError('ContractInvalid', `deviceResource ${spec.resourceName}: ${String(n)} does not fit ${t}`);
  return b;
}

function writeWire(spec: ResourceSpec, t: WireType, n: number | bigint): Buffer {
  const buf = Buffer.alloc(spec.count * 2);
  switch (t) {
    case 'INT16':
      buf.writeInt16BE(Number(checkInt(spec, t, n, -32768n, 32767n)));
      break;
    case 'UINT16':
      buf.writeUInt16BE(Number(checkInt(spec, t, n, 0n, 65535n)));
      break;
    case 'INT32':
      buf.writeInt32BE(Number(checkInt(spec, t, n, -2147483648n, 2147483647n)));
      break;
    case 'UINT32':
      buf.writeUInt32BE(Number(checkInt(spec, t, n, 0n, 4294967295n)));
      break;
    case 'FLOAT32':
      buf.writeFloatBE(Number(n));
      break;
    case 'FLOAT64':
      buf.writeDoubleBE(Number(n));
      break;
    case 'INT64':
      buf.writeBigInt64BE(checkInt(spec, t, n, -(2n ** 63n), 2n ** 63n - 1n));
      break;
    case 'UINT64':
      buf.writeBigUInt64BE(checkInt(spec, t, n, 0n, 2n ** 64n - 1n));
      break;
  }
  return buf;
}

/** Encodes a value for the resource's registers (not for a bit inside a register: see the driver). */
export function encodeRegisters(spec: ResourceSpec, value: unknown): number[] {
  let bytes: Buffer;
  if (spec.valueType === 'String') {
    const text = String(value);
    bytes = Buffer.alloc(spec.count * 2);
    const raw = Buffer.from(text, 'latin1');
    if (raw.length > bytes.length) {
      throw new EdgeXError(
        'ContractInvalid',
        `deviceResource ${spec.resourceName}: string of ${raw.length} bytes exceeds stringRegisterSize ${spec.count} (${bytes.length} bytes)`,
      );
    }
    raw.copy(bytes);
  } else {
    // An integer value type with a float raw type (or the reverse) is converted on the way out.
    bytes = applySwaps(writeWire(spec, wireTypeOf(spec), asNumber(spec, value)), spec);
  }
  const regs: number[] = [];
  for (let i = 0; i < spec.count; i++) regs.push(bytes.readUInt16BE(i * 2));
  return regs;
}
