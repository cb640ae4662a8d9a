import { randomUUID } from 'node:crypto';
import { stringifyJson } from '@edgex-ts/contracts/json';
import type { EventRecord, ReadingRecord } from './types.js';

/**
 * A batch of events flattened into one array of primitives, the form in which the SQLite writer (possibly
 * on another thread) receives them: structured-cloning flat primitives costs about half of cloning the
 * nested DTO objects, and the values are already in their stored encoding.
 *
 * Layout, per event: EVENT_FIELDS values, then READING_FIELDS values for each of its `nreadings` readings.
 */
export type EventRows = unknown[];

/** id, deviceName, profileName, sourceName, origin, nreadings, tags (JSON or null). */
export const EVENT_FIELDS = 7;
/** id, origin, deviceName, resourceName, profileName, valueType, units (or null), value, extra (JSON or null). */
export const READING_FIELDS = 9;

export function flattenEvents(events: readonly EventRecord[]): EventRows {
  const rows: EventRows = [];
  for (const ev of events) {
    const rs = ev.readings;
    rows.push(
      ev.id,
      ev.deviceName,
      ev.profileName,
      ev.sourceName,
      ev.origin,
      rs.length,
      ev.tags && Object.keys(ev.tags).length > 0 ? stringifyJson(ev.tags) : null,
    );
    for (const r of rs) {
      rows.push(r.id || randomUUID(), r.origin, r.deviceName, r.resourceName, r.profileName, r.valueType, r.units || null, encodeValue(r), encodeExtra(r));
    }
  }
  return rows;
}

/** Number of events in a flattened batch. */
export function countEvents(rows: EventRows): number {
  let n = 0;
  for (let at = 0; at < rows.length; at += EVENT_FIELDS + (rows[at + 5] as number) * READING_FIELDS) n++;
  return n;
}

function encodeValue(r: ReadingRecord): string | Uint8Array | null {
  if (r.valueType === 'Binary') return r.binaryValue ? Buffer.from(r.binaryValue, 'base64') : null;
  if (r.valueType === 'Object' || r.valueType === 'ObjectArray') {
    return r.objectValue === undefined ? null : stringifyJson(r.objectValue);
  }
  return r.value ?? null;
}

function encodeExtra(r: ReadingRecord): string | null {
  const hasTags = r.tags !== undefined && Object.keys(r.tags).length > 0;
  if (!hasTags && !r.mediaType) return null;
  return stringifyJson({ t: hasTags ? r.tags : undefined, m: r.mediaType || undefined });
}
