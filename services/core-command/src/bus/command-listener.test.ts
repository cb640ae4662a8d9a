import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from '../../../../test/helpers/wait.js';
import { decode } from 'cbor2';
import { envelopeJson, parseEnvelopeJson } from '../test-support/device-peer.js';
import { edgexCbor } from '../../../../test/edgex/go-cbor/vectors.js';
import { DEVICES, startCommandWorld, type CommandWorld } from '../test-support/harness.js';

describe('core-command on the bus: edgex/core/command{,query}/request/# → edgex/response/core-command/<requestId>', () => {
  let w: CommandWorld;
  let client: MqttClient;
  const responses = new Map<string, ReturnType<typeof parseEnvelopeJson>>();
  const rawResponses = new Map<string, Buffer>();

  before(async () => {
    w = await startCommandWorld();
    client = await mqtt.connectAsync(w.broker.url, { clientId: `bus-client-${randomUUID()}`, clean: true });
    client.on('message', (_topic, message) => {
      const env = parseEnvelopeJson(message);
      responses.set(env.requestID, env);
      rawResponses.set(env.requestID, message);
    });
    await client.subscribeAsync('edgex/response/core-command/#', { qos: 1 });
  });
  after(async () => {
    await client?.endAsync();
    await w?.stop();
  });

  async function request(topic: string, opts: { payload?: string; queryParams?: Record<string, string> } = {}, area = 'command') {
    const requestID = randomUUID();
    await client.publishAsync(`edgex/core/${area}/request/${topic}`, envelopeJson({ requestID, ...opts }), { qos: 1 });
    return waitFor(`response ${requestID}`, () => responses.get(requestID));
  }

  it('GET: an EventResponse, query params passed to the device service', async () => {
    const res = await request('t-1/Status/get', { queryParams: { 'ds-pushevent': 'true' } });
    assert.equal(res.errorCode, 0);
    const body = JSON.parse(res.payload);
    assert.equal(body.statusCode, 200);
    assert.equal(body.event.deviceName, 't-1');
    assert.deepEqual(w.peer.received.at(-1)!.queryParams, { 'ds-pushevent': 'true', 'ds-returnevent': 'true' });
  });

  it("GET of a Binary resource: the device service's CBOR EventResponse passed on unchanged, contentType application/cbor (as EdgeX)", async () => {
    const res = await request('t-1/Image/get');
    assert.equal(res.errorCode, 0, res.payload);
    assert.equal(res.contentType, 'application/cbor');
    const payload = Buffer.from(JSON.parse(rawResponses.get(res.requestID)!.toString('utf8')).payload, 'base64');
    assert.deepEqual(payload, edgexCbor.eventResponse);
    const answer = decode<{ statusCode: number; event: { readings: { binaryValue: Uint8Array }[] } }>(new Uint8Array(payload));
    assert.equal(answer.statusCode, 200);
    assert.equal(Buffer.from(answer.event.readings[0].binaryValue).toString('base64'), JSON.parse(edgexCbor.eventJson).readings[0].binaryValue);
    // The device service was asked with the caller's ids, as EdgeX forwards the request envelope.
    assert.equal(w.peer.received.at(-1)!.requestID, res.requestID);
  });

  it('GET with ds-returnevent=false: an empty payload', async () => {
    const res = await request('t-1/Status/get', { queryParams: { 'ds-returnevent': 'false' } });
    assert.equal(res.errorCode, 0);
    assert.equal(res.payload, '');
  });

  it("SET: the payload values reach the device service; its answer comes back as it sent it (EdgeX's Go SDK: no payload)", async () => {
    const res = await request('t-2/SetPoint/set', { payload: '{"SetPoint":"19"}' });
    assert.equal(res.errorCode, 0, res.payload);
    assert.equal(res.payload, '');
    assert.deepEqual(JSON.parse(w.peer.received.at(-1)!.payload), { SetPoint: '19' });
  });

  it('failures: errorCode 1 with the message', async () => {
    const cases: [string, RegExp][] = [
      ['nope/Status/get', /nope/],
      ['t-locked/Status/get', /locked/],
      ['t-broken/Status/get', /driver exploded/],
      ['t-1/Status/delete', /<get\|set>/],
    ];
    for (const [topic, message] of cases) {
      const res = await request(topic);
      assert.equal(res.errorCode, 1, topic);
      assert.match(res.payload, message, topic);
    }
  });

  it('a slow device service does not hold up other requests', async () => {
    let slowAnswered = false;
    const slow = request('t-silent/Status/get').finally(() => (slowAnswered = true));
    const fast = await request('t-1/Status/get');
    assert.equal(fast.errorCode, 0);
    assert.equal(slowAnswered, false, 'the fast answer came while the slow request was still waiting');
    const timedOut = await slow;
    assert.equal(timedOut.errorCode, 1);
    assert.match(timedOut.payload, /silent-ds/);
  });

  it('command query: one device, or all paged by offset/limit; unknown device → errorCode 1', async () => {
    const one = await request('t-1', {}, 'commandquery');
    assert.equal(one.errorCode, 0, one.payload);
    const body = JSON.parse(one.payload);
    assert.equal(body.statusCode, 200);
    assert.equal(body.deviceCoreCommand.deviceName, 't-1');
    assert.equal(body.deviceCoreCommand.coreCommands[0].url, w.url);

    const all = JSON.parse((await request('all', { queryParams: { offset: '1', limit: '2' } }, 'commandquery')).payload);
    assert.equal(all.totalCount, DEVICES.length);
    assert.equal(all.deviceCoreCommands.length, 2);

    const unknown = await request('nope', {}, 'commandquery');
    assert.equal(unknown.errorCode, 1);
    assert.match(unknown.payload, /nope/);
  });
});
