/**
 * EdgeX's write path for one SET parameter (device-sdk-go `transformparam.go`, reference §5.2):
 * the value (or the default when omitted) → reverse mapping → typed value → minimum/maximum check →
 * inverse offset → inverse scale → inverse base → range of the value type. Pure functions, no I/O.
 */
import { EdgeXError, decodeValue, errorMessage, stringifyJson, type ResourceProperties } from '@edgex-ts/contracts';
import type { CommandValue, CommandValueValue } from '../driver.js';
import { asTypeValue, fitsType, isFloatType, isIntType, isNumericType, profileNumber } from './numeric.js';

function invalid(message: string): EdgeXError {
  return new EdgeXError('ContractInvalid', message);
}

/**
 * The parameter text for `resourceName`: the request's value, else the resource operation's `defaultValue`,
 * else the resource's `properties.defaultValue`; throws ContractInvalid when none is there.
 */
export function parameterOrDefault(resourceName: string, given: unknown, opDefault: string | undefined, props: ResourceProperties): unknown {
  if (given !== undefined && given !== null) return given;
  if (opDefault !== undefined && opDefault !== '') return opDefault;
  if (props.defaultValue !== undefined && props.defaultValue !== '') return props.defaultValue;
  throw invalid(`${resourceName}: no value given and the resource has no defaultValue`);
}

/** Maps a mapped string back to its raw value (the key whose mapping equals `value`), else returns `value`. */
export function reverseMapping(value: unknown, mappings: Readonly<Record<string, string>> | undefined): unknown {
  if (!mappings || typeof value !== 'string') return value;
  for (const [raw, mapped] of Object.entries(mappings)) if (mapped === value) return raw;
  return value;
}

/** Parses a SET value (usually a string; JSON values accepted for Object types) into the driver's value. */
export function parseWriteValue(resourceName: string, valueType: string, value: unknown): CommandValueValue {
  if (valueType === 'Object' || valueType === 'ObjectArray') {
    if (typeof value !== 'string') return value as object;
  }
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else if (Array.isArray(value))
    text = stringifyJson(value); // 64-bit elements may be bigints
  else throw invalid(`${resourceName}: expected a string value for ${valueType}, got ${JSON.stringify(value)}`);
  try {
    return decodeValue(valueType, text.trim() === text || valueType === 'String' ? text : text.trim()) as CommandValueValue;
  } catch (err) {
    throw invalid(`${resourceName}: ${errorMessage(err)}`);
  }
}

/** Throws ContractInvalid naming the resource and the bound when a numeric value is outside minimum/maximum. */
export function checkBounds(resourceName: string, value: CommandValueValue, props: ResourceProperties): void {
  if (typeof value !== 'number' && typeof value !== 'bigint') return;
  const min = profileNumber(props.minimum, `${resourceName}: minimum`);
  const max = profileNumber(props.maximum, `${resourceName}: maximum`);
  const n = Number(value);
  if (min !== undefined && n < min) throw invalid(`${resourceName}: ${value} is below the minimum ${min}`);
  if (max !== undefined && n > max) throw invalid(`${resourceName}: ${value} is above the maximum ${max}`);
}

/**
 * Inverse transforms of a numeric value: − offset, ÷ scale, log_base. Integer results are truncated toward
 * zero; a result outside the value type's range throws ContractInvalid (`overflow`).
 */
export function transformWriteValue(resourceName: string, valueType: string, value: CommandValueValue, props: ResourceProperties): CommandValueValue {
  if (!isNumericType(valueType) || (typeof value !== 'number' && typeof value !== 'bigint')) return value;
  const base = profileNumber(props.base, `${resourceName}: base`);
  const scale = profileNumber(props.scale, `${resourceName}: scale`);
  const offset = profileNumber(props.offset, `${resourceName}: offset`);
  if (base === undefined && scale === undefined && offset === undefined) return value;
  let v: number | bigint;
  const exactInt =
    typeof value === 'bigint' &&
    base === undefined &&
    (offset === undefined || Number.isInteger(offset)) &&
    (scale === undefined || scale === 0 || scale === 1 || scale === -1);
  if (exactInt) {
    let b = value;
    if (offset !== undefined) b -= BigInt(offset);
    if (scale === -1) b = -b;
    v = b;
  } else {
    let n = Number(value);
    if (offset !== undefined) n -= offset;
    if (scale !== undefined && scale !== 0) n /= scale;
    if (base !== undefined && base !== 0) n = Math.log(n) / Math.log(base);
    if (isIntType(valueType) && Number.isFinite(n)) n = Math.trunc(n);
    v = n;
  }
  if ((typeof v === 'number' && Number.isNaN(v)) || !fitsType(valueType, v)) {
    throw invalid(`${resourceName}: ${value} overflows ${valueType} after the inverse transforms`);
  }
  return isFloatType(valueType) || isIntType(valueType) ? asTypeValue(valueType, v) : v;
}

/** The whole write pipeline of one parameter, giving the CommandValue handed to the driver. */
export function processWriteValue(opts: {
  resourceName: string;
  props: ResourceProperties;
  given: unknown;
  opDefault?: string;
  mappings?: Readonly<Record<string, string>>;
  dataTransform: boolean;
}): CommandValue {
  const { resourceName, props } = opts;
  const raw = reverseMapping(parameterOrDefault(resourceName, opts.given, opts.opDefault, props), opts.mappings);
  const parsed = parseWriteValue(resourceName, props.valueType, raw);
  checkBounds(resourceName, parsed, props);
  const value = opts.dataTransform ? transformWriteValue(resourceName, props.valueType, parsed, props) : parsed;
  return { deviceResourceName: resourceName, valueType: props.valueType, value };
}
