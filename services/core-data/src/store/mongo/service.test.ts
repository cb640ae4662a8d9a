// core-data switched to MongoDB by MONGODB_URL alone, against a real FerretDB and a real Mosquitto: ingest from
// the bus and REST lands in MongoDB and is served back; a restart of the database while events stream in
// loses none and stores none twice, and ingest carries on by itself.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import mqtt from 'mqtt';
import { encodeEnvelope, newEnvelope } from '@edgex-ts/runtime';
import { startFerretDb, type FerretDb } from '../../../../../test/helpers/ferretdb.js';
import { startTcpProxy } from '../../../../../test/helpers/tcp-proxy.js';
import { startMosquitto, type MosquittoBroker } from '../../../../../test/helpers/mosquitto.js';
import { waitFor } from '../../../../../test/helpers/wait.js';
import { startCoreData, type CoreDataHandle } from '../../index.js';
import { addEventRequest, makeEvent } from '../../test-support/events.js';
import { CORE_DATA_COLLECTIONS } from './collections.js';

/** GET /reading/all's answer, as much of it as these tests read. */
interface MultiReadingsResponse {
  statusCode: number;
  totalCount: number;
  readings: { id: string; deviceName: string; origin: number }[];
}

let ferret: FerretDb;
let broker: MosquittoBroker;
let pub: mqtt.MqttClient;
let client: MongoClient;
const tmp = mkdtempSync(join(tmpdir(), 'core-data-mongo-'));

before(async () => {
  [ferret, broker] = await Promise.all([startFerretDb(), startMosquitto()]);
  pub = await mqtt.connectAsync(broker.url, { clientId: `pub-mongo-${process.pid}` });
  client = await MongoClient.connect(ferret.url, { serverSelectionTimeoutMS: 20_000 });
});
after(async () => {
  await pub?.endAsync();
  await client?.close();
  await broker?.stop();
  await ferret?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** core-data configured the way an operator would: the environment names MongoDB, nothing else does. */
function startOnMongo(database: string, clientId: string, env: NodeJS.ProcessEnv = {}): Promise<CoreDataHandle> {
  return startCoreData({
    argv: [],
    env: { MONGODB_URL: `${ferret.url}${database}`, DATABASE_PATH: join(tmp, `${database}.db`), ...env },
    configOverrides: {
      Service: { Port: 0, GrpcPort: 0, Host: '127.0.0.1', ServerBindAddr: '127.0.0.1' },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: clientId } },
    },
  });
}

const publish = (e: ReturnType<typeof makeEvent>) =>
  pub.publishAsync(`edgex/events/device/ds/${e.profileName}/${e.deviceName}/${e.sourceName}`, encodeEnvelope(newEnvelope(addEventRequest(e))), { qos: 1 });

async function retries(cd: CoreDataHandle): Promise<number> {
  const metric = await cd.runtime.metrics.getSingleMetric('core_data_bus_store_retries_total')?.get();
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
}

