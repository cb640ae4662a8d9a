import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { encodeEnvelope, newEnvelope } from '@edgex-ts/runtime';
import type { CoreDataHandle } from '../index.js';
import { addEventRequest, makeEvent } from '../test-support/events.js';
import { startTestCoreData, tempDbPath } from '../test-support/start.js';
import { startMosquitto, type MosquittoBroker } from '../../../../test/helpers/mosquitto.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { EDGEX_CBOR_EVENT, edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';
import { parseJson, stringifyJson } from '@edgex-ts/contracts';

let broker: MosquittoBroker;
let cd: CoreDataHandle | undefined;
let pub: mqtt.MqttClient;
const dbPath = tempDbPath();
const clientId = `core-data-test-${process.pid}`;

const publish = (topic: string, payload: Buffer | string) => pub.publishAsync(topic, payload, { qos: 1 });
const count = (device: string) => cd!.domain.countEvents({ deviceName: device });
const retries = async () => {
  const metric = await cd!.runtime.metrics.getSingleMetric('core_data_bus_store_retries_total')?.get();
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
};

before(async () => {
  broker = await startMosquitto();
  pub = await mqtt.connectAsync(broker.url, { clientId: `pub-${process.pid}` });
  cd = await startTestCoreData({ dbPath, brokerPort: broker.port, clientId });
});
after(async () => {
  await pub?.endAsync();
  await cd?.stop();
  await broker?.stop();
});

describe('core-data bus ingest', () => {
  it('stores events from edgex/events/device/#, v3 and v4 envelopes; garbage does not stop later events', async () => {
    const e1 = makeEvent({ deviceName: 'b1' });
    const e2 = makeEvent({ deviceName: 'b1' });
    await publish('edgex/events/device/ds/prof/b1/r', encodeEnvelope(newEnvelope(addEventRequest(e1)), 'base64'));
    await publish('edgex/events/device/ds/prof/b1/r', 'this is not an envelope');
    await publish('edgex/events/device/ds/prof/b1/r', encodeEnvelope(newEnvelope({ apiVersion: 'v3', event: { id: 'x' } })));
    await publish('edgex/events/device/ds/prof/b1/r', encodeEnvelope(newEnvelope(addEventRequest(e2)), 'inline'));
    await waitFor('two events from the bus', async () => (await count('b1')) === 2);
  });

  it("stores a Binary event in CBOR as EdgeX's Go device SDK publishes it, read back as EdgeX's JSON", async () => {
    const { id, serviceName, profileName, deviceName, sourceName } = EDGEX_CBOR_EVENT;
    await publish(`edgex/events/device/${serviceName}/${profileName}/${deviceName}/${sourceName}`, edgexCbor.addEventEnvelope);
    const stored = await waitFor('the CBOR event stored', () => cd!.domain.getEvent(id).catch(() => undefined));
    const edgex = parseJson(edgexCbor.eventJson) as { readings: Record<string, unknown>[] };
    // Exactly EdgeX's event, origins beyond 2^53 included.
    assert.deepEqual({ apiVersion: 'v3', ...stored }, edgex);
    assert.equal(stored.readings[0].binaryValue, (edgex.readings[0] as { binaryValue: string }).binaryValue);
  });

  it("stores the same event sent in an all-CBOR envelope (EdgeX's EDGEX_MSG_CBOR_ENCODE=true)", async () => {
    const { id, serviceName, profileName, deviceName, sourceName } = EDGEX_CBOR_EVENT;
    await cd!.domain.deleteEvent(id); // stored by the test before
    await publish(`edgex/events/device/${serviceName}/${profileName}/${deviceName}/${sourceName}`, edgexCbor.addEventCborEnvelope);
    const stored = await waitFor('the event from the CBOR envelope stored', () => cd!.domain.getEvent(id).catch(() => undefined));
    assert.equal(stored.readings[0].binaryValue, (JSON.parse(edgexCbor.eventJson) as { readings: { binaryValue: string }[] }).readings[0].binaryValue);
  });

  it('drops a CBOR payload that is not CBOR (logged), and keeps taking events', async () => {
    const e = makeEvent({ deviceName: 'b6' });
    await publish('edgex/events/device/ds/prof/b6/r', encodeEnvelope(newEnvelope(Buffer.from([0xa1, 0x61]), { contentType: 'application/cbor' })));
    await publish('edgex/events/device/ds/prof/b6/r', encodeEnvelope(newEnvelope(addEventRequest(e))));
    await waitFor('the later event stored', async () => (await count('b6')) === 1);
  });

  it('ingests events published while core-data was down (persistent session)', async () => {
    await cd!.stop();
    cd = undefined;
    const events = Array.from({ length: 20 }, () => makeEvent({ deviceName: 'b2', resources: 3 }));
    for (const e of events) await publish('edgex/events/device/ds/prof/b2/r0', encodeEnvelope(newEnvelope(addEventRequest(e))));
    cd = await startTestCoreData({ dbPath, brokerPort: broker.port, clientId });
    await waitFor('queued events ingested', async () => (await count('b2')) === 20);
    assert.equal(await count('b1'), 2); // restart kept the earlier ones
  });

  it('re-publishes REST-posted events on edgex/events/core/...', async () => {
    const sub = await mqtt.connectAsync(broker.url, { clientId: `sub-${process.pid}` });
    const got: string[] = [];
    sub.on('message', (topic) => got.push(topic));
    await sub.subscribeAsync('edgex/events/core/#', { qos: 1 });
    const e = makeEvent({ deviceName: 'b3' });
    const res = await fetch(`http://127.0.0.1:${cd!.restPort}/api/v3/event/ds/${e.profileName}/b3/${e.sourceName}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifyJson(addEventRequest(e)),
    });
    assert.equal(res.status, 201);
    await waitFor('re-published', () => got.includes(`edgex/events/core/ds/${e.profileName}/b3/${e.sourceName}`));
    await sub.endAsync();
  });

  it('stores a burst of 2000 events completely', async () => {
    const n = 2000;
    const payloads = Array.from({ length: n }, () => encodeEnvelope(newEnvelope(addEventRequest(makeEvent({ deviceName: 'b4', resources: 10 })))));
    await Promise.all(payloads.map((p) => publish('edgex/events/device/ds/prof/b4/r0', p)));
    await waitFor('all bus events stored', async () => (await count('b4')) === n, { timeoutMs: 60_000 });
  });

  it('keeps retrying an event while the database refuses writes, and stores it once it can', async () => {
    // Another connection holds the write lock: core-data's writes fail with SQLITE_BUSY (a real storage error).
    const blocker = new Database(dbPath);
    blocker.exec('BEGIN IMMEDIATE');
    const e = makeEvent({ deviceName: 'b5' });
    try {
      await publish('edgex/events/device/ds/prof/b5/r0', encodeEnvelope(newEnvelope(addEventRequest(e))));
      await waitFor('a failed attempt that will be retried', async () => (await retries()) >= 1, { timeoutMs: 20_000 });
      assert.equal(await count('b5'), 0);
    } finally {
      blocker.exec('COMMIT');
      blocker.close();
    }
    await waitFor('the event stored after the lock is gone', async () => (await count('b5')) === 1, { timeoutMs: 20_000 });
    assert.equal((await cd!.domain.getEvent(e.id)).id, e.id);
  });
});
