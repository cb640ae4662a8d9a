/**
 * SNMP values ⇄ EdgeX values. Reads turn a varbind into the resource's value type (integers of any SNMP syntax
 * into Int/Uint/Float types with a range check, OctetString into String or Binary, OID and IpAddress into
 * String); writes encode an EdgeX value as the SNMP syntax named by `snmpType` or inferred from the value type.
 * Pure functions, no I/O.
 */
import { isIP } from 'node:net';
import { EdgeXError, INT_RANGES, isArrayType } from '@edgex-ts/contracts';
import type { CommandValueValue } from '@edgex-ts/device-sdk';
import type { OctetEncoding, ResourceSpec, SetType } from './attributes.js';
import { ObjectType, type Varbind } from './net-snmp.js';

/** A varbind's value in a form that does not depend on its SNMP syntax. */
export type SnmpNative =
  | { kind: 'int'; value: bigint; syntax: string }
  | { kind: 'bytes'; value: Buffer; syntax: string }
  | { kind: 'text'; value: string; syntax: string }
  | { kind: 'bool'; value: boolean; syntax: string };

const SYNTAX_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ObjectType).map(([name, tag]) => [tag, name]));

export function syntaxName(type: number): string {
  return SYNTAX_NAMES[type] ?? `type ${type}`;
}

