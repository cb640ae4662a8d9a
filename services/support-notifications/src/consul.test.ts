// support-notifications with its configuration in Consul: registered in the catalog, its keys seeded in KV, and a
// change of Writable.ResendLimit in KV applied to the next failed CRITICAL notification while it runs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import type { Transmission } from '@edgex-ts/contracts';
import { startConsul, type ConsulAgent } from '../../../test/helpers/consul.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { startSupportNotifications } from './index.js';
import { startReceiver, type Receiver } from './test-support/receiver.js';
import { apiOf, batch } from './test-support/service.js';

let consul: ConsulAgent;
let broken: Receiver;

before(async () => {
  consul = await startConsul();
  broken = await startReceiver(500);
});
after(async () => {
  await broken?.close();
  await consul?.stop();
});

const kv = async (key: string) => {
  const [entry] = await consul.api<{ Value: string }[]>(`/kv/edgex-ts/support-notifications/${key}`);
  return Buffer.from(entry.Value, 'base64').toString();
};

test('registered in Consul, Writable keys seeded, a new ResendLimit in KV applies without a restart', async () => {
  const svc = await startSupportNotifications({
    argv: [],
    env: { CONSUL_HTTP_ADDR: consul.addr },
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Database: { Path: ':memory:' },
      MessageBus: { Disabled: true },
      Writable: { ResendInterval: '100ms' },
    },
    log: pino({ level: 'silent' }),
  });
  try {
    const registered = await waitFor('the catalog entry', async () => {
      const entries = await consul.api<{ ServicePort: number }[]>('/catalog/service/support-notifications');
      return entries.length > 0 && entries;
    });
    assert.equal(registered[0].ServicePort, svc.restPort);
    assert.equal(await kv('Writable/ResendLimit'), '2');
    assert.equal(await kv('Smtp/Subject'), 'EdgeX Notification');

    await consul.api('/kv/edgex-ts/support-notifications/Writable/ResendLimit', { method: 'PUT', body: '1' });
    await waitFor('ResendLimit 1 applied', () => svc.config.Writable.ResendLimit === 1);

    const api = apiOf(svc);
    await api.call(
      'POST',
      '/subscription',
      batch('subscription', {
        name: 'kv',
        receiver: 'r',
        categories: ['kv'],
        channels: [{ type: 'REST', host: '127.0.0.1', port: broken.port, httpMethod: 'POST' }],
      }),
    );
    const [{ id }] = (
      await api.call<{ id: string }[]>('POST', '/notification', batch('notification', { category: 'kv', content: 'x', sender: 's', severity: 'CRITICAL' }))
    ).body;
    const [t] = await waitFor('ESCALATED', async () => {
      const ts = (await api.call<{ transmissions: Transmission[] }>('GET', `/transmission/notification/id/${id}`)).body.transmissions;
      return ts[0]?.status === 'ESCALATED' && ts;
    });
    assert.equal(t.resendCount, 1);
    assert.equal(t.records.length, 2);
  } finally {
    await svc.stop();
  }
});
