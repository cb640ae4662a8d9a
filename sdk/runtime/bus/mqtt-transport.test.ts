// When the bus acknowledges a message it received over MQTT. mqtt.js offers no public way to acknowledge a
// message later than the next one is read (see mqtt-transport.ts), so the bus holds back the PUBACKs itself:
// these tests watch the PUBACKs arrive at a real broker (aedes reports each one as an `ack` event) and fail
// the moment an mqtt.js release sends them at another time, or sends them past the bus.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { waitFor } from '../../../test/helpers/wait.js';
import { commonConfigSchema } from '../config-schema.js';
import { connectMessageBus, encodeEnvelope, newEnvelope, payloadJson, type MessageBus } from './index.js';

interface Ack {
  clientId: string;
  topic: string;
}

/** A real broker (aedes on a loopback port) that records every PUBACK it receives, and can cut connections. */
async function startObservedBroker() {
  const aedes = await Aedes.createBroker();
  const acks: Ack[] = [];
  aedes.on('ack', (packet, client) => {
    if (packet && 'topic' in packet) acks.push({ clientId: client.id, topic: packet.topic });
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    acks,
    acksOf: (clientId: string, topic: string) => acks.filter((a) => a.clientId === clientId && a.topic === topic).length,
    /** Drops every client connection, as a network failure would (sessions stay). */
    cutConnections: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type ObservedBroker = Awaited<ReturnType<typeof startObservedBroker>>;

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('MQTT transport: when PUBACKs go out (aedes watching)', () => {
  let broker: ObservedBroker;
  const open: MessageBus[] = [];
  const connect = async (clientId: string, optional: Record<string, unknown> = {}) => {
    const cfg = commonConfigSchema.parse({
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ConnectTimeout: 5, ReconnectPeriod: '100ms', ...optional } },
    }).MessageBus;
    const bus = await connectMessageBus(cfg, pino({ level: 'silent' }), clientId);
    open.push(bus);
    return bus;
  };
  const outsidePublisher = async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: `outside-${randomUUID()}`, protocolVersion: 4 });
    return {
      publish: (topic: string, n: number) => client.publishAsync(topic, encodeEnvelope(newEnvelope({ n })), { qos: 1 }),
      end: () => client.endAsync(),
    };
  };

  before(async () => {
    broker = await startObservedBroker();
  });
  after(async () => {
    for (const bus of open) await bus.close();
    await broker.close();
  });

  test("a message's PUBACK waits for its handler, while the handler's own QoS 1 publish and request complete", async () => {
    const clientId = `held-${randomUUID()}`;
    const topic = `edgex/held/${clientId}`;
    const bus = await connect(clientId);
    const responder = await connect(`responder-${randomUUID()}`);
    await responder.subscribe(`edgex/held-request/${clientId}`, async (env) => {
      await responder.publish(`edgex/held-response/${env.requestID}`, newEnvelope({ pong: true }, { requestID: env.requestID }));
    });
    const release = gate();
    const inHandler = { published: false, answered: false };
    await bus.subscribe(topic, async () => {
      // Both wait for packets (a PUBACK, a reply) that mqtt.js reads from the socket this message came on.
      await bus.publish(`edgex/held-out/${clientId}`, newEnvelope({}));
      inHandler.published = true;
      const reply = await bus.request(`edgex/held-request/${clientId}`, 'edgex/held-response', newEnvelope({}), 5000);
      inHandler.answered = payloadJson<{ pong: boolean }>(reply).pong;
      await release.opened;
    });
    const publisher = await outsidePublisher();
    const acknowledged = publisher.publish(topic, 1);
    await waitFor('the handler to publish and get its answer', () => inHandler.published && inHandler.answered);
    // Had mqtt.js acknowledged the message when it handed it over, that PUBACK would have reached the broker
    // before the handler's publish and request did (one socket, in order), whose answers came back already.
    assert.equal(broker.acksOf(clientId, topic), 0, 'no PUBACK while the handler runs');

    release.open();
    await waitFor('the PUBACK once the handler settled', () => broker.acksOf(clientId, topic) === 1);
    await acknowledged;
    await publisher.end();
  });

  test('messages are acknowledged each after its own handler, whatever order the handlers finish in', async () => {
    const clientId = `order-${randomUUID()}`;
    const topic = `edgex/order/${clientId}`;
    const bus = await connect(clientId);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    await bus.subscribe(
      topic,
      async (env) => {
        const { n } = payloadJson<{ n: number }>(env);
        started.push(n);
        await gates[n].opened;
      },
      { maxInFlight: 10 },
    );
    const publisher = await outsidePublisher();
    for (let n = 0; n < 3; n++) void publisher.publish(topic, n);
    await waitFor('three handlers running at once', () => started.length === 3);

    const settle = async (n: number, acksAfter: number) => {
      gates[n].open();
      await waitFor(`the PUBACK of message ${n}`, () => broker.acksOf(clientId, topic) === acksAfter);
      // A round trip on the bus's connection: a PUBACK sent too early would have arrived before its answer.
      await bus.publish(`edgex/order-probe/${clientId}`, newEnvelope({}));
      assert.equal(broker.acksOf(clientId, topic), acksAfter, `only message ${n} acknowledged`);
    };
    await settle(2, 1);
    await settle(0, 2);
    await settle(1, 3);
    await publisher.end();
  });

  test('a PUBACK held when the connection dropped is not sent on the next one; the redelivered message is acknowledged after its own handler', async () => {
    const clientId = `dropped-${randomUUID()}`;
    const topic = `edgex/dropped/${clientId}`;
    const bus = await connect(clientId);
    const first = gate();
    const second = gate();
    let deliveries = 0;
    await bus.subscribe(
      topic,
      async () => {
        deliveries++;
        await (deliveries === 1 ? first.opened : second.opened);
      },
      { maxInFlight: 2 },
    );
    const publisher = await outsidePublisher();
    await publisher.publish(topic, 7);
    await waitFor('the first delivery', () => deliveries === 1);

    broker.cutConnections();
    await waitFor('the redelivery on the new connection', () => deliveries === 2, { timeoutMs: 15_000 });
    // The first handler settles now: its PUBACK belongs to the connection that is gone, and on this one it
    // would acknowledge the redelivered message (same packet id) before that message's handler settled.
    first.open();
    await bus.publish(`edgex/dropped-probe/${clientId}`, newEnvelope({}));
    assert.equal(broker.acksOf(clientId, topic), 0, 'the stale PUBACK is not sent');

    second.open();
    await waitFor('the PUBACK of the redelivered message', () => broker.acksOf(clientId, topic) === 1);
    await publisher.end();
  });
});
