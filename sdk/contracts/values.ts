import { EdgeXError, errorMessage } from './errors.js';
import { parseJson } from './json.js';

/** EdgeX value types (reference §3.1). ObjectArray is v4-only but accepted. */
export const VALUE_TYPES = [
  'Bool',
  'String',
  'Uint8',
  'Uint16',
  'Uint32',
  'Uint64',
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'Float32',
  'Float64',
  'Binary',
  'BoolArray',
  'StringArray',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'Uint64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Int64Array',
  'Float32Array',
  'Float64Array',
  'Object',
  'ObjectArray',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/**
 * An integer kept exactly: a number while it is safe (|n| <= 2^53 - 1), a bigint beyond. This is the one
 * internal type of 64-bit integers that may exceed 2^53, event and reading origins first (ns since the epoch,
 * ~1.8e18, so bigints in practice). Not bigint everywhere: JSON, CBOR, SQLite and MongoDB all hand small
 * integers over as numbers, and small origins (tests, old data) and every ms/count field beside them stay
 * plain numbers; {@link exactInteger} is the one place that decides, so the same integer never meets itself
 * as two types.
 */
export type ExactInteger = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** The {@link ExactInteger} form of an integer: a number when it is safe, else the bigint. */
export function exactInteger(v: number | bigint): ExactInteger {
  if (typeof v === 'number') return v;
  return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/** A decoded reading value: 64-bit integers are bigint so they round-trip exactly. */
export type ScalarValue = boolean | number | bigint | string;
export type DecodedValue = ScalarValue | ScalarValue[] | Uint8Array | unknown;

/** Inclusive range of each EdgeX integer value type. */
export const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  Int8: [-(2n ** 7n), 2n ** 7n - 1n],
  Int16: [-(2n ** 15n), 2n ** 15n - 1n],
  Int32: [-(2n ** 31n), 2n ** 31n - 1n],
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  Uint8: [0n, 2n ** 8n - 1n],
  Uint16: [0n, 2n ** 16n - 1n],
  Uint32: [0n, 2n ** 32n - 1n],
  Uint64: [0n, 2n ** 64n - 1n],
};
/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export function isArrayType(t: string): boolean {
  return t.endsWith('Array') && t !== 'ObjectArray';
}
function elementType(t: string): string {
  return t.slice(0, -'Array'.length);
}
function invalid(message: string): EdgeXError {
  return new EdgeXError('ContractInvalid', message);
}
function knownType(t: string): void {
  if (!(VALUE_TYPES as readonly string[]).includes(t)) throw invalid(`unknown valueType "${t}"`);
}

// ---------- Go %e formatting ----------

/** Formats like Go's fmt %e (precision 6): 1.234500e+01, -3.000000e-02, 0.000000e+00, +Inf, NaN. */
export function formatGoE(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  if (abs === 0) return `${negative ? '-' : ''}0.${'0'.repeat(precision)}e+00`;
  // Exact rational num/den of the double, then round half to even like Go's strconv.
  const [num, den] = exactRational(abs);
  let exp = Math.floor(Math.log10(abs));
  const pow10 = (n: number) => 10n ** BigInt(n);
  // Fix the estimate so that 10^exp <= abs < 10^(exp+1).
  const geq = (e: number) => (e >= 0 ? num >= den * pow10(e) : num * pow10(-e) >= den);
  while (!geq(exp)) exp--;
  while (geq(exp + 1)) exp++;
  const shift = precision - exp; // digits = round(abs * 10^shift)
  const n = shift >= 0 ? num * pow10(shift) : num;
  const d = shift >= 0 ? den : den * pow10(-shift);
  let digits = n / d;
  const twiceRem = (n % d) * 2n;
  if (twiceRem > d || (twiceRem === d && digits % 2n === 1n)) digits++;
  if (digits === pow10(precision + 1)) {
    digits = pow10(precision);
    exp++;
  }
  const s = digits.toString();
  const mantissa = precision > 0 ? `${s[0]}.${s.slice(1)}` : s;
  const expText = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${negative ? '-' : ''}${mantissa}e${expText}`;
}

function exactRational(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mantissa |= 1n << 52n;
    e2 = biased - 1075;
  }
  return e2 >= 0 ? [mantissa << BigInt(e2), 1n] : [mantissa, 1n << BigInt(-e2)];
}

// ---------- encode ----------

function toBigInt(valueType: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return BigInt(v);
  throw invalid(`${describe(v)} is not a valid ${valueType}`);
}

function encodeScalar(valueType: string, v: unknown): string {
  switch (valueType) {
    case 'Bool':
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      throw invalid(`${describe(v)} is not a valid Bool`);
    case 'String':
      if (typeof v === 'string') return v;
      throw invalid(`${describe(v)} is not a valid String`);
    case 'Float32':
    case 'Float64': {
      const n = typeof v === 'bigint' ? Number(v) : v;
      if (typeof n !== 'number') throw invalid(`${describe(v)} is not a valid ${valueType}`);
      if (valueType === 'Float32') {
        const f = Math.fround(n);
        if (Number.isFinite(n) && !Number.isFinite(f)) throw invalid(`${n} is out of range for Float32`);
        return formatGoE(f);
      }
      return formatGoE(n);
    }
    default: {
      const range = INT_RANGES[valueType];
      if (!range) throw invalid(`valueType ${valueType} has no simple value encoding`);
      const b = toBigInt(valueType, v);
      checkRange(valueType, b, String(b));
      return b.toString();
    }
  }
}

/**
 * Encodes a JS value as EdgeX's reading `value` string, as Go's contracts do:
 * ints and bools in decimal / true / false, floats in %e (Float32 rounded to float32 first),
 * arrays as "[a, b, c]". Binary and Object values are not strings (binaryValue / objectValue).
 */
export function encodeValue(valueType: string, value: unknown): string {
  knownType(valueType);
  if (isArrayType(valueType)) {
    if (!Array.isArray(value)) throw invalid(`${valueType} expects an array, got ${describe(value)}`);
    const el = elementType(valueType);
    return `[${value.map((v) => encodeScalar(el, v)).join(', ')}]`;
  }
  return encodeScalar(valueType, value);
}

// ---------- decode ----------

const GO_FLOAT = /^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i;
const GO_INT = /^[+-]?\d+$/;
const GO_BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_BOOL_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function checkRange(valueType: string, b: bigint, text: string): void {
  const [min, max] = INT_RANGES[valueType];
  if (b < min || b > max) throw invalid(`${text} is out of range for ${valueType} (${min}..${max})`);
}

function decodeScalar(valueType: string, s: string): ScalarValue {
  switch (valueType) {
    case 'Bool':
      if (GO_BOOL_TRUE.has(s)) return true;
      if (GO_BOOL_FALSE.has(s)) return false;
      throw invalid(`"${s}" is not a valid Bool`);
    case 'String':
      return s;
    case 'Float32':
    case 'Float64': {
      if (!GO_FLOAT.test(s)) throw invalid(`"${s}" is not a valid ${valueType}`);
      const lower = s.toLowerCase().replace(/^\+/, '');
      let n: number;
      if (lower.endsWith('nan')) n = NaN;
      else if (lower.includes('inf')) n = lower.startsWith('-') ? -Infinity : Infinity;
      else n = Number(s);
      if (Number.isFinite(n) === false && !/inf|nan/i.test(s)) throw invalid(`${s} is out of range for ${valueType}`);
      if (valueType === 'Float32') {
        if (Number.isFinite(n) && Math.abs(n) > FLOAT32_MAX && !Number.isFinite(Math.fround(n))) {
          throw invalid(`${s} is out of range for Float32`);
        }
        return Math.fround(n);
      }
      return n;
    }
    default: {
      if (!INT_RANGES[valueType]) throw invalid(`valueType ${valueType} has no simple value encoding`);
      if (!GO_INT.test(s)) throw invalid(`"${s}" is not a valid ${valueType}`);
      const b = BigInt(s);
      checkRange(valueType, b, s);
      return valueType === 'Int64' || valueType === 'Uint64' ? b : Number(b);
    }
  }
}

function splitArray(valueType: string, s: string): string[] {
  const t = s.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) throw invalid(`"${s}" is not a valid ${valueType}: expected [a, b, …]`);
  if (valueType === 'StringArray' && t.startsWith('["')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      /* fall through to the Go %v form */
    }
  }
  const inner = t.slice(1, -1).trim();
  if (inner === '') return [];
  // EdgeX writes ", " between elements; Go's raw %v uses single spaces.
  return valueType === 'StringArray' ? inner.split(', ') : inner.split(/\s*,\s*|\s+/);
}

/**
 * Decodes an EdgeX reading `value` string: Bool → boolean, 8–32-bit ints and floats → number,
 * Int64/Uint64 → bigint, String → string, arrays → arrays of those, Binary (base64) → Uint8Array,
 * Object/ObjectArray (JSON text) → parsed JSON. Throws ContractInvalid naming the problem.
 */
export function decodeValue(valueType: string, s: string): DecodedValue {
  knownType(valueType);
  if (typeof s !== 'string') throw invalid(`value must be a string, got ${describe(s)}`);
  if (valueType === 'Binary') {
    if (!BASE64.test(s)) throw invalid(`"${abbreviate(s)}" is not valid base64`);
    return new Uint8Array(Buffer.from(s, 'base64'));
  }
  if (valueType === 'Object' || valueType === 'ObjectArray') {
    try {
      return parseJson(s, { what: valueType });
    } catch (e) {
      if (e instanceof EdgeXError) throw e;
      throw invalid(`"${abbreviate(s)}" is not valid JSON for ${valueType}`);
    }
  }
  if (isArrayType(valueType)) {
    const el = elementType(valueType);
    return splitArray(valueType, s).map((part, i) => {
      try {
        return decodeScalar(el, part);
      } catch (e) {
        throw invalid(`${valueType} element ${i}: ${errorMessage(e)}`);
      }
    });
  }
  return decodeScalar(valueType, s);
}

/** Throws EdgeXError ContractInvalid when `s` is not a valid value of `valueType`. */
export function checkValue(valueType: string, s: string): void {
  decodeValue(valueType, s);
}

export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]{3})?$/;

function abbreviate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
function describe(v: unknown): string {
  if (typeof v === 'string') return `"${abbreviate(v)}"`;
  if (typeof v === 'bigint') return `${v}`;
  try {
    return abbreviate(JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
}
