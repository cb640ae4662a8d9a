// SupportNotificationsClient against the real support-notifications (SQLite in memory) and a real webhook receiver.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import { pino } from 'pino';
import { startSupportNotifications, type SupportNotificationsHandle } from '../../services/support-notifications/src/index.js';
import { waitFor } from '../../test/helpers/wait.js';
import { SupportNotificationsClient } from './index.js';

let svc: SupportNotificationsHandle;
let hook: Server;
let hookPort: number;
const received: string[] = [];
let client: SupportNotificationsClient;

before(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookPort = (hook.address() as AddressInfo).port;
  svc = await startSupportNotifications({
    configOverrides: { Service: { Port: 0, GrpcPort: 0 }, Database: { Path: ':memory:' }, MessageBus: { Disabled: true } },
    log: pino({ level: 'silent' }),
  });
  client = new SupportNotificationsClient(`http://127.0.0.1:${svc.restPort}`);
});
after(async () => {
  await svc?.stop();
  hook?.closeAllConnections();
  await new Promise((resolve) => hook?.close(resolve));
});

test('subscriptions: add, get, list by category, update, delete; errors keep their EdgeX kind', async () => {
  const id = await client.addSubscription({
    name: 'client-sub',
    receiver: 'ops',
    categories: ['client'],
    channels: [{ type: 'REST', host: '127.0.0.1', port: hookPort, httpMethod: 'POST', path: '/in' }],
    adminState: 'UNLOCKED',
  });
  const got = await client.getSubscription('client-sub');
  assert.equal(got.id, id);
  assert.deepEqual(
    (await client.listSubscriptions({ category: 'client' })).items.map((s) => s.name),
    ['client-sub'],
  );
  await client.updateSubscription({ name: 'client-sub', description: 'webhook' });
  assert.equal((await client.getSubscription('client-sub')).description, 'webhook');
  await assert.rejects(client.addSubscription({ ...got, id: undefined }), (e: EdgeXError) => e.kind === 'DuplicateName');
  await assert.rejects(client.getSubscription('nope'), (e: EdgeXError) => e.kind === 'NotFound');
});

test('notifications: added and delivered, listed, acknowledged, transmissions read, deleted', async () => {
  const id = await client.addNotification({ category: 'client', content: 'from the client', sender: 'tests', severity: 'NORMAL', acknowledged: false });
  await waitFor('the webhook', () => received.includes('from the client'));
  const [t] = await waitFor('the transmission', async () => {
    const page = await client.listTransmissions({ notificationId: id });
    return page.items.length === 1 && page.items;
  });
  assert.equal(t.status, 'SENT');
  assert.deepEqual(await client.getTransmission(t.id!), t);
  assert.equal((await client.getNotification(id)).status, 'PROCESSED');
  assert.deepEqual(
    (await client.listNotifications({ subscriptionName: 'client-sub' })).items.map((n) => n.id),
    [id],
  );
  await client.acknowledgeNotifications([id]);
  assert.equal((await client.listNotifications({ category: 'client', acknowledged: true })).totalCount, 1);
  await client.unacknowledgeNotifications([id]);
  assert.equal((await client.getNotification(id)).acknowledged, false);
  await client.deleteNotifications([id]);
  await assert.rejects(client.getNotification(id), (e: EdgeXError) => e.kind === 'NotFound');
  assert.equal((await client.listTransmissions({ notificationId: undefined, subscriptionName: 'client-sub' })).totalCount, 0);
  await assert.rejects(
    client.addNotification({ category: 'client', content: 'x', sender: 'bad sender', severity: 'NORMAL', acknowledged: false }),
    (e: EdgeXError) => e.kind === 'ContractInvalid' && /sender/.test(e.message),
  );
  await client.cleanup();
});
