// 64-bit origins and values through every way into and out of core-data: REST JSON, the bus (JSON in an
// envelope, in and re-published out), gRPC, and the store between them. 1796657960933599538 and its
// neighbours are one double apart from nothing: rounded anywhere, the figures below change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import mqtt from 'mqtt';
import { CoreDataServiceClient, eventToProto, type coredataV1 } from '@edgex-ts/contracts';
import { decodeEnvelope, encodeEnvelope, newEnvelope } from '@edgex-ts/runtime';
import type { CoreDataHandle } from '../index.js';
import { makeEvent } from '../test-support/events.js';
import { startTestCoreData } from '../test-support/start.js';
import { startMosquitto, type MosquittoBroker } from '../../../../test/helpers/mosquitto.js';
import { waitFor } from '../../../../test/helpers/wait.js';

let broker: MosquittoBroker;
let cd: CoreDataHandle;
let client: InstanceType<typeof CoreDataServiceClient>;
let mq: mqtt.MqttClient;
const republished = new Map<string, string>(); // event id → the re-published payload's JSON text

/** An AddEventRequest as JSON text, written by hand so that nothing on this side rounds it. */
function eventJson(id: string, device: string, origin: string, readingOrigin: string): string {
  return (
    `{"apiVersion":"v3","event":{"apiVersion":"v3","id":"${id}","deviceName":"${device}","profileName":"p","sourceName":"big",` +
    `"origin":${origin},"readings":[{"origin":${readingOrigin},"deviceName":"${device}","resourceName":"big","profileName":"p",` +
    `"valueType":"Int64","value":"9223372036854775807"}]}}`
  );
}

async function restGetText(path: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${cd.restPort}/api/v3${path}`);
  assert.equal(res.status, 200, path);
  return res.text();
}

function getEvent(id: string): Promise<coredataV1.GetEventResponse> {
  return new Promise((resolve, reject) => client.getEvent({ id }, (err, res) => (err ? reject(err) : resolve(res))));
}

before(async () => {
  broker = await startMosquitto();
  cd = await startTestCoreData({ brokerPort: broker.port, clientId: `core-data-64-${process.pid}` });
  client = new CoreDataServiceClient(`127.0.0.1:${cd.grpcPort}`, grpc.credentials.createInsecure());
  mq = await mqtt.connectAsync(broker.url, { clientId: `sub-64-${process.pid}` });
  mq.on('message', (_topic, payload) => {
    const text = Buffer.from(decodeEnvelope(payload).payload).toString('utf8');
    const id = /"event":\{"apiVersion":"v3","id":"([^"]+)"/.exec(text)?.[1] ?? /"id":"([^"]+)"/.exec(text)?.[1];
    if (id) republished.set(id, text);
  });
  await mq.subscribeAsync('edgex/events/core/#', { qos: 1 });
});
after(async () => {
  client?.close();
  await mq?.endAsync();
  await cd?.stop();
  await broker?.stop();
});

describe('core-data keeps 64-bit integers exact', () => {
  it('REST in → REST, gRPC and bus out', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    const res = await fetch(`http://127.0.0.1:${cd.restPort}/api/v3/event/ds/p/rest-dev/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: eventJson(id, 'rest-dev', '1796657960933599538', '1796657960933599539'),
    });
    assert.equal(res.status, 201, await res.clone().text());

    const text = await restGetText(`/event/id/${id}`);
    assert.match(text, /"origin":1796657960933599538,/);
    assert.match(text, /"origin":1796657960933599539,/);
    assert.match(text, /"value":"9223372036854775807"/);
    assert.match(await restGetText('/reading/device/name/rest-dev'), /"origin":1796657960933599539,/);
    // The exact nanosecond selects it; the one before does not.
    assert.match(await restGetText('/event/start/1796657960933599538/end/1796657960933599538'), /"totalCount":1,/);
    assert.match(await restGetText('/event/start/1796657960933599537/end/1796657960933599537'), /"totalCount":0,/);

    const got = await getEvent(id);
    assert.equal(got.event?.origin, 1796657960933599538n);
    assert.equal(got.event?.readings[0]?.origin, 1796657960933599539n);

    const published = await waitFor('the re-published event', () => republished.get(id));
    assert.match(published, /"origin":1796657960933599538,/);
    assert.match(published, /"origin":1796657960933599539,/);
  });

  it('gRPC in → REST out', async () => {
    const event = makeEvent({ deviceName: 'grpc-dev', origin: 1796657960933599540n, resources: 1 });
    event.readings[0].origin = 1796657960933599541n;
    await new Promise((resolve, reject) => client.addEvent({ event: eventToProto(event), serviceName: 'ds' }, (err, r) => (err ? reject(err) : resolve(r))));
    const text = await restGetText(`/event/id/${event.id}`);
    assert.match(text, /"origin":1796657960933599540,/);
    assert.match(text, /"origin":1796657960933599541,/);
  });

  it('bus in (JSON, v3 and v4 envelopes) → REST out', async () => {
    const v3 = 'a1b2c3d4-0000-4000-8000-000000000003';
    const v4 = 'a1b2c3d4-0000-4000-8000-000000000004';
    const envelope = (json: string) => newEnvelope(Buffer.from(json), { contentType: 'application/json' });
    await mq.publishAsync(
      'edgex/events/device/ds/p/bus-dev/big',
      encodeEnvelope(envelope(eventJson(v3, 'bus-dev', '1796657960933599542', '1796657960933599543')), 'base64'),
      { qos: 1 },
    );
    await mq.publishAsync(
      'edgex/events/device/ds/p/bus-dev/big',
      encodeEnvelope(envelope(eventJson(v4, 'bus-dev', '1796657960933599544', '1796657960933599545')), 'inline'),
      { qos: 1 },
    );
    await waitFor('both bus events stored', async () => (await cd.domain.countEvents({ deviceName: 'bus-dev' })) === 2);
    const text3 = await restGetText(`/event/id/${v3}`);
    assert.match(text3, /"origin":1796657960933599542,/);
    assert.match(text3, /"origin":1796657960933599543,/);
    const text4 = await restGetText(`/event/id/${v4}`);
    assert.match(text4, /"origin":1796657960933599544,/);
    assert.match(text4, /"origin":1796657960933599545,/);
  });
});
