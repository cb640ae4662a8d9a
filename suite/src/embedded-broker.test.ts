// Services in the all-in-one publish into the embedded broker and take their subscriptions from it directly
// (no socket). What others rely on is unchanged: clients elsewhere get every message in order, QoS 1 sessions
// queue for them, and in-process subscribers get outside messages in order, within their concurrency.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commonConfigSchema,
  connectMessageBus,
  decodeEnvelope,
  encodeEnvelope,
  inProcessBrokerAt,
  newEnvelope,
  payloadJson,
  type MessageBus,
} from '@edgex-ts/runtime';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { waitFor } from '../../test/helpers/wait.js';
import { startEmbeddedBroker } from './embedded-broker.js';

const silent = pino({ level: 'silent' });

async function busOn(port: number, clientId: string): Promise<MessageBus> {
  const cfg = commonConfigSchema.parse({ MessageBus: { Host: '127.0.0.1', Port: port, Optional: { ClientId: clientId } } }).MessageBus;
  return connectMessageBus(cfg, silent, clientId);
}

/** Collects `count` messages on `topic` from a client that keeps its session (clean: false), QoS 1. */
function collect(client: mqtt.MqttClient, count: number): Promise<{ topic: string; n: number }[]> {
  const got: { topic: string; n: number }[] = [];
  return new Promise((resolve) => {
    client.on('message', (topic, payload) => {
      got.push({ topic, n: payloadJson<{ n: number }>(decodeEnvelope(payload)).n });
      if (got.length === count) resolve(got);
    });
  });
}

test('publishes from an in-process bus reach outside subscribers in order, queued while they are away', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker('127.0.0.1', 0);
  const bus = await busOn(broker.port, 'inproc-publisher');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  try {
    assert.ok(inProcessBrokerAt('127.0.0.1', broker.port), 'the embedded broker is registered for its address');
    assert.equal(inProcessBrokerAt('localhost', broker.port), undefined, 'only for the address the services are given');

    // A subscriber with a persistent session, online for the first messages…
    const options = { clientId: 'outside-sub', clean: false, protocolVersion: 4 as const };
    let sub = await mqtt.connectAsync(url, options);
    await sub.subscribeAsync('edgex/events/core/#', { qos: 1 });
    const live = collect(sub, 100);
    for (let n = 0; n < 100; n++) await bus.publish(`edgex/events/core/svc/p/d/${n % 3}`, newEnvelope({ n }));
    assert.deepEqual(
      (await live).map((m) => m.n),
      Array.from({ length: 100 }, (_, n) => n),
    );
    assert.equal((await live)[4].topic, 'edgex/events/core/svc/p/d/1');

    // …then away while 300 more are published without waiting for each, then back for all of them.
    await sub.endAsync();
    await Promise.all(Array.from({ length: 300 }, (_, i) => bus.publish('edgex/events/core/svc/p/d/s', newEnvelope({ n: 100 + i }))));
    sub = mqtt.connect(url, options);
    const queued = collect(sub, 300);
    await new Promise<void>((resolve, reject) => sub.once('connect', () => resolve()).once('error', reject));
    assert.deepEqual(
      (await queued).map((m) => m.n),
      Array.from({ length: 300 }, (_, i) => 100 + i),
    );
    await sub.endAsync();

    await assert.rejects(bus.publish('edgex/events/core/#', newEnvelope({})), /must not contain the wildcard #/);
  } finally {
    await bus.close();
    await broker.close();
  }
  assert.equal(inProcessBrokerAt('127.0.0.1', broker.port), undefined, 'unregistered when the broker closes');
});

test(
  'an in-process subscription gets outside publishes in order, at most maxInFlight handlers at once; a blocked one holds up no other topic',
  { timeout: 30_000 },
  async () => {
    const broker = await startEmbeddedBroker('127.0.0.1', 0);
    const bus = await busOn(broker.port, 'inproc-subscriber');
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'outside-pub', protocolVersion: 4 });
    let release = () => {};
    try {
      const handled: number[] = [];
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      let tenStarted!: () => void;
      const tenRunning = new Promise<void>((resolve) => (tenStarted = resolve));
      let allHandled!: () => void;
      const fortyHandled = new Promise<void>((resolve) => (allHandled = resolve));
      await bus.subscribe(
        'edgex/events/device/#',
        async (env) => {
          if (++started === 10) tenStarted();
          await gate;
          handled.push(payloadJson<{ n: number }>(env).n);
          if (handled.length === 40) allHandled();
        },
        { maxInFlight: 10 },
      );

      const padding = 'x'.repeat(20_000);
      let acknowledged = 0;
      const publishes = Array.from({ length: 40 }, (_, n) =>
        publisher.publishAsync('edgex/events/device/svc/p/d/s', encodeEnvelope(newEnvelope({ n, padding })), { qos: 1 }).then(() => {
          acknowledged++;
        }),
      );
      await tenRunning;
      // Other traffic still flows meanwhile.
      const other = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'probe', protocolVersion: 4 });
      await other.publishAsync('edgex/other/topic', 'x', { qos: 1 });
      await other.endAsync();
      assert.equal(started, 10, 'no more handlers start while ten are blocked');
      assert.equal(handled.length, 0);

      release();
      await Promise.all(publishes);
      await fortyHandled;
      assert.equal(acknowledged, 40);
      assert.deepEqual(
        handled,
        Array.from({ length: 40 }, (_, n) => n),
      );
    } finally {
      release();
      await publisher.endAsync();
      await bus.close();
      await broker.close();
    }
  },
);

