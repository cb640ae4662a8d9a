import { registerInProcessBroker } from '@edgex-ts/runtime';
import { Aedes, type AedesPublishPacket } from 'aedes';
import { writeToStream } from 'mqtt-packet';
import { createServer, type Server } from 'node:net';
import { SubscriptionAudience } from './subscription-audience.js';

export interface EmbeddedBroker {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts an in-process MQTT broker (aedes) for the all-in-one suite. Clients elsewhere (app services, device
 * services in their own processes) connect to it over TCP as to any broker. The suite's own services are
 * configured with its address as they would be with Mosquitto's, and their bus recognises it
 * (`registerInProcessBroker`): it uses aedes itself as its transport, with no socket or MQTT packets, under
 * the same bus logic (envelopes, subscriptions, read-ahead bound, requests) as over MQTT.
 */
export async function startEmbeddedBroker(host: string, port: number, connectHost = host): Promise<EmbeddedBroker> {
  // aedes writes its packets with mqtt-packet, whose number cache (a pre-built 2-byte Buffer for each of the
  // 65,536 packet ids: 6 MB of heap) is one setting for the whole process, documented as "set before any
  // writeToStream calls". Off, as mqtt.js's `writeCache: false` sets it for the bus clients: the bytes written
  // are the same either way (mqtt-packet-cache.test.ts), only the heap differs.
  writeToStream.cacheNumbers = false;
  const aedes = await Aedes.createBroker();
  // noDelay: small request/response packets go out at once instead of waiting for delayed ACKs.
  const server: Server = createServer({ noDelay: true }, aedes.handle);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `embedded MQTT broker: port ${port} on ${host} is already in use; ` +
                'set EDGEX_BROKER_PORT to another port, or MESSAGEBUS_HOST/MESSAGEBUS_PORT to use that broker instead',
            )
          : err,
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const audience = new SubscriptionAudience();
  aedes.on('subscribe', (subscriptions, client) =>
    audience.add(
      `client:${client.id}`,
      subscriptions.map((sub) => sub.topic),
    ),
  );
  aedes.on('unsubscribe', (filters, client) => audience.remove(`client:${client.id}`, filters));
  aedes.on('clientDisconnect', (client) => {
    if (client.clean) audience.removeAll(`client:${client.id}`);
  });
  let listeners = 0;
  const unregister = registerInProcessBroker(connectHost, boundPort, {
    mayDeliver: (topic) => audience.mayDeliver(topic),
    subscribe: (filter, deliver) => {
      const subscriber = `in-process:${++listeners}`;
      audience.add(subscriber, [filter]);
      const listener = (packet: AedesPublishPacket, done: () => void) => deliver(packet.topic, packet.payload as Buffer, done);
      const unsubscribe = () =>
        new Promise<void>((unsubscribed) =>
          aedes.unsubscribe(filter, listener, () => {
            audience.remove(subscriber, [filter]);
            unsubscribed();
          }),
        );
      return new Promise((resolve) => aedes.subscribe(filter, listener, () => resolve(unsubscribe)));
    },
    publish: (topic, payload, qos) =>
      new Promise<void>((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (err?: Error | null) => (err ? reject(err) : resolve())),
      ),
  });
  return {
    port: boundPort,
    close: async () => {
      unregister();
      // aedes.close() ends every client connection, which lets server.close() finish.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
