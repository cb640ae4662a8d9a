/**
 * The value types the virtual driver generates, with their ranges. 64-bit integers are bigint so every
 * value is exact; the other numeric types are numbers.
 */
export type IntNumberType = 'Int8' | 'Int16' | 'Int32' | 'Uint8' | 'Uint16' | 'Uint32';
export type IntBigType = 'Int64' | 'Uint64';
export type FloatType = 'Float32' | 'Float64';
export type VirtualValueType = 'Bool' | IntNumberType | IntBigType | FloatType | 'String' | 'Binary';

export const NUMBER_INT_RANGES: Record<IntNumberType, readonly [number, number]> = {
  Int8: [-128, 127],
  Int16: [-32768, 32767],
  Int32: [-2147483648, 2147483647],
  Uint8: [0, 255],
  Uint16: [0, 65535],
  Uint32: [0, 4294967295],
};

export const BIG_INT_RANGES: Record<IntBigType, readonly [bigint, bigint]> = {
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  Uint64: [0n, 2n ** 64n - 1n],
};

const FLOAT32_MAX = 3.4028234663852886e38;
export const FLOAT_RANGES: Record<FloatType, readonly [number, number]> = {
  Float32: [-FLOAT32_MAX, FLOAT32_MAX],
  Float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
};

export function isIntNumberType(t: string): t is IntNumberType {
  return t in NUMBER_INT_RANGES;
}
export function isIntBigType(t: string): t is IntBigType {
  return t in BIG_INT_RANGES;
}
export function isFloatType(t: string): t is FloatType {
  return t in FLOAT_RANGES;
}
export function isVirtualValueType(t: string): t is VirtualValueType {
  return t === 'Bool' || t === 'String' || t === 'Binary' || isIntNumberType(t) || isIntBigType(t) || isFloatType(t);
}

/** Reads an optional numeric profile bound (`minimum`/`maximum` may be numbers or numeric strings). */
export function parseBound(raw: unknown, field: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n)) throw new Error(`${field}: expected a number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Checks (and normalises) a value written to a resource of type `t`; throws naming the resource on mismatch. */
export function coerceWritten(t: VirtualValueType, v: unknown, resource: string): boolean | number | bigint | string | Uint8Array {
  const bad = (what: string) => new Error(`${resource}: expected ${what} for ${t}, got ${describe(v)}`);
  switch (t) {
    case 'Bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw bad('a boolean');
    case 'String':
      if (typeof v === 'string') return v;
      throw bad('a string');
    case 'Binary':
      if (v instanceof Uint8Array) return v;
      throw bad('bytes');
    default:
      break;
  }
  if (isIntBigType(t)) {
    let b: bigint;
    try {
      if (typeof v === 'bigint') b = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
      else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) b = BigInt(v.trim());
      else throw bad('an integer');
    } catch (e) {
      throw e instanceof Error && e.message.startsWith(resource) ? e : bad('an integer');
    }
    const [lo, hi] = BIG_INT_RANGES[t];
    if (b < lo || b > hi) throw bad(`an integer in [${lo}, ${hi}]`);
    return b;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (isIntNumberType(t)) {
    const [lo, hi] = NUMBER_INT_RANGES[t];
    if (!Number.isInteger(n) || n < lo || n > hi) throw bad(`an integer in [${lo}, ${hi}]`);
    return n;
  }
  if (isFloatType(t)) {
    if (Number.isNaN(n)) throw bad('a number');
    return t === 'Float32' ? Math.fround(n) : n;
  }
  throw bad('a supported value');
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `bytes[${v.length}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
