/**
 * EdgeX's read transforms (device-sdk-go `transformresult.go`, reference §5.2), applied to one driver value:
 * NaN check → mask → shift (unsigned integers only) → base → scale → offset, then the value type's range
 * (overflow); the assertion; the resource operation's mappings. Pure functions, no I/O.
 */
import { EdgeXError, encodeValue, type ResourceProperties } from '@edgex-ts/contracts';
import type { CommandValue } from '../driver.js';
import { asTypeValue, fitsType, isFloatType, isIntType, isNumericType, isUnsignedType, profileInteger, profileNumber } from './numeric.js';

/** Reading value EdgeX uses when a transformed value does not fit its type. */
export const OVERFLOW = 'overflow';
/** Reading value EdgeX uses for a NaN float. */
export const NAN = 'NaN';

function special(cv: CommandValue, text: string): CommandValue {
  return { ...cv, valueType: 'String', value: text };
}

/**
 * Applies mask, shift, base, scale and offset of `props` to a numeric value (other types pass unchanged).
 * A NaN float becomes the String reading `NaN`; a result outside the value type's range becomes the String
 * reading `overflow` (as EdgeX reports them). Integer results are truncated toward zero (EdgeX multiplies
 * integers by an integer-cast scale, which turns a fractional scale into 0; we keep the fraction's effect).
 */
export function transformReadValue(cv: CommandValue, props: ResourceProperties): CommandValue {
  const t = cv.valueType || props.valueType;
  if (!isNumericType(t)) return cv;
  const raw = cv.value;
  if (typeof raw !== 'number' && typeof raw !== 'bigint') return cv;
  if (typeof raw === 'number' && Number.isNaN(raw)) return special(cv, NAN);
  const where = `deviceResource ${cv.deviceResourceName}`;
  const mask = profileInteger(props.mask, `${where}: mask`);
  const shift = profileInteger(props.shift, `${where}: shift`);
  const base = profileNumber(props.base, `${where}: base`);
  const scale = profileNumber(props.scale, `${where}: scale`);
  const offset = profileNumber(props.offset, `${where}: offset`);
  if (mask === undefined && shift === undefined && base === undefined && scale === undefined && offset === undefined) return cv;

  let v: number | bigint = raw;
  if (isUnsignedType(t) && (mask !== undefined || shift !== undefined)) {
    const width = BigInt(t.slice('Uint'.length));
    const all = (1n << width) - 1n;
    let b = BigInt(v);
    if (mask !== undefined && mask !== 0n) b &= mask & all;
    // A shift as wide as the type or wider leaves nothing (and a huge bigint shift must not be attempted).
    if (shift !== undefined && shift !== 0n) b = shift >= width || -shift >= width ? 0n : shift > 0n ? (b << shift) & all : b >> -shift;
    v = b;
  }
  const exact =
    typeof v === 'bigint' && base === undefined && (scale === undefined || Number.isInteger(scale)) && (offset === undefined || Number.isInteger(offset));
  if (exact) {
    let b = v as bigint;
    if (scale !== undefined) b *= BigInt(scale);
    if (offset !== undefined) b += BigInt(offset);
    v = b;
  } else {
    let n = Number(v);
    if (base !== undefined && base !== 0) n = Math.pow(base, n);
    if (scale !== undefined && scale !== 0) n *= scale;
    if (offset !== undefined) n += offset;
    if (isIntType(t) && Number.isFinite(n)) n = Math.trunc(n);
    if (isFloatType(t) && Number.isNaN(n)) return special(cv, NAN);
    v = n;
  }
  if (!fitsType(t, v)) return special(cv, OVERFLOW);
  return { ...cv, valueType: t, value: asTypeValue(t, v) };
}

/** The text EdgeX compares with assertions and mapping keys: the reading value string. */
export function valueText(cv: CommandValue): string {
  if (typeof cv.value === 'string') return cv.value;
  try {
    return encodeValue(cv.valueType, cv.value);
  } catch {
    return String(cv.value);
  }
}

/** Thrown when a read value does not equal its resource's `assertion`; the SDK marks the device DOWN. */
export class AssertionError extends EdgeXError {
  readonly markDeviceDown = true;
  constructor(
    readonly deviceResourceName: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super('UnexpectedServerError', `deviceResource ${deviceResourceName}: assertion failed: read ${actual}, expected ${expected}`);
  }
}

/** Throws {@link AssertionError} when `props.assertion` is set and differs from the value's text. */
export function checkAssertion(cv: CommandValue, props: ResourceProperties): void {
  const expected = props.assertion;
  if (expected === undefined || expected === '') return;
  const actual = valueText(cv);
  if (actual === expected) return;
  if (typeof cv.value === 'number' && Number(expected) === cv.value) return;
  throw new AssertionError(cv.deviceResourceName, expected, actual);
}

/** Replaces the value by its mapping (raw value text → string) when there is one; the result is a String. */
export function applyMappings(cv: CommandValue, mappings: Readonly<Record<string, string>> | undefined): CommandValue {
  if (!mappings) return cv;
  const mapped = mappings[valueText(cv)];
  if (mapped === undefined) return cv;
  return { ...cv, valueType: 'String', value: mapped };
}

/** The whole read pipeline of one value: transforms (when `dataTransform`), assertion, mappings. */
export function processReadValue(
  cv: CommandValue,
  props: ResourceProperties,
  mappings: Readonly<Record<string, string>> | undefined,
  dataTransform: boolean,
): CommandValue {
  const transformed = dataTransform ? transformReadValue(cv, props) : cv;
  checkAssertion(transformed, props);
  return applyMappings(transformed, mappings);
}
