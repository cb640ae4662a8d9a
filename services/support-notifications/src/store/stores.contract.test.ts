// One contract for support-notifications' stores (store/types.ts), run against SQLite (a file) and MongoDB (a real
// FerretDB): same results, same errors, same order and paging, and the queue (pending notifications, due resends)
// kept across a close and reopen.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EdgeXError, newUuid, type Notification, type Subscription, type Transmission } from '@edgex-ts/contracts';
import { createLogger, databaseSectionSchema } from '@edgex-ts/runtime';
import { databaseBackends } from '../../../../test/helpers/database-backends.js';
import { openNotificationStores } from './open.js';
import type { NotificationStores } from './types.js';

const log = createLogger('support-notifications-store-test', 'ERROR');
const backends = databaseBackends('support_notifications_contract');

function subscription(name: string, fields: Partial<Subscription> = {}): Subscription {
  return {
    id: newUuid(),
    name,
    receiver: 'ops',
    channels: [{ type: 'REST', host: 'localhost', port: 8080, httpMethod: 'POST', path: '/hook' }],
    adminState: 'UNLOCKED',
    created: 1000,
    modified: 1000,
    ...fields,
  };
}

function notification(created: number, fields: Partial<Notification> = {}): Notification {
  return {
    id: newUuid(),
    category: 'health',
    content: `n${created}`,
    sender: 's',
    severity: 'NORMAL',
    status: 'NEW',
    acknowledged: false,
    created,
    modified: created,
    ...fields,
  };
}

function transmission(n: Notification, created: number, fields: Partial<Transmission> = {}): Transmission {
  return {
    id: newUuid(),
    created,
    channel: { type: 'EMAIL', recipients: ['a@example.com'] },
    notificationId: n.id!,
    subscriptionName: 'sub',
    records: [{ status: 'SENT', response: '', sent: created }],
    resendCount: 0,
    status: 'SENT',
    ...fields,
  };
}

const page = (offset = 0, limit = 100) => ({ offset, limit });

