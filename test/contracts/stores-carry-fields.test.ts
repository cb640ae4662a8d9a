// Every field of an event (readings of every kind included), a device, a device profile, a device service and a
// provision watcher is carried by each store: a DTO with every field set (from samples.ts, through the mappers)
// is stored, the store is closed and opened again, and what it answers equals what was stored. SQLite files and
// MongoDB (a real FerretDB). A field that is lost is named by its path; the deliberate exceptions are in
// not-carried.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  deviceFromProto,
  DeviceProfileSchema,
  deviceProfileFromProto,
  DeviceSchema,
  DeviceServiceSchema,
  deviceServiceFromProto,
  eventFromProto,
  EventSchema,
  provisionWatcherFromProto,
  ProvisionWatcherSchema,
  type Device,
  type DeviceProfile,
  type DeviceService,
  type Event,
  type ProvisionWatcher,
} from '@edgex-ts/contracts';
import { openMongo } from '@edgex-ts/mongo';
import { openSqlite } from '@edgex-ts/sqlite';
import { pino } from 'pino';
import type { z } from 'zod';
import { MongoEventStore } from '../../services/core-data/src/store/mongo/mongo-store.js';
import { SqliteEventStore } from '../../services/core-data/src/store/sqlite-store.js';
import { ThreadedEventStore } from '../../services/core-data/src/store/threaded-store.js';
import type { EventStore } from '../../services/core-data/src/store/types.js';
import { mongoMetadataStores } from '../../services/core-metadata/src/store/mongo/index.js';
import { sqliteMetadataStores } from '../../services/core-metadata/src/store/sqlite/index.js';
import type { EntityStore, MetadataStores } from '../../services/core-metadata/src/store/types.js';
import { startFerretDb, type FerretDb } from '../helpers/ferretdb.js';
import { differences, withEveryDtoField, type Difference } from './fields.js';
import { unexplained, type Stage } from './not-carried.js';
import { protoSamples, readingValueFieldPaths } from './samples.js';

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'fields-carried-'));
let ferret: FerretDb | undefined;
let n = 0;

