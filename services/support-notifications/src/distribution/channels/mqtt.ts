import type { Address } from '@edgex-ts/contracts';
import type { MqttClient } from 'mqtt';
import type { Channel } from './types.js';

/**
 * The MQTT channel (edgex-go channel/mqtt.go): the notification's content published to the address's topic with
 * its qos and retained flag, on a client per (publisher, broker) created on first use (mqtt.js loaded then) and
 * kept for the next notification; a client that cannot connect is dropped and made again next time.
 */
export function mqttChannel(timeoutMs: () => number): Channel {
  const clients = new Map<string, Promise<MqttClient>>();

  const keyOf = (a: Address) => `${a.publisher ?? ''}@${(a.scheme ?? 'tcp').toLowerCase()}://${a.host ?? ''}:${a.port ?? 1883}`;

  async function connect(a: Address): Promise<MqttClient> {
    const { connectAsync } = await import('mqtt');
    const scheme = (a.scheme ?? 'tcp').toLowerCase();
    const client = await connectAsync(
      `${scheme === 'tcp' ? 'mqtt' : scheme}://${a.host}:${a.port}`,
      {
        clientId: a.publisher,
        keepalive: a.keepAlive ?? 60,
        connectTimeout: a.connectTimeout ? a.connectTimeout * 1000 : timeoutMs(),
        reconnectPeriod: 1000,
        rejectUnauthorized: !a.skipCertVerify,
      },
      false, // the first connection fails at once (refused, or no CONNACK within connectTimeout)
    );
    // Later connection errors are retried by mqtt.js and show up as failed publishes; unheard, they would throw.
    client.on('error', () => undefined);
    return client;
  }

  function clientFor(a: Address): Promise<MqttClient> {
    const key = keyOf(a);
    let client = clients.get(key);
    if (!client) {
      client = connect(a);
      clients.set(key, client);
      client.catch(() => clients.delete(key));
    }
    return client;
  }

  return {
    async send(n, address) {
      const client = await clientFor(address);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`publish to ${address.topic} on ${keyOf(address)}: no acknowledgement within ${timeoutMs()} ms`)),
          timeoutMs(),
        );
      });
      try {
        await Promise.race([
          client.publishAsync(address.topic!, n.content, { qos: (address.qos ?? 0) as 0 | 1 | 2, retain: address.retained ?? false }),
          deadline,
        ]);
      } finally {
        clearTimeout(timer);
      }
      return '';
    },
    async close() {
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map(async (c) => (await c.catch(() => undefined))?.endAsync(true)));
    },
  };
}
