/**
 * Values between EdgeX value types and the JSON a device speaks: a device may send a number, a numeric string,
 * a boolean, an array or (for Object resources) any JSON; what we send on a SET is plain JSON of the typed value.
 */
import { EdgeXError, parseJson } from '@edgex-ts/contracts';
import { parseWriteValue, type CommandValueValue } from '@edgex-ts/device-sdk';

/**
 * The JSON a device sent (a reading or a command's answer), integers beyond 2^53 as exact bigints (an Int64
 * counter must not be rounded); undefined when it is not JSON (a bare text value).
 */
export function jsonFromDevice(payload: Buffer): { value: unknown } | undefined {
  try {
    return { value: parseJson(payload, { what: 'device payload' }) };
  } catch {
    return undefined;
  }
}

/** Converts a JSON value from a device into the typed value of `valueType`; ContractInvalid naming the resource. */
export function valueFromDevice(resourceName: string, valueType: string, raw: unknown): CommandValueValue {
  if (raw === null || raw === undefined) throw new EdgeXError('ContractInvalid', `${resourceName}: no value (${String(raw)}) for ${valueType}`);
  if (valueType === 'Object' || valueType === 'ObjectArray') return raw;
  if (valueType === 'Binary') {
    if (raw instanceof Uint8Array) return raw;
    if (typeof raw !== 'string') throw new EdgeXError('ContractInvalid', `${resourceName}: expected base64 text for Binary, got ${typeof raw}`);
  }
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    throw new EdgeXError('ContractInvalid', `${resourceName}: expected a ${valueType} value, got a JSON object`);
  }
  return parseWriteValue(resourceName, valueType, raw);
}

/** JSON text of a typed value as a device gets it on a SET (64-bit integers exact, Float32 in its shortest form). */
export function jsonOfValue(resourceName: string, valueType: string, value: CommandValueValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EdgeXError('ContractInvalid', `${resourceName}: ${value} cannot be sent as JSON`);
    return JSON.stringify(valueType === 'Float32' || valueType === 'Float32Array' ? shortestFloat32(value) : value);
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  if (Array.isArray(value) && valueType.endsWith('Array') && valueType !== 'ObjectArray') {
    return `[${(value as CommandValueValue[]).map((v, i) => jsonOfValue(`${resourceName}[${i}]`, valueType, v)).join(',')}]`;
  }
  return JSON.stringify(value);
}

/** `{"<resource>": <value>}` — the body of a SET, as EdgeX device-mqtt sends it. */
export function setPayload(resourceName: string, valueType: string, value: CommandValueValue): string {
  return `{${JSON.stringify(resourceName)}:${jsonOfValue(resourceName, valueType, value)}}`;
}

/** The shortest decimal that reads back as the same float32 (so 12.3 is sent as 12.3, not 12.300000190734863). */
function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