for (const backend of backends) {
  describe(`support-notifications stores on ${backend.name}`, () => {
    async function withStores(fn: (s: NotificationStores) => Promise<void>): Promise<void> {
      const stores = await openNotificationStores(databaseSectionSchema.parse(backend.fresh()), log);
      try {
        await fn(stores);
      } finally {
        await stores.close();
      }
    }

    test('subscriptions: unique names and ids, update, filters by category, label and receiver, paging in created order', () =>
      withStores(async ({ subscriptions }) => {
        const a = subscription('a', { categories: ['health'], created: 1 });
        const b = subscription('b', { labels: ['boiler'], receiver: 'ops2', created: 2 });
        const c = subscription('c', { categories: ['health', 'billing'], labels: ['boiler'], created: 3 });
        for (const s of [a, b, c]) await subscriptions.add(s);
        await assert.rejects(subscriptions.add(subscription('a')), (e: EdgeXError) => e.kind === 'DuplicateName');
        await assert.rejects(subscriptions.add({ ...subscription('z'), id: a.id }), (e: EdgeXError) => e.kind === 'DuplicateName');

        assert.deepEqual(await subscriptions.byName('a'), a);
        assert.deepEqual(await subscriptions.byId(b.id!), b);
        assert.equal(await subscriptions.byName('nope'), undefined);

        const all = await subscriptions.list({}, page());
        assert.equal(all.totalCount, 3);
        assert.deepEqual(
          all.items.map((s) => s.name),
          ['a', 'b', 'c'],
        );
        const second = await subscriptions.list({}, page(1, 1));
        assert.deepEqual([second.totalCount, second.items.map((s) => s.name)], [3, ['b']]);
        assert.deepEqual(
          (await subscriptions.list({ category: 'health' }, page())).items.map((s) => s.name),
          ['a', 'c'],
        );
        assert.deepEqual(
          (await subscriptions.list({ label: 'boiler' }, page())).items.map((s) => s.name),
          ['b', 'c'],
        );
        assert.deepEqual(
          (await subscriptions.list({ receiver: 'ops2' }, page())).items.map((s) => s.name),
          ['b'],
        );

        assert.deepEqual(
          (await subscriptions.matching('health', ['boiler'])).map((s) => s.name),
          ['a', 'b', 'c'],
        );
        assert.deepEqual(
          (await subscriptions.matching('billing', [])).map((s) => s.name),
          ['c'],
        );
        assert.deepEqual(
          (await subscriptions.matching(undefined, ['pump', 'boiler'])).map((s) => s.name),
          ['b', 'c'],
        );
        assert.deepEqual(await subscriptions.matching(undefined, []), []);

        assert.equal(await subscriptions.update({ ...b, receiver: 'changed', categories: ['x'] }), true);
        assert.equal((await subscriptions.byName('b'))?.receiver, 'changed');
        assert.equal(await subscriptions.update(subscription('ghost')), false);
        await assert.rejects(subscriptions.update({ ...b, name: 'a' }), (e: EdgeXError) => e.kind === 'DuplicateName');

        assert.equal(await subscriptions.deleteByName('a'), true);
        assert.equal(await subscriptions.deleteByName('a'), false);
      }));

    test('notifications: filters, newest first, acknowledgement, pending queue, deletes with their transmissions', () =>
      withStores(async ({ notifications, transmissions }) => {
        const n1 = notification(100, { labels: ['boiler'] });
        const n2 = notification(200, { category: 'billing', severity: 'CRITICAL' });
        const n3 = notification(300, { category: undefined, labels: ['pump'], status: 'ESCALATED' });
        for (const n of [n1, n2, n3]) await notifications.add(n, true);
        await assert.rejects(notifications.add(n1, true), (e: EdgeXError) => e.kind === 'DuplicateName');
        assert.deepEqual(await notifications.byId(n2.id!), n2);
        assert.equal((await notifications.byId(n3.id!))?.category, undefined);

        const ids = async (filter: Parameters<typeof notifications.list>[0], p = page()) => (await notifications.list(filter, p)).items.map((n) => n.content);
        assert.deepEqual(await ids({}), ['n300', 'n200', 'n100']);
        assert.deepEqual(await ids({}, page(1, 1)), ['n200']);
        assert.equal((await notifications.list({}, page(1, 1))).totalCount, 3);
        assert.deepEqual(await ids({ category: 'health' }), ['n100']);
        assert.deepEqual(await ids({ categories: ['health', 'billing'] }), ['n200', 'n100']);
        assert.deepEqual(await ids({ label: 'pump' }), ['n300']);
        assert.deepEqual(await ids({ status: 'ESCALATED' }), ['n300']);
        assert.deepEqual(await ids({ start: 150, end: 300 }), ['n300', 'n200']);
        assert.deepEqual(await ids({ subscribedBy: { categories: ['billing'], labels: ['boiler'] } }), ['n200', 'n100']);
        assert.deepEqual(await ids({ subscribedBy: { categories: [], labels: [] } }), []);

        assert.deepEqual(await notifications.setAcknowledged([n1.id!, 'missing-id'], true, 400), ['missing-id']);
        assert.equal((await notifications.byId(n1.id!))?.acknowledged, false, 'nothing changes when an id is unknown');
        assert.deepEqual(await notifications.setAcknowledged([n1.id!, n2.id!], true, 400), []);
        assert.deepEqual(await ids({ acknowledged: true }), ['n200', 'n100']);
        assert.deepEqual(await ids({ acknowledged: false }), ['n300']);
        assert.equal((await notifications.byId(n1.id!))?.modified, 400);

        assert.deepEqual(
          (await notifications.pending(10, new Set())).map((n) => n.content),
          ['n100', 'n200', 'n300'],
        );
        assert.deepEqual(
          (await notifications.pending(1, new Set([n1.id!]))).map((n) => n.content),
          ['n200'],
        );
        await notifications.markDistributed(n1.id!, 'PROCESSED', 500);
        const d1 = await notifications.byId(n1.id!);
        assert.deepEqual([d1?.status, d1?.modified, d1?.acknowledged], ['PROCESSED', 500, true]);
        assert.deepEqual(
          (await notifications.pending(10, new Set())).map((n) => n.content),
          ['n200', 'n300'],
        );

        await transmissions.add(transmission(n1, 150));
        await transmissions.add(transmission(n2, 250));
        assert.deepEqual(await notifications.deleteByIds([n2.id!, 'missing-id']), ['missing-id']);
        assert.deepEqual(await notifications.deleteByIds([n2.id!]), []);
        assert.equal(await notifications.byId(n2.id!), undefined);
        assert.deepEqual(await transmissions.ofNotification(n2.id!), [], 'its transmissions went with it');
        assert.equal(await notifications.count(), 2);

        // By age: PROCESSED only (n1, modified 500), or any status.
        assert.equal(await notifications.deleteModifiedBefore(1000, true), 1);
        assert.deepEqual(await transmissions.ofNotification(n1.id!), []);
        assert.equal(await notifications.deleteModifiedBefore(250, false), 0);
        assert.equal(await notifications.deleteModifiedBefore(300, false), 1, 'at the cutoff counts as old enough');
        assert.equal(await notifications.count(), 0);
      }));

    test('notifications: retention deletes the oldest beyond the newest kept, with their transmissions', () =>
      withStores(async ({ notifications, transmissions }) => {
        const all = Array.from({ length: 7 }, (_, i) => notification(10 + i));
        for (const n of all) await notifications.add(n, false);
        await transmissions.add(transmission(all[0], 20));
        assert.equal(await notifications.deleteBeyondNewest(3, 2), 2);
        assert.equal(await notifications.deleteBeyondNewest(3, 100), 2);
        assert.equal(await notifications.deleteBeyondNewest(3, 100), 0);
        assert.deepEqual(
          (await notifications.list({}, page())).items.map((n) => n.created),
          [16, 15, 14],
        );
        assert.deepEqual(await transmissions.ofNotification(all[0].id!), []);
      }));

    test('transmissions: filters, newest first, resend schedule, age cleanup sparing RESENDING', () =>
      withStores(async ({ notifications, transmissions }) => {
        const n = notification(1);
        await notifications.add(n, false);
        const t1 = transmission(n, 100, { subscriptionName: 'a' });
        const t2 = transmission(n, 200, { subscriptionName: 'b', status: 'RESENDING', records: [{ status: 'FAILED', response: 'status 500', sent: 200 }] });
        const t3 = transmission(n, 300, { subscriptionName: 'a', status: 'FAILED' });
        await transmissions.add(t1);
        await transmissions.add(t2, { nextAttemptAt: 5000, limit: 2, intervalMs: 1000 });
        await transmissions.add(t3);
        await assert.rejects(transmissions.add(t1), (e: EdgeXError) => e.kind === 'DuplicateName');
        assert.deepEqual(await transmissions.byId(t2.id!), t2);

        const subs = async (filter: Parameters<typeof transmissions.list>[0], p = page()) => (await transmissions.list(filter, p)).items.map((t) => t.created);
        assert.deepEqual(await subs({}), [300, 200, 100]);
        assert.deepEqual(await subs({}, page(2, 5)), [100]);
        assert.deepEqual(await subs({ subscriptionName: 'a' }), [300, 100]);
        assert.deepEqual(await subs({ status: 'RESENDING' }), [200]);
        assert.deepEqual(await subs({ notificationId: n.id! }), [300, 200, 100]);
        assert.deepEqual(await subs({ start: 150, end: 250 }), [200]);
        assert.equal((await transmissions.ofNotification(n.id!)).length, 3);

        assert.equal(await transmissions.nextResendAt(), 5000);
        assert.deepEqual(await transmissions.dueResends(4999, 10, new Set()), []);
        const due = await transmissions.dueResends(5000, 10, new Set());
        assert.deepEqual(due, [{ transmission: t2, schedule: { nextAttemptAt: 5000, limit: 2, intervalMs: 1000 } }]);
        assert.deepEqual(await transmissions.dueResends(5000, 10, new Set([t2.id!])), []);

        const resent: Transmission = { ...t2, resendCount: 1, records: [...t2.records, { status: 'FAILED', response: 'again', sent: 6000 }] };
        await transmissions.update(resent, { nextAttemptAt: 7000, limit: 2, intervalMs: 1000 });
        assert.equal(await transmissions.nextResendAt(), 7000);
        assert.deepEqual(await transmissions.byId(t2.id!), resent);
        await transmissions.update({ ...resent, status: 'SENT' });
        assert.equal(await transmissions.nextResendAt(), undefined);
        await transmissions.update({ ...resent, status: 'RESENDING' }, { nextAttemptAt: 8000, limit: 2, intervalMs: 1000 });

        assert.equal(await transmissions.deleteCreatedBefore(1000), 2, 'RESENDING stays');
        assert.deepEqual(await subs({}), [200]);
      }));

    test('the queue survives a close and reopen', async () => {
      const database = databaseSectionSchema.parse(backend.fresh());
      const n = notification(1);
      const t = transmission(n, 2, { status: 'RESENDING' });
      let stores = await openNotificationStores(database, log);
      await stores.notifications.add(n, true);
      await stores.transmissions.add(t, { nextAttemptAt: 10, limit: 3, intervalMs: 5 });
      await stores.close();
      stores = await openNotificationStores(database, log);
      try {
        assert.deepEqual(
          (await stores.notifications.pending(10, new Set())).map((p) => p.id),
          [n.id],
        );
        assert.deepEqual(await stores.transmissions.dueResends(10, 10, new Set()), [
          { transmission: t, schedule: { nextAttemptAt: 10, limit: 3, intervalMs: 5 } },
        ]);
      } finally {
        await stores.close();
      }
    });
  });
}
