import { INT_RANGES, VALUE_TYPES, checkValue, type AddEventRequest, type Event } from '@edgex-ts/contracts';

/**
 * Fast validation of the common shape of an event: a few µs for 10 readings where the zod schema takes
 * tens. It accepts only input that is plainly valid AND whose zod output would equal the input (no unknown
 * or undefined-valued keys, no tags, no Binary/Object readings), and then returns the
 * input itself. Anything else returns undefined and the caller runs the zod schema, which also produces
 * the error message naming the field.
 */
export function fastEvent(raw: unknown): Event | undefined {
  if (!isRecord(raw)) return undefined;
  let keys = 0;
  for (const k in raw) {
    keys++;
    const v = raw[k];
    switch (k) {
      case 'apiVersion':
        if (typeof v !== 'string') return undefined;
        break;
      case 'id':
        if (!isUuid(v)) return undefined;
        break;
      case 'deviceName':
      case 'profileName':
      case 'sourceName':
        if (!isNonBlank(v)) return undefined;
        break;
      case 'origin':
        if (!isOrigin(v)) return undefined;
        break;
      case 'readings':
        if (!Array.isArray(v) || v.length === 0) return undefined;
        for (let i = 0; i < v.length; i++) if (!isPlainReading(v[i])) return undefined;
        break;
      default:
        return undefined; // tags and unknown keys: let zod decide
    }
  }
  // id, deviceName, profileName, sourceName, origin and readings are required.
  const required = raw.apiVersion === undefined ? 6 : 7;
  return keys === required ? (raw as Event) : undefined;
}

/** fastEvent for an AddEventRequest body ({ apiVersion, requestId?, event }). */
export function fastAddEventRequest(raw: unknown): AddEventRequest | undefined {
  if (!isRecord(raw)) return undefined;
  let keys = 0;
  for (const k in raw) {
    keys++;
    const v = raw[k];
    if (k === 'apiVersion') {
      if (!isNonBlank(v)) return undefined;
    } else if (k === 'requestId') {
      if (v !== '' && !isUuid(v)) return undefined;
    } else if (k !== 'event' || fastEvent(v) === undefined) return undefined;
  }
  const required = raw.requestId === undefined ? 2 : 3;
  return keys === required && raw.apiVersion !== undefined && raw.event !== undefined ? (raw as AddEventRequest) : undefined;
}

/** Value types whose reading carries a plain `value` string (not Binary, Object, ObjectArray). */
const SIMPLE_VALUE_TYPES = new Set<string>(VALUE_TYPES.filter((t) => t !== 'Binary' && t !== 'Object' && t !== 'ObjectArray'));

function isPlainReading(r: unknown): boolean {
  if (!isRecord(r)) return false;
  let keys = 0;
  for (const k in r) {
    keys++;
    const v = r[k];
    switch (k) {
      case 'id':
        if (!isUuid(v)) return false;
        break;
      case 'origin':
        if (!isOrigin(v)) return false;
        break;
      case 'deviceName':
      case 'resourceName':
      case 'profileName':
        if (!isNonBlank(v)) return false;
        break;
      case 'valueType':
        if (typeof v !== 'string' || !SIMPLE_VALUE_TYPES.has(v)) return false;
        break;
      case 'units':
      case 'value':
        if (typeof v !== 'string') return false;
        break;
      default:
        return false;
    }
  }
  // origin, deviceName, resourceName, profileName, valueType and value are required.
  const required = 6 + (r.id === undefined ? 0 : 1) + (r.units === undefined ? 0 : 1);
  if (keys !== required || typeof r.value !== 'string') return false;
  try {
    checkValue(r.valueType as string, r.value);
    return true;
  } catch {
    return false;
  }
}

const [INT64_MIN, INT64_MAX] = INT_RANGES.Int64;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An origin as the schema outputs it (ExactInteger): an integer number, or an int64 bigint beyond 2^53. */
function isOrigin(v: unknown): boolean {
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= INT64_MAX && (v > MAX_SAFE || v < -MAX_SAFE);
  return Number.isInteger(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function isNonBlank(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}

/** Same text as the schema's UUID pattern, checked by character codes (no regex per field). */
function isUuid(v: unknown): boolean {
  if (typeof v !== 'string' || v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}
