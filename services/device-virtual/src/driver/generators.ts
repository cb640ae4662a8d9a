/**
 * Value generators of the virtual driver. A resource's generator is chosen by its profile attribute
 * `generator` (`random`, the default, or `ramp`):
 * - random: uniformly within the profile's `minimum`/`maximum`, each clamped to the value type's range
 *   (the type's full range where absent); Bool is a coin toss, String random letters, Binary random bytes
 *   (attribute `size`, default 16).
 * - ramp: starts at `minimum` (or 0, or the type's minimum when 0 is out of range), goes up by attribute
 *   `step` (default 1; a negative step ramps down) and wraps back to the start past `maximum` (or the type's
 *   maximum). Bool alternates false/true.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  BIG_INT_RANGES,
  FLOAT_RANGES,
  NUMBER_INT_RANGES,
  isFloatType,
  isIntBigType,
  isIntNumberType,
  parseBound,
  type VirtualValueType,
} from './value-types.js';

export type GeneratedValue = boolean | number | bigint | string | Uint8Array;

export interface Generator {
  readonly kind: 'random' | 'ramp';
  next(): GeneratedValue;
}

export interface GeneratorSpec {
  /** Resource name, used in error messages. */
  resource: string;
  valueType: VirtualValueType;
  /** The profile's `properties.minimum` / `maximum` (numbers or numeric strings). */
  minimum?: unknown;
  maximum?: unknown;
  /** The resource's `attributes` (`generator`, `step`, `size`). */
  attributes?: Record<string, unknown>;
}

const MAX_BINARY_SIZE = 1 << 20;

/** Builds the generator for one resource; throws naming the resource and field when the spec is invalid. */
export function createGenerator(spec: GeneratorSpec): Generator {
  const attrs = spec.attributes ?? {};
  const kind = attrs.generator === undefined ? 'random' : String(attrs.generator).toLowerCase();
  if (kind !== 'random' && kind !== 'ramp') {
    throw new Error(`${spec.resource}: attributes.generator: expected random or ramp, got ${JSON.stringify(attrs.generator)}`);
  }
  const t = spec.valueType;
  if (t === 'Bool') return kind === 'ramp' ? boolRamp() : { kind: 'random', next: () => randomInt(2) === 1 };
  if (t === 'String' || t === 'Binary') {
    if (kind === 'ramp') throw new Error(`${spec.resource}: attributes.generator: ramp is not supported for ${t}`);
    if (t === 'String') return { kind: 'random', next: () => randomString() };
    const size = parseBound(attrs.size, `${spec.resource}: attributes.size`) ?? 16;
    if (!Number.isInteger(size) || size < 0 || size > MAX_BINARY_SIZE) {
      throw new Error(`${spec.resource}: attributes.size: expected an integer in [0, ${MAX_BINARY_SIZE}], got ${size}`);
    }
    return { kind: 'random', next: () => new Uint8Array(randomBytes(size)) };
  }
  const minimum = parseBound(spec.minimum, `${spec.resource}: properties.minimum`);
  const maximum = parseBound(spec.maximum, `${spec.resource}: properties.maximum`);
  const step = parseBound(attrs.step, `${spec.resource}: attributes.step`) ?? 1;
  if (step === 0) throw new Error(`${spec.resource}: attributes.step: must not be 0`);

  if (isIntNumberType(t)) {
    const [lo, hi] = intBounds(NUMBER_INT_RANGES[t], minimum, maximum, spec.resource);
    if (kind === 'random') return { kind, next: () => randomIntIn(lo, hi) };
    if (!Number.isInteger(step)) throw new Error(`${spec.resource}: attributes.step: expected an integer for ${t}, got ${step}`);
    return numberRamp(lo, hi, startOf(lo, hi, minimum), step);
  }
  if (isIntBigType(t)) {
    const [tlo, thi] = BIG_INT_RANGES[t];
    const lo = minimum === undefined ? tlo : maxBig(tlo, BigInt(Math.ceil(minimum)));
    const hi = maximum === undefined ? thi : minBig(thi, BigInt(Math.floor(maximum)));
    if (lo > hi) throw new Error(`${spec.resource}: properties.minimum (${minimum}) is above properties.maximum (${maximum})`);
    if (kind === 'random') return { kind, next: () => randomBigIn(lo, hi) };
    if (!Number.isInteger(step)) throw new Error(`${spec.resource}: attributes.step: expected an integer for ${t}, got ${step}`);
    const start = minimum === undefined && lo <= 0n && hi >= 0n ? 0n : lo;
    return bigRamp(lo, hi, start, BigInt(step));
  }
  if (isFloatType(t)) {
    const [tlo, thi] = FLOAT_RANGES[t];
    const lo = minimum === undefined ? tlo : Math.max(tlo, minimum);
    const hi = maximum === undefined ? thi : Math.min(thi, maximum);
    if (lo > hi) throw new Error(`${spec.resource}: properties.minimum (${minimum}) is above properties.maximum (${maximum})`);
    const f32 = t === 'Float32';
    if (kind === 'random') {
      return {
        kind,
        next: () => {
          const r = Math.random();
          // lo·(1−r) + hi·r cannot overflow even for the full Float64 range (hi − lo would be Infinity)
          const v = lo * (1 - r) + hi * r;
          return f32 ? clampF32(v, lo, hi) : Math.min(hi, Math.max(lo, v));
        },
      };
    }
    const ramp = numberRamp(lo, hi, startOf(lo, hi, minimum), step);
    return f32 ? { kind: 'ramp', next: () => Math.fround(ramp.next() as number) } : ramp;
  }
  throw new Error(`${spec.resource}: properties.valueType: ${t} is not supported by the virtual driver`);
}

