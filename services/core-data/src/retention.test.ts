// Retention (EdgeX 3.1 reading-count watermarks) against real stores: SQLite files (same thread and with
// the writer thread) and MongoDB (a real FerretDB). Passes are run directly; the timer is checked through
// the running service.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { waitFor } from '../../../test/helpers/wait.js';
import { loadCoreDataConfig } from './config.js';
import { runRetentionPass, startRetention } from './retention.js';
import type { EventStore } from './store/types.js';
import { eventStoreBackends } from './test-support/event-stores.js';
import { makeEvent } from './test-support/events.js';
import { startTestCoreData } from './test-support/start.js';

const silent = pino({ level: 'silent' });
const stores = eventStoreBackends('retention');

const caps = { MaxCap: 100, MinCap: 80 };
const everything = { offset: 0, limit: 1000 };

/** `count` events of `perEvent` readings each, origins 1000, 2000, … (oldest first), stored in shuffled batches. */
async function fill(store: EventStore, count: number, perEvent = 1): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => makeEvent({ origin: (i + 1) * 1000, resources: perEvent }));
  events.reverse();
  for (let i = 0; i < events.length; i += 50) await store.addEvents(events.slice(i, i + 50));
}

async function origins(store: EventStore): Promise<number[]> {
  return (await store.listReadings({}, everything)).map((r) => Number(r.origin));
}

for (const [name, open] of stores.all) {
  describe(`Retention pass: ${name}`, () => {
    async function withStore(fn: (store: EventStore) => Promise<void>): Promise<void> {
      const store = await open();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    it('above MaxCap keeps the newest MinCap readings (by origin) and removes the rest, in bounded batches', () =>
      withStore(async (store) => {
        await fill(store, 150);
        const result = await runRetentionPass(store, caps, { batchEvents: 7 });
        assert.equal(result?.eventsRemoved, 70);
        assert.equal(result?.readingsBefore, 150);
        assert.equal(result?.readingsAfter, 80);
        const expected = Array.from({ length: 80 }, (_, i) => (150 - i) * 1000);
        assert.deepEqual(await origins(store), expected);
        assert.equal(await store.countEvents({}), 80);
      }));

    it('removes whole events only, never one holding any of the newest MinCap readings', () =>
      withStore(async (store) => {
        await fill(store, 50, 3); // 150 readings; the 80th newest is in the 27th newest event
        const result = await runRetentionPass(store, caps);
        assert.equal(result?.eventsRemoved, 23);
        assert.equal(await store.countEvents({}), 27);
        assert.equal(await store.countReadings({}), 81);
        assert.equal(Math.min(...(await origins(store))), 24 * 1000);
      }));

    it('ends after the current batch once the service is stopping', () =>
      withStore(async (store) => {
        await fill(store, 150);
        const result = await runRetentionPass(store, caps, { batchEvents: 10, stopped: () => true });
        assert.equal(result?.eventsRemoved, 10);
        assert.equal(Math.min(...(await origins(store))), 11 * 1000);
      }));

    it('below MaxCap removes nothing', () =>
      withStore(async (store) => {
        await fill(store, 99);
        assert.equal(await runRetentionPass(store, caps), undefined);
        assert.equal(await store.countReadings({}), 99);
      }));
  });
}

describe('Retention timer', () => {
  it('is not started when Retention.Enabled is false', async () => {
    const store = await stores.sqlite();
    try {
      const retention = { Enabled: false, Interval: '1ms', ...caps };
      assert.equal(startRetention({ store, retention, log: silent }), undefined);
    } finally {
      await store.close();
    }
  });

  it('runs passes every Interval, logs and counts what it removed, and ends with stop()', async () => {
    const store = await stores.sqlite();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    let removed = 0;
    await fill(store, 150);
    const timer = startRetention({ store, retention: { Enabled: true, Interval: '5ms', ...caps }, log, onRemoved: (r) => (removed += r.eventsRemoved) });
    try {
      await waitFor('a retention pass', async () => (await store.countReadings({})) === 80);
      await waitFor('the pass to be reported', () => removed === 70);
      const reported = lines.map((l) => JSON.parse(l) as { msg: string; eventsRemoved?: number; durationMs?: number }).find((l) => l.eventsRemoved);
      assert.ok(reported);
      assert.equal(reported.eventsRemoved, 70);
      assert.equal(typeof reported.durationMs, 'number');
      assert.match(reported.msg, /Retention removed 70 events: 150 readings down to 80/);
    } finally {
      await timer!.stop();
      await store.close(); // a pass after stop() would fail on the closed database
    }
  });

  it('is wired into core-data: a running service trims its store, and stops cleanly', async () => {
    const svc = await startTestCoreData({ overrides: { Retention: { Enabled: true, Interval: '5ms', ...caps } } });
    try {
      for (let i = 1; i <= 150; i++) await svc.domain.addEvent(makeEvent({ origin: i * 1000 }), { transport: 'rest' });
      await waitFor('core-data retention', async () => (await svc.domain.countReadings({})) <= 100);
      const { readings } = await svc.domain.listReadings({}, { offset: 0, limit: 200 });
      // Events keep arriving during passes: whatever remains is the newest, down to at least MinCap.
      assert.ok(readings.length >= 80);
      assert.equal(Number(readings.at(-1)!.origin), (150 - readings.length + 1) * 1000);
    } finally {
      await svc.stop();
    }
  });
});

describe('Retention configuration', () => {
  const load = (Retention: object) => () => loadCoreDataConfig({ argv: [], env: {}, overrides: { Retention } });

  it('defaults to EdgeX 3.1: disabled, 30s, 10000 / 8000', () => {
    assert.deepEqual(loadCoreDataConfig({ argv: [], env: {} }).Retention, { Enabled: false, Interval: '30s', MaxCap: 10000, MinCap: 8000 });
  });

  it('refuses bad values, naming the key', () => {
    assert.throws(load({ Interval: 'often' }), /Retention\.Interval/);
    assert.throws(load({ Interval: '0s' }), /Retention\.Interval/);
    assert.throws(load({ MaxCap: 0 }), /Retention\.MaxCap/);
    assert.throws(load({ MaxCap: 1.5 }), /Retention\.MaxCap/);
    assert.throws(load({ MinCap: 0 }), /Retention\.MinCap/);
    assert.throws(load({ MaxCap: 100, MinCap: 100 }), /Retention\.MinCap.*less than MaxCap/);
  });
});
