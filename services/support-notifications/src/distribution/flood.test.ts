// A flood of notifications to a receiver that does not answer: deliveries in flight stay at Distribution.MaxInFlight,
// the rest wait in the store (pending), and every one is delivered once the receiver answers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Notification } from '@edgex-ts/contracts';
import { waitFor } from '../../../../test/helpers/wait.js';
import { startReceiver } from '../test-support/receiver.js';
import { apiOf, batch, startForTest } from '../test-support/service.js';

const FLOOD = 400;
const MAX_IN_FLIGHT = 4;

test(`${FLOOD} notifications to a stalled receiver: ${MAX_IN_FLIGHT} deliveries in flight, the rest pending in the store, none lost`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'support-notifications-flood-'));
  const receiver = await startReceiver('hang');
  const svc = await startForTest(
    { Type: 'sqlite', Path: join(dir, 'flood.db') },
    { Distribution: { MaxInFlight: MAX_IN_FLIGHT }, Service: { RequestTimeout: '60s' } },
  );
  try {
    const api = apiOf(svc);
    await api.call(
      'POST',
      '/subscription',
      batch('subscription', {
        name: 'stalled',
        receiver: 'r',
        categories: ['flood'],
        channels: [{ type: 'REST', host: '127.0.0.1', port: receiver.port, httpMethod: 'POST' }],
      }),
    );
    for (let i = 0; i < FLOOD; i += 100) {
      const items = Array.from({ length: 100 }, (_, j) => ({ category: 'flood', content: `n${i + j}`, sender: 's', severity: 'NORMAL' }));
      const res = await api.call<{ statusCode: number }[]>('POST', '/notification', batch('notification', ...items));
      assert.ok(res.body.every((r) => r.statusCode === 201));
    }
    await waitFor('the receiver holding the first deliveries', () => receiver.waiting === MAX_IN_FLIGHT);
    // Slots stay taken while the receiver holds its answers: no delivery beyond them has started.
    assert.equal(receiver.requests.length, MAX_IN_FLIGHT);
    assert.equal(svc.distributor.inFlight, MAX_IN_FLIGHT);
    const pending = await api.call<{ totalCount: number }>('GET', '/notification/status/NEW?limit=1');
    assert.equal(pending.body.totalCount, FLOOD, 'accepted notifications wait in the store');

    receiver.answer = 200;
    receiver.release(200);
    await waitFor(
      'every notification PROCESSED',
      async () => (await api.call<{ totalCount: number }>('GET', '/notification/status/PROCESSED?limit=1')).body.totalCount === FLOOD,
      {
        timeoutMs: 60_000,
      },
    );
    const contents = new Set(receiver.requests.map((r) => r.body));
    assert.equal(contents.size, FLOOD, 'each notification delivered');
    assert.equal(receiver.requests.length, FLOOD, 'and once');
    const sent = await api.call<{ totalCount: number }>('GET', '/transmission/status/SENT?limit=1');
    assert.equal(sent.body.totalCount, FLOOD);
    const one = await api.call<{ notifications: Notification[] }>('GET', '/notification/category/flood?limit=1');
    assert.equal(one.body.notifications[0].status, 'PROCESSED');
  } finally {
    await svc.stop();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('notifications still pending when the service stops are delivered after its restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'support-notifications-pending-'));
  const database = { Type: 'sqlite' as const, Path: join(dir, 'pending.db') };
  const overrides = { Distribution: { MaxInFlight: 1 }, Service: { RequestTimeout: '1s' } };
  const receiver = await startReceiver('hang');
  let svc = await startForTest(database, overrides);
  try {
    let api = apiOf(svc);
    await api.call(
      'POST',
      '/subscription',
      batch('subscription', {
        name: 'later',
        receiver: 'r',
        categories: ['later'],
        channels: [{ type: 'REST', host: '127.0.0.1', port: receiver.port, httpMethod: 'POST' }],
      }),
    );
    const added = await api.call<{ id: string }[]>(
      'POST',
      '/notification',
      batch('notification', ...['first', 'second', 'third'].map((content) => ({ category: 'later', content, sender: 's', severity: 'NORMAL' }))),
    );
    await waitFor('the first delivery under way', () => receiver.waiting === 1);
    await svc.stop(); // the delivery under way ends (timeout: FAILED); the others stay pending in the store

    receiver.answer = 200;
    svc = await startForTest(database, overrides);
    api = apiOf(svc);
    await waitFor('all three PROCESSED', async () => (await api.call<{ totalCount: number }>('GET', '/notification/status/PROCESSED')).body.totalCount === 3);
    const statuses = await Promise.all(
      added.body.map(async ({ id }) =>
        (await api.call<{ transmissions: { status: string }[] }>('GET', `/transmission/notification/id/${id}`)).body.transmissions.map((t) => t.status),
      ),
    );
    assert.deepEqual(
      statuses.flat().sort(),
      ['FAILED', 'SENT', 'SENT'],
      'one transmission each: the one cut by the stop FAILED, the others sent after the restart',
    );
    assert.equal(receiver.requests.length, 3);
  } finally {
    await svc.stop();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
