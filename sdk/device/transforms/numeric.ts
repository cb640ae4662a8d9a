/**
 * Numeric helpers shared by the read and write transforms: which value types are numeric, their ranges,
 * and profile numbers (`looseNumber`: a number or a numeric string) as plain numbers.
 */
import { EdgeXError, FLOAT32_MAX, INT_RANGES } from '@edgex-ts/contracts';

export function isIntType(t: string): boolean {
  return t in INT_RANGES;
}
export function isUnsignedType(t: string): boolean {
  return t.startsWith('Uint') && isIntType(t);
}
export function isFloatType(t: string): boolean {
  return t === 'Float32' || t === 'Float64';
}
export function isNumericType(t: string): boolean {
  return isIntType(t) || isFloatType(t);
}

/** A profile number (number or numeric string) as a number; undefined when absent or empty. */
export function profileNumber(raw: unknown, field: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw new EdgeXError('ContractInvalid', `${field}: expected a number, got ${JSON.stringify(raw)}`);
  return n;
}

/** A profile integer (uint64 mask, int64 shift: number, bigint or integer string) exactly; undefined when absent or empty. */
export function profileInteger(raw: unknown, field: string): bigint | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw);
  if (typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)) return BigInt(raw.trim());
  throw new EdgeXError('ContractInvalid', `${field}: expected an integer, got ${typeof raw === 'string' ? JSON.stringify(raw) : String(raw)}`);
}

/** True when `v` (a finite float or an integer as number/bigint) fits `valueType`. */
export function fitsType(valueType: string, v: number | bigint): boolean {
  if (isFloatType(valueType)) {
    if (typeof v === 'bigint') return true;
    if (!Number.isFinite(v)) return false;
    return valueType === 'Float64' || Math.abs(v) <= FLOAT32_MAX;
  }
  const range = INT_RANGES[valueType];
  if (!range) return false;
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (Number.isFinite(v) && Number.isInteger(v)) b = BigInt(v);
  else return false;
  return b >= range[0] && b <= range[1];
}

/** `v` in the JS representation of `valueType`: bigint for Int64/Uint64, number otherwise (Float32 rounded). */
export function asTypeValue(valueType: string, v: number | bigint): number | bigint {
  if (valueType === 'Int64' || valueType === 'Uint64') return typeof v === 'bigint' ? v : BigInt(v);
  const n = Number(v);
  return valueType === 'Float32' ? Math.fround(n) : n;
}