function intBounds(range: readonly [number, number], minimum: number | undefined, maximum: number | undefined, resource: string): [number, number] {
  const lo = minimum === undefined ? range[0] : Math.max(range[0], Math.ceil(minimum));
  const hi = maximum === undefined ? range[1] : Math.min(range[1], Math.floor(maximum));
  if (lo > hi) throw new Error(`${resource}: properties.minimum (${minimum}) is above properties.maximum (${maximum})`);
  return [lo, hi];
}

/** The ramp start: the configured minimum, else 0 when in range, else the lower bound. */
function startOf(lo: number, hi: number, minimum: number | undefined): number {
  return minimum === undefined && lo <= 0 && hi >= 0 ? 0 : lo;
}

function boolRamp(): Generator {
  let v = true;
  return { kind: 'ramp', next: () => (v = !v) };
}

/** Ramp computed as start + k·step (no accumulated float error); wraps to start when leaving [lo, hi]. */
function numberRamp(lo: number, hi: number, start: number, step: number): Generator {
  const first = step > 0 ? start : hi;
  let k = 0;
  return {
    kind: 'ramp',
    next: () => {
      let v = first + k * step;
      if (v > hi || v < lo || !Number.isFinite(v)) {
        k = 0;
        v = first;
      }
      k++;
      return v;
    },
  };
}

function bigRamp(lo: bigint, hi: bigint, start: bigint, step: bigint): Generator {
  const first = step > 0n ? start : hi;
  let v: bigint | undefined;
  return {
    kind: 'ramp',
    next: () => {
      v = v === undefined ? first : v + step;
      if (v > hi || v < lo) v = first;
      return v;
    },
  };
}

function randomIntIn(lo: number, hi: number): number {
  // crypto.randomInt needs max − min < 2^48, which holds for every 8/16/32-bit range
  return randomInt(lo, hi + 1);
}

function randomBigIn(lo: bigint, hi: bigint): bigint {
  const span = hi - lo + 1n;
  // 128 random bits reduced modulo a ≤ 2^64 span: bias below 2^-64
  const r = BigInt('0x' + randomBytes(16).toString('hex'));
  return lo + (r % span);
}

/** Rounds to the nearest Float32, stepping one ulp inwards when rounding left [lo, hi]. */
function clampF32(v: number, lo: number, hi: number): number {
  let f = Math.fround(Math.min(hi, Math.max(lo, v)));
  if (f < lo) f = f32Step(f, +1);
  if (f > hi) f = f32Step(f, -1);
  return f;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** The adjacent Float32 value towards +∞ (dir 1) or −∞ (dir −1). */
function f32Step(f: number, dir: 1 | -1): number {
  f32[0] = f;
  if (f === 0) return dir * 1.401298464324817e-45;
  i32[0] += f > 0 === dir > 0 ? 1 : -1;
  return f32[0];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomString(): string {
  const len = 8 + randomInt(9);
  let s = '';
  for (let i = 0; i < len; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
