// The EdgeX v3 REST API of support-notifications (with EdgeX v4's acknowledgement and delete by ids) through a real
// server on SQLite: batch answers, EdgeX envelopes and field names, paging, bad input naming the field, cleanup.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Notification, Subscription } from '@edgex-ts/contracts';
import type { SupportNotificationsHandle } from '../index.js';
import { apiOf, batch, startForTest, type Api } from '../test-support/service.js';

interface Item {
  statusCode: number;
  message?: string;
  id?: string;
  requestId?: string;
}

let dir: string;
let svc: SupportNotificationsHandle;
let api: Api;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'support-notifications-rest-'));
  svc = await startForTest({ Type: 'sqlite', Path: join(dir, 'rest.db') });
  api = apiOf(svc);
});
after(async () => {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rest = { type: 'REST', host: 'localhost', port: 7000, httpMethod: 'POST' };
const sub = (name: string, fields: Record<string, unknown> = {}) => ({ name, receiver: 'ops', categories: ['health'], channels: [rest], ...fields });
const note = (fields: Record<string, unknown> = {}) => ({ category: 'nowhere', content: 'hello', sender: 'tester', severity: 'MINOR', ...fields });

/** GET with a JSON body (EdgeX v4 GET /notification), which fetch refuses to send. */
function getWithBody<T>(path: string, body: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: svc.restPort,
        path: `/api/v3${path}`,
        method: 'GET',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve(JSON.parse(text) as T));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The ids of `notifications`, in any order: notifications of one batch may share their created millisecond. */
function sameIds(notifications: Notification[], ids: (string | undefined)[]): void {
  assert.deepEqual(notifications.map((n) => n.id).sort(), [...ids].sort());
}

async function expect400(path: string, body: unknown, field: string, method = 'POST'): Promise<void> {
  const res = await api.call<{ statusCode: number; message: string }>(method, path, body);
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.statusCode, 400);
  assert.ok(res.body.message.includes(field), `"${res.body.message}" names ${field}`);
}

describe('subscriptions', () => {
  test('batch add answers 207 item by item, with ids, requestIds and a 409 for a duplicate name', async () => {
    const requestId = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
    const res = await api.call<Item[]>('POST', '/subscription', [
      { apiVersion: 'v3', requestId, subscription: sub('s-one') },
      { apiVersion: 'v3', subscription: sub('s-one') },
    ]);
    assert.equal(res.status, 207);
    assert.equal(res.body[0].statusCode, 201);
    assert.equal(res.body[0].requestId, requestId);
    assert.match(res.body[0].id!, /^[0-9a-f-]{36}$/);
    assert.equal(res.body[1].statusCode, 409);

    const got = await api.call<{ apiVersion: string; statusCode: number; subscription: Subscription }>('GET', '/subscription/name/s-one');
    assert.equal(got.status, 200);
    assert.equal(got.body.apiVersion, 'v3');
    assert.deepEqual(Object.keys(got.body.subscription).sort(), ['adminState', 'categories', 'channels', 'created', 'id', 'modified', 'name', 'receiver']);
    assert.deepEqual(got.body.subscription.channels, [{ type: 'REST', host: 'localhost', port: 7000, httpMethod: 'POST' }]);
    assert.equal(got.body.subscription.adminState, 'UNLOCKED');
  });

  test('what Go clients send is accepted: null lists, zero values, empty strings', async () => {
    const res = await api.call<Item[]>(
      'POST',
      '/subscription',
      batch('subscription', {
        id: '',
        name: 's-go',
        receiver: 'ops',
        categories: null,
        labels: ['boiler'],
        description: '',
        resendLimit: 0,
        resendInterval: '',
        adminState: '',
        channels: [{ type: 'EMAIL', host: '', port: 0, recipients: ['ops@example.com'], httpMethod: '', publisher: '', topic: '', qos: 0 }],
      }),
    );
    assert.equal(res.body[0].statusCode, 201, res.body[0].message);
    assert.equal((await api.call('POST', '/subscription', null)).status, 207);
  });

  test('bad subscriptions are refused with 400 naming the field', async () => {
    const one = (fields: Record<string, unknown>) => batch('subscription', sub('s-bad', fields));
    await expect400('/subscription', one({ channels: [{ type: 'SMS', host: 'h', port: 1 }] }), 'channels[0].type');
    await expect400('/subscription', one({ channels: [{ type: 'EMAIL', recipients: ['not-an-address'] }] }), 'channels[0].recipients[0]');
    await expect400('/subscription', one({ channels: [{ type: 'EMAIL', recipients: [] }] }), 'channels[0].recipients');
    await expect400('/subscription', one({ channels: [{ type: 'REST', host: 'http://x', port: 80, httpMethod: 'POST' }] }), 'channels[0].host');
    await expect400('/subscription', one({ channels: [{ type: 'REST', host: 'x', port: 70000, httpMethod: 'POST' }] }), 'channels[0].port');
    await expect400('/subscription', one({ channels: [{ type: 'REST', host: 'x', httpMethod: 'POST' }] }), 'channels[0].port');
    await expect400('/subscription', one({ channels: [{ type: 'REST', host: 'x', port: 80, httpMethod: 'FETCH' }] }), 'channels[0].httpMethod');
    await expect400('/subscription', one({ channels: [{ type: 'REST', host: 'x', port: 80, httpMethod: 'POST', path: '/a b\u0000' }] }), 'channels[0].path');
    await expect400('/subscription', one({ channels: [{ type: 'MQTT', host: 'x', port: 1883, publisher: 'p' }] }), 'channels[0].topic');
    await expect400('/subscription', one({ channels: [] }), 'subscription.channels');
    await expect400('/subscription', one({ categories: undefined, labels: undefined }), 'subscription.categories');
    await expect400('/subscription', one({ categories: ['has space'] }), 'subscription.categories[0]');
    await expect400('/subscription', one({ labels: ['a/b'] }), 'subscription.labels[0]');
    await expect400('/subscription', one({ resendInterval: '5 seconds' }), 'subscription.resendInterval');
    await expect400('/subscription', one({ adminState: 'OPEN' }), 'subscription.adminState');
    await expect400('/subscription', one({ name: 'no spaces please' }), 'subscription.name');
    await expect400('/subscription', { not: 'an array' }, 'array');
    assert.equal((await api.call('GET', '/subscription/name/s-bad')).status, 404, 'nothing was stored');
  });

  test('PATCH replaces the fields sent, keeps the rest, and validates the result', async () => {
    await api.call('POST', '/subscription', batch('subscription', sub('s-patch', { labels: ['a'] })));
    const res = await api.call<Item[]>('PATCH', '/subscription', [
      { apiVersion: 'v3', subscription: { name: 's-patch', receiver: 'night-shift', resendLimit: 5, categories: null } },
      { apiVersion: 'v3', subscription: { name: 's-missing', receiver: 'x' } },
      { apiVersion: 'v3', subscription: { name: 's-patch', categories: [], labels: [] } },
    ]);
    assert.equal(res.status, 207);
    assert.deepEqual(
      res.body.map((i) => i.statusCode),
      [200, 404, 400],
    );
    assert.match(res.body[2].message!, /categories/);
    const got = await api.call<{ subscription: Subscription }>('GET', '/subscription/name/s-patch');
    assert.equal(got.body.subscription.receiver, 'night-shift');
    assert.equal(got.body.subscription.resendLimit, 5);
    assert.deepEqual(got.body.subscription.categories, ['health']);
    assert.deepEqual(got.body.subscription.labels, ['a']);
  });

  test('queries by category, label and receiver page like EdgeX, 416 past the end, DELETE by name', async () => {
    await api.call(
      'POST',
      '/subscription',
      batch('subscription', sub('q-1', { categories: ['qcat'], receiver: 'qrecv' }), sub('q-2', { categories: ['qcat'], labels: ['qlab'] })),
    );
    const byCat = await api.call<{ totalCount: number; subscriptions: Subscription[] }>('GET', '/subscription/category/qcat?offset=1&limit=1');
    assert.equal(byCat.body.totalCount, 2);
    assert.deepEqual(
      byCat.body.subscriptions.map((s) => s.name),
      ['q-2'],
    );
    assert.deepEqual(
      (await api.call<{ subscriptions: Subscription[] }>('GET', '/subscription/label/qlab')).body.subscriptions.map((s) => s.name),
      ['q-2'],
    );
    assert.deepEqual(
      (await api.call<{ subscriptions: Subscription[] }>('GET', '/subscription/receiver/qrecv')).body.subscriptions.map((s) => s.name),
      ['q-1'],
    );
    assert.equal((await api.call('GET', '/subscription/category/qcat?offset=5')).status, 416);
    assert.equal((await api.call('GET', '/subscription/all?limit=abc')).status, 400);
    assert.equal((await api.call('DELETE', '/subscription/name/q-1')).status, 200);
    assert.equal((await api.call('DELETE', '/subscription/name/q-1')).status, 404);
  });
});

describe('notifications and transmissions', () => {
  test('bad notifications are refused with 400 naming the field', async () => {
    const one = (fields: Record<string, unknown>) => batch('notification', note(fields));
    await expect400('/notification', one({ category: undefined }), 'notification.category');
    await expect400('/notification', one({ severity: 'URGENT' }), 'notification.severity');
    await expect400('/notification', one({ content: '  ' }), 'notification.content');
    await expect400('/notification', one({ sender: undefined }), 'notification.sender');
    await expect400('/notification', one({ category: 'a b' }), 'notification.category');
    await expect400('/notification', one({ status: 'DONE' }), 'notification.status');
  });

  test('added, queried by category, label, status, time range and subscription, acknowledged, deleted by ids', async () => {
    const before = Date.now();
    const add = await api.call<Item[]>(
      'POST',
      '/notification',
      batch('notification', note({ category: 'nq', labels: ['l1'] }), note({ category: 'nq', labels: ['l2'] }), note({ category: 'other', labels: ['l2'] })),
    );
    assert.deepEqual(
      add.body.map((i) => i.statusCode),
      [201, 201, 201],
    );
    const [a, b, c] = add.body.map((i) => i.id!);

    const one = await api.call<{ notification: Notification }>('GET', `/notification/id/${a}`);
    assert.equal(one.body.notification.acknowledged, false);
    assert.equal(one.body.notification.category, 'nq');
    const list = async (path: string) => (await api.call<{ totalCount: number; notifications: Notification[] }>('GET', path)).body;
    sameIds((await list('/notification/category/nq')).notifications, [b, a]);
    sameIds((await list('/notification/label/l2')).notifications, [c, b]);
    const ranged = await list(`/notification/start/${before}/end/${Date.now() + 1000}?limit=2`);
    assert.equal(ranged.totalCount, 3);
    assert.equal(ranged.notifications.length, 2);
    assert.equal((await api.call('GET', '/notification/start/10/end/5')).status, 400);
    assert.equal((await api.call('GET', '/notification/status/DONE')).status, 400);

    await api.call('POST', '/subscription', batch('subscription', sub('nq-sub', { categories: ['other'], labels: ['l1'] })));
    sameIds((await list('/notification/subscription/name/nq-sub')).notifications, [c, a]);
    assert.equal((await api.call('GET', '/notification/subscription/name/nobody')).status, 404);

    assert.equal((await api.call('PUT', `/notification/acknowledge/ids/${a},${b}`)).status, 200);
    sameIds((await list('/notification/category/nq?ack=true')).notifications, [b, a]);
    assert.deepEqual((await list('/notification/category/nq?ack=false')).notifications, []);
    assert.equal((await api.call('PUT', `/notification/unacknowledge/ids/${b}`)).status, 200);
    sameIds((await list('/notification/category/nq?ack=false')).notifications, [b]);
    assert.equal((await api.call('GET', '/notification/category/nq?ack=maybe')).status, 400);
    assert.equal((await api.call('PUT', `/notification/acknowledge/ids/${a},00000000-0000-0000-0000-000000000000`)).status, 404);

    // EdgeX v4 GET /notification with a query condition in the body.
    const queried = await getWithBody<{ notifications: Notification[] }>('/notification', { queryCondition: { category: ['nq', 'other'], start: before } });
    sameIds(queried.notifications, [c, b, a]);

    assert.equal((await api.call('DELETE', `/notification/ids/${a},${b}`)).status, 200);
    assert.equal((await api.call('GET', `/notification/id/${a}`)).status, 404);
    assert.equal((await api.call('DELETE', `/notification/id/${c}`)).status, 200);
    assert.equal((await api.call('DELETE', `/notification/id/${c}`)).status, 404);
  });

  test('transmission routes: all, status, by notification, by subscription, 404s and bad statuses', async () => {
    await api.call('POST', '/subscription', batch('subscription', sub('t-sub', { categories: ['tcat'], channels: [{ ...rest, port: 1 }] })));
    const [{ id }] = (await api.call<Item[]>('POST', '/notification', batch('notification', note({ category: 'tcat' })))).body;
    const { waitFor } = await import('../../../../test/helpers/wait.js');
    const ts = await waitFor('the transmission', async () => {
      const r = await api.call<{ transmissions: { id: string; status: string }[] }>('GET', `/transmission/notification/id/${id}`);
      return r.body.transmissions.length === 1 && r.body.transmissions;
    });
    assert.equal(ts[0].status, 'FAILED');
    const byId = await api.call<{ transmission: { notificationId: string; channel: unknown } }>('GET', `/transmission/id/${ts[0].id}`);
    assert.equal(byId.body.transmission.notificationId, id);
    assert.deepEqual(byId.body.transmission.channel, { type: 'REST', host: 'localhost', port: 1, httpMethod: 'POST' });
    const ids = async (path: string) => (await api.call<{ transmissions: { id: string }[] }>('GET', path)).body.transmissions.map((t) => t.id);
    assert.ok((await ids('/transmission/all')).includes(ts[0].id));
    assert.ok((await ids('/transmission/status/FAILED')).includes(ts[0].id));
    assert.deepEqual(await ids('/transmission/subscription/name/t-sub'), [ts[0].id]);
    assert.ok((await ids(`/transmission/start/0/end/${Date.now() + 1000}`)).includes(ts[0].id));
    assert.equal((await api.call('GET', '/transmission/status/LOST')).status, 400);
    assert.equal((await api.call('GET', '/transmission/subscription/name/nobody')).status, 404);
    assert.equal((await api.call('GET', '/transmission/id/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await api.call('DELETE', '/transmission/age/abc')).status, 400);
  });

  test('age routes and cleanup answer 202 and remove what is old enough', async () => {
    const [{ id }] = (await api.call<Item[]>('POST', '/notification', batch('notification', note({ category: 'age' })))).body;
    const { waitFor } = await import('../../../../test/helpers/wait.js');
    await waitFor(
      'PROCESSED',
      async () => (await api.call<{ notification: Notification }>('GET', `/notification/id/${id}`)).body.notification.status === 'PROCESSED',
    );
    assert.equal((await api.call('DELETE', '/notification/age/3600000')).status, 202);
    assert.equal((await api.call('GET', `/notification/id/${id}`)).status, 200, 'younger than the age: kept');
    assert.equal((await api.call('DELETE', '/notification/age/0')).status, 202);
    assert.equal((await api.call('GET', `/notification/id/${id}`)).status, 404);
    assert.equal((await api.call('DELETE', '/transmission/age/0')).status, 202);
    assert.equal((await api.call('DELETE', '/cleanup/age/-5')).status, 400);
    await api.call('POST', '/notification', batch('notification', note()));
    assert.equal((await api.call('DELETE', '/cleanup')).status, 202);
    assert.equal((await api.call<{ totalCount: number }>('GET', '/notification')).body.totalCount, 0);
  });

  test('/metrics counts notifications and transmissions', async () => {
    const res = await fetch(`http://127.0.0.1:${svc.restPort}/metrics`);
    const text = await res.text();
    assert.match(text, /support_notifications_notifications_added_total\{[^}]*severity="MINOR"[^}]*\} [1-9]/);
    assert.match(text, /support_notifications_transmissions_total\{[^}]*channel="REST"[^}]*status="FAILED"[^}]*\} [1-9]/);
  });
});