/** The agent's answer when it has no value: noSuchObject, noSuchInstance or endOfMibView. */
export function isExceptionVarbind(vb: Varbind): boolean {
  return vb.type === ObjectType.NoSuchObject || vb.type === ObjectType.NoSuchInstance || vb.type === ObjectType.EndOfMibView;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function bytesToBigInt(b: Buffer): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`);
}

/** The varbind's value, or an Error naming the OID when the agent answered with an exception or Null. */
export function nativeOf(vb: Varbind): SnmpNative {
  const syntax = syntaxName(vb.type);
  if (isExceptionVarbind(vb)) throw new Error(`${vb.oid}: ${lowerFirst(syntax)} (the agent has no value for this OID)`);
  switch (vb.type) {
    case ObjectType.Boolean:
      return { kind: 'bool', value: Boolean(vb.value), syntax };
    case ObjectType.Integer:
    case ObjectType.Counter:
    case ObjectType.Gauge:
    case ObjectType.TimeTicks:
    case ObjectType.Counter64: {
      const v = vb.value;
      if (Buffer.isBuffer(v)) return { kind: 'int', value: bytesToBigInt(v), syntax };
      if (typeof v === 'number' && Number.isInteger(v)) return { kind: 'int', value: BigInt(v), syntax };
      if (typeof v === 'bigint') return { kind: 'int', value: v, syntax };
      throw new Error(`${vb.oid}: malformed ${syntax} value ${String(v)}`);
    }
    case ObjectType.OctetString:
    case ObjectType.Opaque:
      return { kind: 'bytes', value: Buffer.isBuffer(vb.value) ? vb.value : Buffer.from(String(vb.value)), syntax };
    case ObjectType.OID:
    case ObjectType.IpAddress:
      return { kind: 'text', value: String(vb.value), syntax };
    default:
      throw new Error(`${vb.oid}: the agent returned ${syntax}, which has no value`);
  }
}

const PRINTABLE = /^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as `aa:bb:cc` (how EdgeX device-snmp showed 6-byte MAC addresses). */
export function hexBytes(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** OctetString as a String: UTF-8 text, or hex bytes when `hex`, or (auto) when not printable text. */
export function octetsToString(b: Buffer, encoding: OctetEncoding): string {
  if (encoding === 'hex') return hexBytes(b);
  let s: string | undefined;
  try {
    s = utf8.decode(b);
  } catch {
    s = undefined;
  }
  if (encoding === 'text') return s ?? b.toString('latin1');
  return s !== undefined && PRINTABLE.test(s) ? s : hexBytes(b);
}

function cannot(resource: string, oid: string, native: SnmpNative, valueType: string, why = ''): Error {
  return new Error(`deviceResource ${resource}: ${oid} is ${native.syntax}, which cannot be read as ${valueType}${why ? ` (${why})` : ''}`);
}

function integerFromText(s: string): bigint | undefined {
  return /^\s*[+-]?\d+\s*$/.test(s) ? BigInt(s.trim()) : undefined;
}

/** One SNMP value as a scalar of `valueType`. */
export function toScalar(resource: string, valueType: string, oid: string, native: SnmpNative, encoding: OctetEncoding): CommandValueValue {
  const range = INT_RANGES[valueType];
  if (range) {
    let n: bigint | undefined;
    if (native.kind === 'int') n = native.value;
    else if (native.kind === 'bool') n = native.value ? 1n : 0n;
    else if (native.kind === 'bytes') n = integerFromText(native.value.toString('utf8'));
    if (n === undefined) throw cannot(resource, oid, native, valueType);
    if (n < range[0] || n > range[1]) throw cannot(resource, oid, native, valueType, `${n} is out of range ${range[0]}..${range[1]}`);
    return valueType === 'Int64' || valueType === 'Uint64' ? n : Number(n);
  }
  switch (valueType) {
    case 'Float32':
    case 'Float64': {
      if (native.kind === 'int') return Number(native.value);
      if (native.kind === 'bytes') {
        const f = Number(native.value.toString('utf8').trim());
        if (native.value.length > 0 && Number.isFinite(f)) return valueType === 'Float32' ? Math.fround(f) : f;
      }
      throw cannot(resource, oid, native, valueType);
    }
    case 'Bool': {
      if (native.kind === 'bool') return native.value;
      // SNMPv2-TC TruthValue: true(1), false(2)
      if (native.kind === 'int' && (native.value === 1n || native.value === 2n || native.value === 0n)) return native.value === 1n;
      if (native.kind === 'bytes' && /^(true|false)$/i.test(native.value.toString('utf8').trim()))
        return native.value.toString('utf8').trim().toLowerCase() === 'true';
      throw cannot(resource, oid, native, valueType, 'expected TruthValue 1 or 2');
    }
    case 'String':
      if (native.kind === 'bytes') return octetsToString(native.value, encoding);
      return String(native.value);
    case 'Binary':
      if (native.kind === 'bytes') return new Uint8Array(native.value);
      throw cannot(resource, oid, native, valueType);
    case 'Object':
      return jsonOf(native, encoding) as CommandValueValue;
    default:
      throw new Error(`deviceResource ${resource}: valueType ${valueType} needs attributes.walk: true (it holds several values)`);
  }
}

/** A JSON-friendly value: integers as numbers when exact, else as decimal strings. */
function jsonOf(native: SnmpNative, encoding: OctetEncoding): unknown {
  switch (native.kind) {
    case 'int':
      return native.value >= BigInt(Number.MIN_SAFE_INTEGER) && native.value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(native.value)
        : native.value.toString();
    case 'bytes':
      return octetsToString(native.value, encoding);
    default:
      return native.value;
  }
}

/** A GET answer as the resource's value. */
export function readValue(spec: Pick<ResourceSpec, 'resourceName' | 'valueType' | 'encoding'>, vb: Varbind): CommandValueValue {
  return toScalar(spec.resourceName, spec.valueType, vb.oid, nativeOf(vb), spec.encoding);
}

/**
 * A walk's varbinds (every OID below `base`, in order) as one value: `Object` keyed by the OID suffix,
 * `ObjectArray` of `{oid, type, value}` rows, or an array of the element type.
 */
export function walkValue(spec: Pick<ResourceSpec, 'resourceName' | 'valueType' | 'encoding' | 'oid'>, varbinds: Varbind[]): CommandValueValue {
  const rows = varbinds.map((vb) => ({ vb, native: nativeOf(vb) }));
  if (spec.valueType === 'Object') {
    return Object.fromEntries(rows.map(({ vb, native }) => [vb.oid.slice(spec.oid.length + 1), jsonOf(native, spec.encoding)]));
  }
  if (spec.valueType === 'ObjectArray') {
    return rows.map(({ vb, native }) => ({ oid: vb.oid, type: native.syntax, value: jsonOf(native, spec.encoding) }));
  }
  if (!isArrayType(spec.valueType))
    throw new Error(`deviceResource ${spec.resourceName}: a walk needs valueType Object, ObjectArray or an array type, not ${spec.valueType}`);
  const element = spec.valueType.slice(0, -'Array'.length);
  return rows.map(({ vb, native }) => toScalar(spec.resourceName, element, vb.oid, native, spec.encoding));
}

/** The SNMP syntax a SET of `valueType` sends when the resource names none. */
export function inferSetType(valueType: string): SetType | undefined {
  switch (valueType) {
    case 'Bool':
    case 'Int8':
    case 'Int16':
    case 'Int32':
      return 'Integer';
    case 'Uint8':
    case 'Uint16':
    case 'Uint32':
      return 'Gauge';
    case 'Int64':
    case 'Uint64':
      return 'Counter64';
    case 'String':
    case 'Binary':
      return 'OctetString';
    default:
      return undefined;
  }
}

function badValue(resource: string, value: unknown, type: string, why: string): EdgeXError {
  const shown = typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? `${value.length} bytes` : JSON.stringify(value);
  return new EdgeXError('ContractInvalid', `deviceResource ${resource}: ${shown} cannot be sent as SNMP ${type}: ${why}`);
}

function integerOf(resource: string, value: CommandValueValue, type: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 2n; // TruthValue
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string') {
    const n = integerFromText(value);
    if (n !== undefined) return n;
  }
  throw badValue(resource, value, type, 'expected an integer');
}

function inRange(resource: string, value: CommandValueValue, type: string, n: bigint, min: bigint, max: bigint): number {
  if (n < min || n > max) throw badValue(resource, value, type, `out of range ${min}..${max}`);
  return Number(n);
}

function bytesOf(value: CommandValueValue): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'object' && !Array.isArray(value)) return Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.from(String(value), 'utf8');
}

/** The varbind a SET sends for `value`; throws ContractInvalid naming the resource when it does not fit. */
export function writeVarbind(spec: Pick<ResourceSpec, 'resourceName' | 'valueType' | 'oid' | 'snmpType' | 'walk'>, value: CommandValueValue): Varbind {
  const name = spec.resourceName;
  if (spec.walk) throw new EdgeXError('ContractInvalid', `deviceResource ${name}: a walk resource cannot be written`);
  const type = spec.snmpType ?? inferSetType(spec.valueType);
  if (!type)
    throw new EdgeXError(
      'ContractInvalid',
      `deviceResource ${name}: valueType ${spec.valueType} has no SNMP syntax; set attributes.snmpType (e.g. Integer or OctetString)`,
    );
  const oid = spec.oid;
  switch (type) {
    case 'Integer':
      return { oid, type: ObjectType.Integer, value: inRange(name, value, type, integerOf(name, value, type), -(2n ** 31n), 2n ** 31n - 1n) };
    case 'Counter':
    case 'Gauge':
    case 'TimeTicks':
      return { oid, type: ObjectType[type], value: inRange(name, value, type, integerOf(name, value, type), 0n, 2n ** 32n - 1n) };
    case 'Counter64': {
      const n = integerOf(name, value, type);
      if (n < 0n || n >= 2n ** 64n) throw badValue(name, value, type, `out of range 0..${2n ** 64n - 1n}`);
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(n);
      return { oid, type: ObjectType.Counter64, value: b };
    }
    case 'Boolean':
      if (typeof value !== 'boolean') throw badValue(name, value, type, 'expected true or false');
      return { oid, type: ObjectType.Boolean, value };
    case 'OctetString':
    case 'Opaque':
      return { oid, type: ObjectType[type], value: bytesOf(value) };
    case 'OID': {
      const s = normalisedText(value);
      if (!/^\d+(\.\d+)+$/.test(s)) throw badValue(name, value, type, 'expected a numeric OID such as 1.3.6.1.4.1');
      return { oid, type: ObjectType.OID, value: s };
    }
    case 'IpAddress': {
      const s = normalisedText(value);
      if (isIP(s) !== 4) throw badValue(name, value, type, 'expected an IPv4 address such as 192.0.2.1');
      return { oid, type: ObjectType.IpAddress, value: s };
    }
  }
}

function normalisedText(value: CommandValueValue): string {
  return String(value).trim().replace(/^\./, '');
}