describe('core-data on MongoDB (MONGODB_URL)', () => {
  it('stores events from the bus and REST in MongoDB and serves them from GET /reading/all', async () => {
    const cd = await startOnMongo('core_data_service', `core-data-mongo-a-${process.pid}`);
    try {
      assert.equal(cd.runtime.config.Database.Type, 'mongodb');
      const fromBus = Array.from({ length: 3 }, (_, i) => makeEvent({ deviceName: 'm1', origin: 1000 + i, resources: ['t', 'h'] }));
      for (const e of fromBus) await publish(e);
      const viaRest = makeEvent({ deviceName: 'm2', origin: 2000, resources: ['t'] });
      const res = await fetch(`http://127.0.0.1:${cd.restPort}/api/v3/event/ds/${viaRest.profileName}/m2/${viaRest.sourceName}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(addEventRequest(viaRest)),
      });
      assert.equal(res.status, 201);

      const db = client.db('core_data_service');
      await waitFor('bus events in MongoDB', async () => (await db.collection(CORE_DATA_COLLECTIONS.events).countDocuments({ device: 'm1' })) === 3);
      const ids = (await db.collection(CORE_DATA_COLLECTIONS.events).find({}).project({ _id: 1 }).toArray()).map((d) => d._id).sort();
      assert.deepEqual(ids, [...fromBus, viaRest].map((e) => e.id).sort());
      assert.equal(await db.collection(CORE_DATA_COLLECTIONS.readings).countDocuments({}), 7);

      const all = (await (await fetch(`http://127.0.0.1:${cd.restPort}/api/v3/reading/all?limit=-1`)).json()) as MultiReadingsResponse;
      assert.equal(all.statusCode, 200);
      assert.equal(all.totalCount, 7);
      assert.deepEqual(
        all.readings.map((r) => [r.deviceName, r.origin]),
        [
          ['m2', 2000],
          ['m1', 1002],
          ['m1', 1002],
          ['m1', 1001],
          ['m1', 1001],
          ['m1', 1000],
          ['m1', 1000],
        ],
      );
      const expected = [...fromBus, viaRest]
        .flatMap((e) => e.readings)
        .map((r) => r.id)
        .sort();
      assert.deepEqual(all.readings.map((r) => r.id).sort(), expected);
      const ev = (await (await fetch(`http://127.0.0.1:${cd.restPort}/api/v3/event/id/${fromBus[1].id}`)).json()) as { event: unknown };
      assert.deepEqual(ev.event, { apiVersion: 'v3', ...fromBus[1] });
    } finally {
      await cd.stop();
    }
    assert.equal(existsSync(join(tmp, 'core_data_service.db')), false, 'no SQLite file when MongoDB is configured');
  });

  it('a restart of MongoDB while events stream in: every accepted event stored exactly once, ingest resumes by itself', async () => {
    // core-data reaches FerretDB through a relay whose link is cut just before FerretDB restarts, so the outage
    // surely falls while events are arriving (a bare restart can slip between two commits). A short
    // Database.Timeout lets the outage outlast the store's own retries: the bus ingest's retry (event left
    // unacknowledged) is what carries the events over it.
    const proxy = await startTcpProxy(ferret.port);
    const url = `mongodb://127.0.0.1:${proxy.port}/core_data_restart`;
    const cd = await startOnMongo('core_data_restart', `core-data-mongo-b-${process.pid}`, { MONGODB_URL: url, DATABASE_TIMEOUT: '1s' });
    const events = Array.from({ length: 600 }, (_, i) => makeEvent({ deviceName: 'stream', origin: i + 1, resources: 2 }));
    const stored = () => cd.domain.countEvents({ deviceName: 'stream' });
    try {
      // A steady stream from another device service: it keeps publishing through the outage.
      const streaming = (async () => {
        for (const e of events) await publish(e);
      })();
      await waitFor('ingest under way', async () => (await stored()) >= 50, { timeoutMs: 20_000, intervalMs: 10 });
      const before = await stored();
      proxy.cut();
      await waitFor('a store attempt failed and is retried', async () => (await retries(cd)) > 0, { timeoutMs: 20_000 });
      await ferret.restart();
      proxy.restore();
      await streaming;
      await waitFor('every streamed event stored', async () => (await stored()) === events.length, { timeoutMs: 60_000, intervalMs: 100 });
      assert.ok(before < events.length, 'the outage fell inside the stream');

      // Exactly once: the ids stored are the ids published, and every event has its readings once.
      const col = client.db('core_data_restart').collection(CORE_DATA_COLLECTIONS.events);
      const ids = (await col.find({ device: 'stream' }).project({ _id: 1 }).toArray()).map((d) => String(d._id)).sort();
      assert.deepEqual(ids, events.map((e) => e.id).sort());
      const readings = client.db('core_data_restart').collection(CORE_DATA_COLLECTIONS.readings);
      assert.equal(await readings.countDocuments({ device: 'stream' }), events.length * 2);
      assert.equal(await cd.domain.countReadings({ deviceName: 'stream' }), events.length * 2);

      // Still ingesting after the outage, without any help.
      await publish(makeEvent({ deviceName: 'stream', origin: 10_000 }));
      await waitFor('an event after the restart', async () => (await stored()) === events.length + 1);
    } finally {
      await cd.stop();
      await proxy.close();
    }
  });
});
