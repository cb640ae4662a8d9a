import { randomUUID } from 'node:crypto';
import { exactInteger, parseJson, STORED_JSON, stringifyJson, type ExactInteger } from '@edgex-ts/contracts';
import { Binary, Long } from 'mongodb';
import type { EventRecord, ReadingRecord } from '../types.js';

/**
 * How core-data's events and readings are kept in MongoDB. An event document holds the event without its
 * readings; each reading is its own document (queried by device, resource and time range, and counted),
 * pointing back at its event with `event` + `idx`. A reading's `_id` is derived from its event id and
 * position, so writing the same event again (a retry after a lost reply) hits the same `_id`s and stores
 * nothing twice. Tags and object values are kept as JSON text: their keys are the user's and may hold
 * characters MongoDB field names cannot. Origins are written as BSON int64 when beyond 2^53 (the driver writes a
 * bigint so) and come back as a Long (the driver promotes only safe int64s to numbers): exact both ways.
 */
export interface EventDoc {
  /** The event id. */
  _id: string;
  device: string;
  profile: string;
  source: string;
  origin: StoredOrigin;
  /** Number of readings. */
  n: number;
  /** JSON of the event's tags, when it has any. */
  tags?: string;
}

export interface ReadingDoc {
  /** `<event id>:<idx, 6 digits>`: unique, deterministic, and sorts the readings of an event by position. */
  _id: string;
  event: string;
  idx: number;
  /** The reading's own id. */
  id: string;
  origin: StoredOrigin;
  device: string;
  resource: string;
  profile: string;
  valueType: string;
  units?: string;
  /** Simple values. */
  value?: string;
  /** Binary values. */
  bin?: Binary;
  /** Of a Binary value, or whatever reading was sent with one. */
  mediaType?: string;
  /** JSON of an Object/ObjectArray value. */
  obj?: string;
  /** JSON of the reading's tags, when it has any. */
  tags?: string;
}

/** An origin as written (ExactInteger) or read back (number, or Long beyond 2^53). */
type StoredOrigin = ExactInteger | Long;

function originOf(stored: StoredOrigin): ExactInteger {
  return stored instanceof Long ? exactInteger(stored.toBigInt()) : exactInteger(stored);
}

export function readingDocId(eventId: string, idx: number): string {
  return `${eventId}:${String(idx).padStart(6, '0')}`;
}

export function toEventDoc(ev: EventRecord): EventDoc {
  const doc: EventDoc = {
    _id: ev.id,
    device: ev.deviceName,
    profile: ev.profileName,
    source: ev.sourceName,
    origin: ev.origin,
    n: ev.readings.length,
  };
  if (ev.tags && Object.keys(ev.tags).length > 0) doc.tags = stringifyJson(ev.tags);
  return doc;
}

export function toReadingDocs(ev: EventRecord): ReadingDoc[] {
  return ev.readings.map((r, idx) => {
    const doc: ReadingDoc = {
      _id: readingDocId(ev.id, idx),
      event: ev.id,
      idx,
      id: r.id || randomUUID(),
      origin: r.origin,
      device: r.deviceName,
      resource: r.resourceName,
      profile: r.profileName,
      valueType: r.valueType,
    };
    if (r.units) doc.units = r.units;
    if (r.tags && Object.keys(r.tags).length > 0) doc.tags = stringifyJson(r.tags);
    // Kept whatever the valueType, as the SQLite store and EdgeX (BaseReading embeds BinaryReading) keep it.
    if (r.mediaType) doc.mediaType = r.mediaType;
    if (r.valueType === 'Binary') {
      if (r.binaryValue) doc.bin = new Binary(Buffer.from(r.binaryValue, 'base64'));
    } else if (r.valueType === 'Object' || r.valueType === 'ObjectArray') {
      if (r.objectValue !== undefined) doc.obj = stringifyJson(r.objectValue);
    } else if (r.value !== undefined && r.value !== null) {
      doc.value = r.value;
    }
    return doc;
  });
}

export function fromEventDoc(doc: EventDoc, readings: ReadingRecord[]): EventRecord {
  const ev: EventRecord = {
    apiVersion: 'v3',
    id: doc._id,
    deviceName: doc.device,
    profileName: doc.profile,
    sourceName: doc.source,
    origin: originOf(doc.origin),
    readings,
  };
  if (doc.tags) ev.tags = parseJson(doc.tags, STORED_JSON) as Record<string, unknown>;
  return ev;
}

/** The reading as the SQLite store returns it (same optional fields present, same defaults). */
export function fromReadingDoc(doc: ReadingDoc): ReadingRecord {
  const r: ReadingRecord = {
    id: doc.id,
    origin: originOf(doc.origin),
    deviceName: doc.device,
    resourceName: doc.resource,
    profileName: doc.profile,
    valueType: doc.valueType as ReadingRecord['valueType'],
  };
  if (doc.units) r.units = doc.units;
  if (doc.tags) r.tags = parseJson(doc.tags, STORED_JSON) as Record<string, unknown>;
  if (doc.mediaType) r.mediaType = doc.mediaType;
  // A reading stored without its value is an EdgeX 4 null reading: no value field at all.
  if (doc.valueType === 'Binary') {
    if (doc.bin) r.binaryValue = Buffer.from(doc.bin.value()).toString('base64');
  } else if (doc.valueType === 'Object' || doc.valueType === 'ObjectArray') {
    if (doc.obj !== undefined) r.objectValue = parseJson(doc.obj, STORED_JSON) as object;
  } else if (doc.value !== undefined) {
    r.value = doc.value;
  }
  return r;
}
