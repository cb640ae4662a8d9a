import type { ExactInteger } from '@edgex-ts/contracts';
import { insertBatch, type MongoHandle } from '@edgex-ts/mongo';
import type { Filter } from 'mongodb';
import type { AddOutcome, DeviceTotals, EventFilter, EventRecord, EventStore, Page, ReadingFilter, ReadingRecord } from '../types.js';
import { openCoreDataCollections, type CoreDataCollections } from './collections.js';
import { fromEventDoc, fromReadingDoc, toEventDoc, toReadingDocs, type EventDoc, type ReadingDoc } from './documents.js';
import { eventQuery, isEmpty, NEWEST_FIRST, readingQuery } from './filters.js';

/** Events removed per round by the deletes (readings first, then their events). */
const DELETE_CHUNK = 1000;

/**
 * EventStore on MongoDB (or a wire-compatible server such as FerretDB); see documents.ts for the layout.
 * Every operation goes through `mongo.run`: transient failures (connection lost, no server) are retried
 * within Database.Timeout and then fail with a ServiceUnavailable EdgeXError (503 / UNAVAILABLE; the bus
 * ingest keeps the event unacknowledged and tries again).
 *
 * Without multi-document transactions, writes are ordered so that a failure at any point leaves a state a
 * retry completes: an event's readings are written before its event document (which marks it stored),
 * and deletes remove the readings before the events. Rewriting a batch after a lost reply stores nothing
 * twice, since every document's `_id` is derived from the event id.
 * The store owns `mongo` and closes it.
 */
export class MongoEventStore implements EventStore {
  private constructor(
    private readonly mongo: MongoHandle,
    private readonly c: CoreDataCollections,
  ) {}

  /** Opens the store on a connected handle, creating the collections' indexes when missing. */
  static async open(mongo: MongoHandle): Promise<MongoEventStore> {
    return new MongoEventStore(mongo, await openCoreDataCollections(mongo));
  }

  async addEvents(events: EventRecord[]): Promise<AddOutcome[]> {
    if (events.length === 0) return [];
    const ids = [...new Set(events.map((e) => e.id))];
    const stored = await this.mongo.run(`check ${ids.length} event ids`, async () => {
      const found = await this.c.events.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
      return new Set(found.map((d) => d._id));
    });
    const outcomes: AddOutcome[] = [];
    const fresh: EventRecord[] = [];
    for (const ev of events) {
      if (stored.has(ev.id)) {
        outcomes.push('duplicate');
      } else {
        stored.add(ev.id);
        outcomes.push('stored');
        fresh.push(ev);
      }
    }
    if (fresh.length === 0) return outcomes;
    const what = fresh.length === 1 ? `store event ${fresh[0].id}` : `store ${fresh.length} events`;
    await insertBatch(this.mongo, this.c.readings, fresh.flatMap(toReadingDocs), `${what} (readings)`);
    await insertBatch(this.mongo, this.c.events, fresh.map(toEventDoc), what);
    return outcomes;
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const doc = await this.mongo.run(`get event ${id}`, () => this.c.events.findOne({ _id: id }));
    if (!doc) return undefined;
    return (await this.withReadings([doc]))[0];
  }

  async listEvents(filter: EventFilter, page: Page): Promise<EventRecord[]> {
    if (page.limit <= 0) return [];
    const docs = await this.mongo.run('list events', () =>
      this.c.events.find(eventQuery(filter)).sort(NEWEST_FIRST).skip(page.offset).limit(page.limit).toArray(),
    );
    return this.withReadings(docs);
  }

  async countEvents(filter: EventFilter): Promise<number> {
    const q = eventQuery(filter);
    return this.mongo.run('count events', () => (isEmpty(q) ? this.c.events.estimatedDocumentCount() : this.c.events.countDocuments(q)));
  }

  async listReadings(filter: ReadingFilter, page: Page): Promise<ReadingRecord[]> {
    if (page.limit <= 0) return [];
    const docs = await this.mongo.run('list readings', () =>
      this.c.readings.find(readingQuery(filter)).sort(NEWEST_FIRST).skip(page.offset).limit(page.limit).toArray(),
    );
    return docs.map(fromReadingDoc);
  }

