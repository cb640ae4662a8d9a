import type { Collection } from 'mongodb';
import { ensureIndexes, type MongoHandle, type NamedIndex } from '@edgex-ts/mongo';
import type { EventDoc, ReadingDoc } from './documents.js';

/** MongoDB collections of core-data. */
export const CORE_DATA_COLLECTIONS = { events: 'event', readings: 'reading' } as const;

/**
 * One index per query shape; each list query sorts newest first with `_id` as tie-breaker, so the sort is
 * read from the index. Counts with the same filters use the same indexes.
 */
export const EVENT_INDEXES: NamedIndex[] = [
  // all events, time ranges, age purge
  { name: 'origin', key: { origin: -1, _id: -1 } },
  // events of a device (with or without a time range), delete by device
  { name: 'device_origin', key: { device: 1, origin: -1, _id: -1 } },
];

export const READING_INDEXES: NamedIndex[] = [
  // the readings of an event (get/list events, deletes)
  { name: 'event_idx', key: { event: 1, idx: 1 } },
  // all readings, time ranges
  { name: 'origin', key: { origin: -1, _id: -1 } },
  // readings of a device
  { name: 'device_origin', key: { device: 1, origin: -1, _id: -1 } },
  // readings of resource name(s)
  { name: 'resource_origin', key: { resource: 1, origin: -1, _id: -1 } },
  // readings of a device's resource name(s)
  { name: 'device_resource_origin', key: { device: 1, resource: 1, origin: -1, _id: -1 } },
];

export interface CoreDataCollections {
  events: Collection<EventDoc>;
  readings: Collection<ReadingDoc>;
}

/** The collections, with their indexes created when missing (safe on every start). */
export async function openCoreDataCollections(mongo: MongoHandle): Promise<CoreDataCollections> {
  const events = mongo.db.collection<EventDoc>(CORE_DATA_COLLECTIONS.events);
  const readings = mongo.db.collection<ReadingDoc>(CORE_DATA_COLLECTIONS.readings);
  await ensureIndexes(mongo, events, EVENT_INDEXES);
  await ensureIndexes(mongo, readings, READING_INDEXES);
  return { events, readings };
}
