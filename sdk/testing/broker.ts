/**
 * An MQTT broker inside the test process (aedes, on a free loopback port): the device service and the test
 * connect to it over TCP as they would to Mosquitto, so no broker has to be installed or started.
 */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

export interface TestBroker {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts an MQTT 3.1.1/5 broker on 127.0.0.1 and a port the system picks. */
export async function startTestBroker(): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  const server = createServer({ noDelay: true }, aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test broker: no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    close: async () => {
      // aedes.close() ends every client connection, which lets server.close() finish.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
