/**
 * Device commands against a real Mosquitto: a plain MQTT client plays core-command on the EdgeX request and
 * response topics, and the same commands go through device-virtual's own REST routes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { commandRequestTopic } from '@edgex-ts/device-sdk';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { startDeviceVirtual } from './index.js';

interface Reply {
  topic: string;
  env: { requestID: string; correlationID: string; errorCode: number; payload: string; queryParams?: Record<string, string> };
  body: string;
}

let broker: MosquittoBroker;
let client: mqtt.MqttClient;
let dv: DeviceServiceHandle;
let base: string;
const replies = new Map<string, Reply>();
const events: string[] = [];

before(async () => {
  broker = await startMosquitto();
  client = await mqtt.connectAsync(broker.url, { clientId: `cmd-test-${process.pid}`, reconnectPeriod: 100 });
  client.on('message', (topic, buf) => {
    if (topic.startsWith('edgex/events/')) {
      events.push(topic);
      return;
    }
    const env = JSON.parse(buf.toString('utf8')) as Reply['env'];
    replies.set(env.requestID, { topic, env, body: Buffer.from(env.payload ?? '', 'base64').toString('utf8') });
  });
  await client.subscribeAsync(['edgex/response/device-virtual/#', 'edgex/events/device/device-virtual/+/Random-Float-Device/#'], { qos: 1 });
  dv = await startDeviceVirtual({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `dv-cmd-test-${process.pid}` } },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
    },
  });
  base = `http://127.0.0.1:${dv.restPort}/api/v3`;
});

after(async () => {
  await dv?.stop();
  await client?.endAsync();
  await broker?.stop();
});

/** Publishes a command request as core-command does and waits for the reply envelope. */
async function request(device: string, command: string, method: 'get' | 'set', payload: object = {}, queryParams?: Record<string, string>): Promise<Reply> {
  const requestID = randomUUID();
  const env = {
    apiVersion: 'v3',
    correlationID: randomUUID(),
    requestID,
    errorCode: 0,
    contentType: 'application/json',
    payload: Buffer.from(JSON.stringify(payload)).toString('base64'),
    ...(queryParams ? { queryParams } : {}),
  };
  await client.publishAsync(commandRequestTopic('edgex', 'device-virtual', device, command, method), JSON.stringify(env), { qos: 1 });
  const reply = await waitFor(`reply to ${requestID}`, () => replies.get(requestID));
  assert.equal(reply.topic, `edgex/response/device-virtual/${requestID}`);
  assert.equal(reply.env.correlationID, env.correlationID);
  return reply;
}

