import { decodeValue, EdgeXError, exactInteger, isArrayType, type Reading } from '@edgex-ts/contracts';
import type { ReadingFilter } from '../store/types.js';

/**
 * EdgeX 4's reading query options (core-data v4.0.2): `numeric=true` writes numeric reading values as JSON
 * numbers, `aggregateFunc` answers one aggregated reading per device, profile, resource and value type.
 */

/** A number of a numeric reading: floats as numbers, integers exact (bigint beyond 2^53). */
type NumericValue = number | bigint;

/** A reading whose `value` may be a JSON number (or array of them) instead of EdgeX's string. */
export type NumericReading = Omit<Reading, 'value'> & { value?: string | NumericValue | NumericValue[] };

const INTEGER_TYPES = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'Uint8', 'Uint16', 'Uint32', 'Uint64']);
const FLOAT_TYPES = new Set(['Float32', 'Float64']);
/** Readings whose value is not `value` (binaryValue, objectValue): an empty aggregate of them has no value key. */
const VALUELESS_TYPES = new Set(['Binary', 'Object', 'ObjectArray']);
const scalarTypeOf = (valueType: string) => (isArrayType(valueType) ? valueType.slice(0, -'Array'.length) : valueType);

function asNumber(v: unknown): NumericValue {
  return typeof v === 'bigint' ? exactInteger(v) : (v as number);
}

/**
 * The reading with its value as a JSON number (numeric arrays: an array of numbers), as EdgeX's `numeric=true`
 * answers it; Bool, String, Binary and Object readings, and empty values, are left as they are.
 */
export function withNumericValue(reading: Reading): NumericReading {
  const scalarType = scalarTypeOf(reading.valueType);
  if (!reading.value || !(INTEGER_TYPES.has(scalarType) || FLOAT_TYPES.has(scalarType))) return reading;
  const decoded = decodeValue(reading.valueType, reading.value);
  return { ...reading, value: Array.isArray(decoded) ? decoded.map(asNumber) : asNumber(decoded) };
}

export const AGGREGATE_FUNCS = ['MIN', 'MAX', 'COUNT', 'SUM', 'AVG'] as const;
export type AggregateFunc = (typeof AGGREGATE_FUNCS)[number];

/** The aggregate function named by the `aggregateFunc` query parameter (any case), or a 400 naming it. */
export function parseAggregateFunc(raw: string): AggregateFunc {
  const upper = raw.trim().toUpperCase();
  if ((AGGREGATE_FUNCS as readonly string[]).includes(upper)) return upper as AggregateFunc;
  throw new EdgeXError('ContractInvalid', `aggregateFunc: must be one of ${AGGREGATE_FUNCS.join(', ')} (any case), got '${raw}'`);
}

/** One group of readings being aggregated. Integers are summed and compared as bigint, floats as numbers. */
interface Group {
  deviceName: string;
  profileName: string;
  resourceName: string;
  valueType: string;
  count: number;
  min?: NumericValue;
  max?: NumericValue;
  sum?: NumericValue;
}

/** The numeric value EdgeX aggregates (its numeric_value column): scalar integer and float readings only. */
function aggregatedValue(r: Reading): bigint | number | undefined {
  if (!r.value) return undefined;
  if (INTEGER_TYPES.has(r.valueType)) return BigInt(decodeValue(r.valueType, r.value) as number | bigint);
  if (FLOAT_TYPES.has(r.valueType)) return decodeValue(r.valueType, r.value) as number;
  return undefined;
}

const groupKey = (r: Reading) => JSON.stringify([r.deviceName, r.profileName, r.resourceName, r.valueType]);
const byName = (a: Group, b: Group) =>
  a.deviceName.localeCompare(b.deviceName) ||
  a.profileName.localeCompare(b.profileName) ||
  a.resourceName.localeCompare(b.resourceName) ||
  a.valueType.localeCompare(b.valueType);

