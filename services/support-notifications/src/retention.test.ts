// EdgeX v4 Retention of support-notifications through the running service: above MaxCap the oldest notifications
// go until MinCap remain (the store contract checks which ones and that their transmissions go too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Notification } from '@edgex-ts/contracts';
import { waitFor } from '../../../test/helpers/wait.js';
import { apiOf, batch, startForTest } from './test-support/service.js';

test('Retention: at MaxCap the oldest notifications are removed down to MinCap, with their count in /metrics', async () => {
  const svc = await startForTest({ Type: 'sqlite', Path: ':memory:' }, { Retention: { Enabled: true, Interval: '100ms', MaxCap: 6, MinCap: 2 } });
  try {
    const api = apiOf(svc);
    const note = (i: number) => batch('notification', { category: 'kept', content: `n${i}`, sender: 's', severity: 'MINOR' });
    for (let i = 0; i < 5; i++) await api.call('POST', '/notification', note(i));
    const count = async () => (await api.call<{ totalCount: number }>('GET', '/notification?limit=1')).body.totalCount;
    await api.call('POST', '/notification', note(5));
    await waitFor('retention down to MinCap', async () => (await count()) === 2);
    const left = (await api.call<{ notifications: Notification[] }>('GET', '/notification')).body.notifications.map((n) => n.content);
    assert.equal(left.length, 2);
    const metrics = await (await fetch(`http://127.0.0.1:${svc.restPort}/metrics`)).text();
    assert.match(metrics, /support_notifications_retention_removed_total(\{[^}]*\})? 4/);
  } finally {
    await svc.stop();
  }
});