  async countReadings(filter: ReadingFilter): Promise<number> {
    const q = readingQuery(filter);
    return this.mongo.run('count readings', () => (isEmpty(q) ? this.c.readings.estimatedDocumentCount() : this.c.readings.countDocuments(q)));
  }

  async deleteEvent(id: string): Promise<boolean> {
    return (await this.deleteEvents({ _id: id }, `delete event ${id}`)) > 0;
  }

  async deleteEventsByDevice(deviceName: string): Promise<number> {
    return this.deleteEvents({ device: deviceName }, `delete events of device ${deviceName}`);
  }

  async deleteEventsOlderThan(origin: ExactInteger, limit?: number): Promise<number> {
    return this.deleteEvents({ origin: { $lt: origin } }, `delete events older than ${origin}`, limit);
  }

  async deleteDeviceEventsOlderThan(deviceName: string, origin: ExactInteger, limit?: number): Promise<number> {
    return this.deleteEvents({ device: deviceName, origin: { $lt: origin } }, `delete events of device ${deviceName} older than ${origin}`, limit);
  }

  /**
   * One aggregation for the counts (sorted by device first, so MongoDB can answer it from the device_origin
   * index without reading the documents), then one query per device listed for its newest event's profile.
   */
  async listDeviceTotals(minReadings = 1): Promise<DeviceTotals[]> {
    const counts = await this.mongo.run('count readings per device', () =>
      this.c.readings
        .aggregate<{ _id: string; readings: number }>([
          { $sort: { device: 1 } },
          { $group: { _id: '$device', readings: { $sum: 1 } } },
          { $match: { readings: { $gte: Math.max(minReadings, 1) } } },
        ])
        .toArray(),
    );
    const totals: DeviceTotals[] = [];
    for (const { _id: deviceName, readings } of counts) {
      const newest = await this.mongo.run(`find the profile of device ${deviceName}`, () =>
        this.c.events.findOne({ device: deviceName }, { sort: NEWEST_FIRST, projection: { profile: 1 } }),
      );
      if (newest) totals.push({ deviceName, profileName: newest.profile, readings });
    }
    return totals;
  }

  async close(): Promise<void> {
    await this.mongo.close();
  }

  /**
   * Deletes the matching events in chunks, each chunk's readings first. Returns the events deleted.
   * With `limit`, deletes at most that many, the oldest first.
   */
  private async deleteEvents(filter: Filter<EventDoc>, what: string, limit = Infinity): Promise<number> {
    let deleted = 0;
    for (;;) {
      const chunk = Math.min(DELETE_CHUNK, limit - deleted);
      if (chunk <= 0) return deleted;
      const ids = await this.mongo.run(what, async () => {
        const found = this.c.events.find(filter, { projection: { _id: 1 } });
        if (Number.isFinite(limit)) found.sort({ origin: 1, _id: 1 });
        return (await found.limit(chunk).toArray()).map((d) => d._id);
      });
      if (ids.length === 0) return deleted;
      await this.mongo.run(`${what} (readings)`, () => this.c.readings.deleteMany({ event: { $in: ids } }));
      const res = await this.mongo.run(what, () => this.c.events.deleteMany({ _id: { $in: ids } }));
      deleted += res.deletedCount;
      if (ids.length < chunk) return deleted;
    }
  }

  /** The events with their readings, in the given order (one query for all readings). */
  private async withReadings(docs: EventDoc[]): Promise<EventRecord[]> {
    if (docs.length === 0) return [];
    const ids = docs.map((d) => d._id);
    const readings = await this.mongo.run('get readings of events', () =>
      this.c.readings
        .find({ event: ids.length === 1 ? ids[0] : { $in: ids } })
        .sort({ event: 1, idx: 1 })
        .toArray(),
    );
    const byEvent = new Map<string, ReadingDoc[]>();
    for (const r of readings) {
      const list = byEvent.get(r.event);
      if (list) list.push(r);
      else byEvent.set(r.event, [r]);
    }
    return docs.map((d) => fromEventDoc(d, (byEvent.get(d._id) ?? []).map(fromReadingDoc)));
  }
}
