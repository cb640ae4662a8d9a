import { registerInProcessBroker } from '@edgex-ts/runtime';
import { Aedes, type AedesPublishPacket } from 'aedes';
import { createServer, type Server } from 'node:net';
import { SubscriptionAudience } from './subscription-audience.js';

export interface EmbeddedBroker {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts an in-process MQTT broker (aedes) for the all-in-one suite. The services connect to it over TCP
 * like to any external broker, so the same code runs against Mosquitto in a distributed setup; their
 * publishes and subscriptions take a short cut (`registerInProcessBroker`): a bus configured with
 * `connectHost` and this port hands messages to aedes, and takes them from it, directly.
 */
export async function startEmbeddedBroker(host: string, port: number, connectHost = host): Promise<EmbeddedBroker> {
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
  aedes.on('subscribe', (subscriptions, client) => audience.add(`client:${client.id}`, subscriptions.map((sub) => sub.topic)));
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
        aedes.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false }, (err?: Error | null) =>
          err ? reject(err) : resolve(),
        ),
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
