/** MQTTBrokerInfo in Consul KV, as EdgeX keeps device-mqtt's configuration: read at start, seeded when missing. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startConsul, type ConsulAgent } from '../../../test/helpers/consul.js';
import { freePort } from '../../../test/helpers/ports.js';
import { startDeviceMqtt } from './index.js';

let consul: ConsulAgent;

before(async () => {
  consul = await startConsul();
});
after(async () => {
  await consul?.stop();
});

test('MQTTBrokerInfo keys in Consul KV reach the driver; missing ones are seeded from the defaults', async () => {
  await consul.api('/kv/edgex-ts/device-mqtt/MQTTBrokerInfo/Port', { method: 'PUT', body: '1884' });
  await consul.api('/kv/edgex-ts/device-mqtt/MQTTBrokerInfo/Host', { method: 'PUT', body: '127.0.0.1' });
  const dead = await freePort();
  const ds = await startDeviceMqtt({
    argv: [],
    env: { CONSUL_HTTP_ADDR: consul.addr },
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: dead, GrpcPort: dead } },
      Device: { DevicesDir: '/nonexistent' },
    },
  });
  try {
    assert.equal(ds.driver.settings?.url, 'mqtt://127.0.0.1:1884');
    const seeded = await consul.api<{ Value: string }[]>('/kv/edgex-ts/device-mqtt/MQTTBrokerInfo/IncomingTopic');
    assert.equal(Buffer.from(seeded[0].Value, 'base64').toString(), 'incoming/data/#');
  } finally {
    await ds.stop();
  }
});