before(async () => {
  ferret = await startFerretDb();
});
after(async () => {
  await ferret?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A place a store lives in: open() again after close() finds what was stored. */
interface Backend<S> {
  name: string;
  stage: Stage;
  /** A fresh, empty place. */
  fresh(): () => Promise<S>;
}

const mongoOpen = (db: string) => openMongo(ferret!.url, db, silent, { timeoutMs: 15_000 });

const eventBackends: Backend<EventStore>[] = [
  {
    name: 'SqliteEventStore',
    stage: 'SQLite store',
    fresh: () => {
      const path = join(dir, `events-${++n}.db`);
      return async () => new SqliteEventStore(openSqlite(path, silent));
    },
  },
  {
    name: 'ThreadedEventStore',
    stage: 'SQLite store',
    fresh: () => {
      const path = join(dir, `events-${++n}.db`);
      return async () => new ThreadedEventStore(openSqlite(path, silent), path);
    },
  },
  {
    name: 'MongoEventStore',
    stage: 'MongoDB store',
    fresh: () => {
      const db = `fields_events_${++n}`;
      return async () => MongoEventStore.open(await mongoOpen(db));
    },
  },
];

const metadataBackends: Backend<MetadataStores>[] = [
  {
    name: 'SQLite',
    stage: 'SQLite store',
    fresh: () => {
      const path = join(dir, `metadata-${++n}.db`);
      return async () => sqliteMetadataStores(openSqlite(path, silent));
    },
  },
  {
    name: 'MongoDB',
    stage: 'MongoDB store',
    fresh: () => {
      const db = `fields_metadata_${++n}`;
      return async () => mongoMetadataStores(await mongoOpen(db));
    },
  },
];

function assertCarried(diffs: Difference[], stage: Stage, what: string): void {
  const lost = unexplained(diffs, stage);
  assert.deepEqual(lost, [], `${what} lost ${lost.length} field(s):\n  ${lost.join('\n  ')}`);
}

/** Opens, runs `fn`, closes. */
async function using<S extends { close(): Promise<void> }, T>(open: () => Promise<S>, fn: (store: S) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const all = { offset: 0, limit: 100 };

for (const backend of eventBackends) {
  describe(`${backend.name} carries every field of an event`, () => {
    // One reading of each kind: simple, binary, object and a null reading (see protoSamples).
    // Every DTO field set on every reading too (a mediaType on a Float64 reading), but each reading's value field.
    const [event] = protoSamples('edgex.common.v1.Event').map((p) =>
      withEveryDtoField(EventSchema, eventFromProto(p as never), 'Event', {
        inEveryElement: true,
        except: readingValueFieldPaths('Event'),
      }),
    ) as [Event];

    test('getEvent, listEvents and listReadings answer every field stored', async () => {
      const open = backend.fresh();
      assert.deepEqual(await using(open, (store) => store.addEvents([event])), ['stored']);
      await using(open, async (store) => {
        const where = `${backend.name}`;
        assertCarried(differences(event, await store.getEvent(event.id), 'Event'), backend.stage, `${where} getEvent`);
        assertCarried(differences([event], await store.listEvents({}, all), 'Events'), backend.stage, `${where} listEvents`);
        const readings = await store.listReadings({}, all);
        const byId = new Map(readings.map((r) => [r.id, r]));
        assert.equal(readings.length, event.readings.length);
        event.readings.forEach((r, i) => assertCarried(differences(r, byId.get(r.id), `Event.readings[${i}]`), backend.stage, `${where} listReadings`));
      });
    });
  });
}

/** The four aggregates: their DTO (from a proto sample, with the fields only the DTO has filled too) and their store. */
const aggregates = [
  {
    name: 'DeviceService',
    schema: DeviceServiceSchema,
    toDto: (p: never): DeviceService => deviceServiceFromProto(p),
    of: (s: MetadataStores) => s.deviceServices,
  },
  {
    name: 'DeviceProfile',
    schema: DeviceProfileSchema,
    toDto: (p: never): DeviceProfile => deviceProfileFromProto(p),
    of: (s: MetadataStores) => s.deviceProfiles,
  },
  { name: 'Device', schema: DeviceSchema, toDto: (p: never): Device => deviceFromProto(p), of: (s: MetadataStores) => s.devices },
  {
    name: 'ProvisionWatcher',
    schema: ProvisionWatcherSchema,
    toDto: (p: never): ProvisionWatcher => provisionWatcherFromProto(p),
    of: (s: MetadataStores) => s.provisionWatchers,
  },
] as {
  name: string;
  schema: z.ZodType;
  toDto(p: never): { id?: string; name: string };
  of(s: MetadataStores): EntityStore<{ id?: string; name: string }> & MetadataStores['devices' | 'deviceServices'];
}[];

/** The DTO of the aggregate's first proto sample, named from `root`, with every DTO field set. */
const sampleDto = (agg: (typeof aggregates)[number], root: string) =>
  withEveryDtoField(agg.schema, agg.toDto(protoSamples(`edgex.common.v1.${agg.name}`, root)[0] as never), root);

for (const backend of metadataBackends) {
  describe(`core-metadata ${backend.name} stores carry every field`, () => {
    for (const agg of aggregates) {
      test(`${agg.name}: add, update, byName, byId and list answer every field stored`, async () => {
        const open = backend.fresh();
        const added = sampleDto(agg, agg.name);
        const replacement = { ...sampleDto(agg, `${agg.name}Updated`), id: added.id };
        const where = `${backend.name} ${agg.name}`;
        const check = async (stored: { id?: string; name: string }) =>
          using(open, async (stores) => {
            const store = agg.of(stores);
            assertCarried(differences(stored, await store.byName(stored.name), agg.name), backend.stage, `${where} byName`);
            assertCarried(differences(stored, await store.byId(stored.id!), agg.name), backend.stage, `${where} byId`);
            const listed = (await store.list({ offset: 0, limit: -1 })).items.find((i) => i.name === stored.name);
            assertCarried(differences(stored, listed, agg.name), backend.stage, `${where} list`);
          });

        await using(open, (stores) => agg.of(stores).add(added));
        await check(added);
        assert.equal(await using(open, (stores) => agg.of(stores).update(replacement)), true);
        await check(replacement);
      });
    }
  });
}
