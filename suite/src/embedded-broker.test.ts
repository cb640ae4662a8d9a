// Services in the all-in-one hand their publishes to the embedded broker directly (no socket). What others
// rely on is unchanged: an MQTT client elsewhere gets every message, in order, with QoS 1 session queuing.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import {
  commonConfigSchema,
  connectMessageBus,
  decodeEnvelope,
  inProcessBrokerAt,
  newEnvelope,
  payloadJson,
  type MessageBus,
} from '@edgex-ts/sdk/runtime';
import mqtt from 'mqtt';
import { pino } from 'pino';
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
    assert.deepEqual((await live).map((m) => m.n), Array.from({ length: 100 }, (_, n) => n));
    assert.equal((await live)[4]!.topic, 'edgex/events/core/svc/p/d/1');

    // …then away while 300 more are published without waiting for each, then back for all of them.
    await sub.endAsync();
    await Promise.all(Array.from({ length: 300 }, (_, i) => bus.publish('edgex/events/core/svc/p/d/s', newEnvelope({ n: 100 + i }))));
    sub = mqtt.connect(url, options);
    const queued = collect(sub, 300);
    await once(sub, 'connect');
    assert.deepEqual((await queued).map((m) => m.n), Array.from({ length: 300 }, (_, i) => 100 + i));
    await sub.endAsync();

    await assert.rejects(bus.publish('edgex/events/core/#', newEnvelope({})), /must not contain wildcards/);
  } finally {
    await bus.close();
    await broker.close();
  }
  assert.equal(inProcessBrokerAt('127.0.0.1', broker.port), undefined, 'unregistered when the broker closes');
});