test('mayDeliver: false exactly while no current subscription, in or out of the process, matches', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker('127.0.0.1', 0);
  const bus = await busOn(broker.port, 'inproc-audience');
  const url = `mqtt://127.0.0.1:${broker.port}`;
  const outside = await mqtt.connectAsync(url, { clientId: 'outside-audience', protocolVersion: 4 });
  try {
    const core = 'edgex/events/core/svc/p/dev/src';
    assert.equal(bus.mayDeliver(core), false);
    await outside.subscribeAsync('edgex/events/core/+/p/#', { qos: 1 });
    assert.equal(bus.mayDeliver(core), true);
    assert.equal(bus.mayDeliver('edgex/events/core/svc/q/dev/src'), false);
    await outside.subscribeAsync('$share/group/edgex/events/core/svc/q/#', { qos: 1 });
    assert.equal(bus.mayDeliver('edgex/events/core/svc/q/dev/src'), true);
    await outside.unsubscribeAsync('edgex/events/core/+/p/#');
    assert.equal(bus.mayDeliver(core), false, 'an unsubscribe ends it');

    // In-process subscriptions count while they last (request() reply topics come and go this way).
    assert.equal(bus.mayDeliver('edgex/system-events/x'), false);
    await bus.subscribe('edgex/system-events/#', async () => undefined);
    assert.equal(bus.mayDeliver('edgex/system-events/x'), true);

    // A clean session's subscriptions end with its connection; a persistent session's stay (the broker queues for it).
    const clean = await mqtt.connectAsync(url, { clientId: 'clean-one', clean: true, protocolVersion: 4 });
    await clean.subscribeAsync('edgex/clean/#', { qos: 1 });
    const kept = await mqtt.connectAsync(url, { clientId: 'kept-one', clean: false, protocolVersion: 4 });
    await kept.subscribeAsync('edgex/kept/#', { qos: 1 });
    assert.equal(bus.mayDeliver('edgex/clean/a'), true);
    await clean.endAsync();
    await kept.endAsync();
    await waitFor('the clean session to be gone', () => !bus.mayDeliver('edgex/clean/a'));
    assert.equal(bus.mayDeliver('edgex/kept/a'), true);
  } finally {
    await outside.endAsync();
    await bus.close();
    await broker.close();
  }
});

test('request() on an in-process bus: answered by a responder outside the process, and by one inside it', { timeout: 30_000 }, async () => {
  const broker = await startEmbeddedBroker('127.0.0.1', 0);
  const bus = await busOn(broker.port, 'inproc-requester');
  const inside = await busOn(broker.port, 'inproc-responder');
  const outside = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'outside-responder', protocolVersion: 4 });
  try {
    outside.on('message', (_topic, payload) => {
      const req = decodeEnvelope(payload);
      const reply = newEnvelope({ by: 'outside', n: payloadJson<{ n: number }>(req).n }, { requestID: req.requestID });
      void outside.publishAsync(`edgex/response/outside/${req.requestID}`, encodeEnvelope(reply), { qos: 1 });
    });
    await outside.subscribeAsync('edgex/request/outside', { qos: 1 });
    await inside.subscribe('edgex/request/inside', async (req) => {
      await inside.publish(
        `edgex/response/inside/${req.requestID}`,
        newEnvelope({ by: 'inside', n: payloadJson<{ n: number }>(req).n }, { requestID: req.requestID }),
      );
    });

    const fromOutside = await bus.request('edgex/request/outside', 'edgex/response/outside', newEnvelope({ n: 1 }), 5000);
    assert.deepEqual(payloadJson(fromOutside), { by: 'outside', n: 1 });
    const fromInside = await bus.request('edgex/request/inside', 'edgex/response/inside', newEnvelope({ n: 2 }), 5000);
    assert.deepEqual(payloadJson(fromInside), { by: 'inside', n: 2 });
    await waitFor(
      'the reply topics unsubscribed once answered',
      () => !bus.mayDeliver('edgex/response/inside/x') && !bus.mayDeliver('edgex/response/outside/x'),
    );
  } finally {
    await outside.endAsync();
    await inside.close();
    await bus.close();
    await broker.close();
  }
});