describe('commands over the message bus', () => {
  test('SET then GET round trip', async () => {
    const set = await request('Random-Integer-Device', 'WriteInt8Value', 'set', { Int8: '42' });
    assert.equal(set.env.errorCode, 0, set.body);
    assert.deepEqual(JSON.parse(set.body), { apiVersion: 'v3', statusCode: 200 });
    const get = await request('Random-Integer-Device', 'Int8', 'get');
    assert.equal(get.env.errorCode, 0, get.body);
    const res = JSON.parse(get.body);
    assert.equal(res.apiVersion, 'v3');
    assert.equal(res.statusCode, 200);
    assert.equal(res.event.deviceName, 'Random-Integer-Device');
    assert.equal(res.event.sourceName, 'Int8');
    assert.equal(res.event.readings[0].value, '42');
  });

  test('a GET of a regular expression reads the resources it matches, unless ds-regexcmd=false (EdgeX device SDK)', async () => {
    const get = await request('Random-Integer-Device', 'Int(8|16)', 'get');
    assert.equal(get.env.errorCode, 0, get.body);
    const event = JSON.parse(get.body).event;
    assert.equal(event.sourceName, 'Int(8|16)');
    assert.deepEqual(event.readings.map((r: { resourceName: string }) => r.resourceName).sort(), ['Int16', 'Int8']);
    const plain = await request('Random-Integer-Device', 'Int(8|16)', 'get', {}, { 'ds-regexcmd': 'false' });
    assert.equal(plain.env.errorCode, 1);
    assert.match(plain.body, /no deviceCommand or deviceResource named Int\(8\|16\)/);
  });

  test('ds-returnevent=false gives an empty payload; ds-pushevent=true publishes the event', async () => {
    const before = events.length;
    const get = await request('Random-Float-Device', 'Float64', 'get', {}, { 'ds-returnevent': 'false', 'ds-pushevent': 'true' });
    assert.equal(get.env.errorCode, 0);
    assert.equal(get.body, '');
    await waitFor('pushed event', () => events.slice(before).includes('edgex/events/device/device-virtual/Random-Float-Device/Random-Float-Device/Float64'));
  });

  test('errors: errorCode 1, message payload, status for the REST façade', async () => {
    const cases: [string, string, 'get' | 'set', object, number, RegExp][] = [
      ['No-Such-Device', 'Int8', 'get', {}, 404, /No-Such-Device/],
      ['Random-Integer-Device', 'NoSuchCommand', 'get', {}, 404, /NoSuchCommand/],
      ['Random-Integer-Device', 'WriteInt8Value', 'set', { Int8: '101' }, 400, /Int8: 101 is above the maximum 100/],
      ['Random-Integer-Device', 'WriteInt8Value', 'set', { Int8: 'abc' }, 400, /Int8/],
    ];
    for (const [device, command, method, payload, status, re] of cases) {
      const r = await request(device, command, method, payload);
      assert.equal(r.env.errorCode, 1, `${device}/${command}`);
      const body = JSON.parse(r.body) as { apiVersion: string; statusCode: number; message: string };
      assert.equal(body.apiVersion, 'v3');
      assert.equal(body.statusCode, status, `${device}/${command}: ${r.body}`);
      assert.match(body.message, re);
    }
  });

  test('LOCKED device and LOCKED service answer 423', async () => {
    dv.setDeviceAdminState('Random-Boolean-Device', 'LOCKED');
    try {
      const r = await request('Random-Boolean-Device', 'Bool', 'get');
      assert.equal(r.env.errorCode, 1);
      assert.equal(JSON.parse(r.body).statusCode, 423);
      assert.match(JSON.parse(r.body).message, /LOCKED/);
    } finally {
      dv.setDeviceAdminState('Random-Boolean-Device', 'UNLOCKED');
    }
    dv.setServiceAdminState('LOCKED');
    try {
      const r = await request('Random-Boolean-Device', 'Bool', 'get');
      assert.equal(JSON.parse(r.body).statusCode, 423);
    } finally {
      dv.setServiceAdminState('UNLOCKED');
    }
  });
});

describe('commands over REST', () => {
  test('PUT then GET /api/v3/device/name/{name}/{command}', async () => {
    const put = await fetch(`${base}/device/name/Random-UnsignedInteger-Device/WriteUint16Value`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Uint16: '999' }),
    });
    assert.equal(put.status, 200, await put.clone().text());
    assert.deepEqual(await put.json(), { apiVersion: 'v3', statusCode: 200 });
    const get = await fetch(`${base}/device/name/Random-UnsignedInteger-Device/Uint16`);
    assert.equal(get.status, 200);
    const body = (await get.json()) as { statusCode: number; event: { readings: { value: string }[] } };
    assert.equal(body.statusCode, 200);
    assert.equal(body.event.readings[0].value, '999');
    const empty = await fetch(`${base}/device/name/Random-UnsignedInteger-Device/Uint16?ds-returnevent=false`);
    assert.equal(empty.status, 200);
    assert.equal(await empty.text(), '');
  });

  test('404, 400 and 423 with the EdgeX error envelope', async () => {
    const nf = await fetch(`${base}/device/name/Nope/Uint16`);
    assert.equal(nf.status, 404);
    assert.equal(((await nf.json()) as { statusCode: number }).statusCode, 404);
    const bad = await fetch(`${base}/device/name/Random-UnsignedInteger-Device/WriteUint16Value`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Uint16: '-1' }),
    });
    assert.equal(bad.status, 400, await bad.clone().text());
    dv.setDeviceAdminState('Random-UnsignedInteger-Device', 'LOCKED');
    try {
      assert.equal((await fetch(`${base}/device/name/Random-UnsignedInteger-Device/Uint16`)).status, 423);
    } finally {
      dv.setDeviceAdminState('Random-UnsignedInteger-Device', 'UNLOCKED');
    }
  });
});