/**
 * Aggregates readings as EdgeX's core-data does in SQL: grouped by device, profile, resource and value type,
 * ordered by device name. COUNT counts numeric values (Uint64); AVG is a Float64; MIN, MAX and SUM keep the
 * kind of the values (Int64, Uint64 or Float64). A group without numeric values has COUNT 0 and, for the
 * others, its own value type with an empty value (none for Binary and Object readings, as EdgeX marshals them).
 * Aggregated readings carry no id, origin, units or tags.
 */
export class ReadingAggregator {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly fn: AggregateFunc) {}

  add(r: Reading): void {
    const key = groupKey(r);
    let g = this.groups.get(key);
    if (!g) {
      g = { deviceName: r.deviceName, profileName: r.profileName, resourceName: r.resourceName, valueType: r.valueType, count: 0 };
      this.groups.set(key, g);
    }
    const v = aggregatedValue(r);
    if (v === undefined) return;
    g.count++;
    if (g.min === undefined || v < g.min) g.min = v;
    if (g.max === undefined || v > g.max) g.max = v;
    g.sum = g.sum === undefined ? v : typeof v === 'bigint' ? (g.sum as bigint) + v : (g.sum as number) + v;
  }

  /** The aggregated readings, ordered by device name, then profile, resource and value type. */
  readings(page: { offset: number; limit: number }): NumericReading[] {
    return [...this.groups.values()]
      .sort(byName)
      .slice(page.offset, page.offset + page.limit)
      .map((g) => this.reading(g));
  }

  private reading(g: Group): NumericReading {
    const base = { deviceName: g.deviceName, profileName: g.profileName, resourceName: g.resourceName };
    if (this.fn === 'COUNT') return { ...base, valueType: 'Uint64', value: g.count } as NumericReading;
    // No numeric value (SQL NULL): EdgeX writes `"value":""`, or no value at all for Binary and Object readings.
    if (g.count === 0)
      return (VALUELESS_TYPES.has(g.valueType) ? { ...base, valueType: g.valueType } : { ...base, valueType: g.valueType, value: '' }) as NumericReading;
    if (this.fn === 'AVG') return { ...base, valueType: 'Float64', value: Number(g.sum) / g.count } as NumericReading;
    const value = this.fn === 'MIN' ? g.min! : this.fn === 'MAX' ? g.max! : g.sum!;
    const valueType = FLOAT_TYPES.has(g.valueType) ? 'Float64' : g.valueType.startsWith('Uint') ? 'Uint64' : 'Int64';
    return { ...base, valueType, value: typeof value === 'bigint' ? exactInteger(value) : value } as NumericReading;
  }
}

/**
 * Aggregates every reading `filter` selects, reading them `chunk` at a time through `listReadings` (newest
 * first) rather than all at once. The upper time bound is pinned to the newest origin of the first chunk, so
 * readings stored meanwhile (newer) do not shift the chunks under it, and a reading seen in the chunk before
 * (shifted by one that arrived late with an older origin) is not counted twice. The cost grows with the
 * number of matching readings.
 */
export async function aggregateReadings(
  listReadings: (filter: ReadingFilter, page: { offset: number; limit: number }) => Promise<{ readings: Reading[] }>,
  filter: ReadingFilter,
  fn: AggregateFunc,
  page: { offset: number; limit: number },
  chunk: number,
): Promise<NumericReading[]> {
  const aggregator = new ReadingAggregator(fn);
  let pinned = filter;
  let seen = new Set<string>();
  for (let offset = 0; ; offset += chunk) {
    let readings: Reading[];
    try {
      ({ readings } = await listReadings(pinned, { offset, limit: chunk }));
    } catch (err) {
      // Fewer readings than when the aggregation started (deleted meanwhile): the last chunk was the end.
      if (err instanceof EdgeXError && err.kind === 'RangeNotSatisfiable') break;
      throw err;
    }
    if (offset === 0 && readings.length > 0) pinned = { ...filter, end: readings[0].origin };
    const ids = new Set<string>();
    for (const r of readings) {
      if (r.id !== undefined) {
        ids.add(r.id);
        if (seen.has(r.id)) continue;
      }
      aggregator.add(r);
    }
    seen = ids;
    if (readings.length < chunk) break;
  }
  return aggregator.readings(page);
}
