import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteEventStore } from './sqlite-store.js';
import { WriteQueue } from './write-queue.js';
import { makeEvent } from '../test-support/events.js';

const dir = mkdtempSync(join(tmpdir(), 'core-data-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function open(name: string): SqliteEventStore {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return new SqliteEventStore(db);
}

describe('SqliteEventStore', () => {
  it('stores events, answers queries newest first, counts and deletes', async () => {
    const store = open('a.db');
    const e1 = makeEvent({ deviceName: 'd1', origin: 1000, resources: ['t', 'h'] });
    const e2 = makeEvent({ deviceName: 'd1', origin: 2000, resources: ['t'] });
    const e3 = makeEvent({ deviceName: 'd2', origin: 3000, resources: ['t', 'p', 'h'] });
    assert.deepEqual(await store.addEvents([e1, e2, e3, { ...e1 }]), ['stored', 'stored', 'stored', 'duplicate']);

    const got = await store.getEvent(e1.id);
    assert.deepEqual(got, { apiVersion: 'v3', ...e1 });
    assert.deepEqual(
      (await store.listEvents({}, { offset: 0, limit: 10 })).map((e) => e.origin),
      [3000, 2000, 1000],
    );
    assert.deepEqual(
      (await store.listEvents({ deviceName: 'd1' }, { offset: 1, limit: 10 })).map((e) => e.id),
      [e1.id],
    );
    assert.equal((await store.listEvents({ deviceName: 'nope' }, { offset: 0, limit: 10 })).length, 0);
    assert.deepEqual(
      (await store.listEvents({ start: 1500, end: 3000 }, { offset: 0, limit: 10 })).map((e) => e.id),
      [e3.id, e2.id],
    );
    assert.equal(await store.countEvents({}), 3);
    assert.equal(await store.countEvents({ deviceName: 'd2' }), 1);
    assert.equal(await store.countEvents({ start: 2000, end: 2000 }), 1);
    assert.equal(await store.countReadings({}), 6);
    assert.equal(await store.countReadings({ deviceName: 'd1' }), 3);
    assert.equal(await store.countReadings({ resourceNames: ['t'] }), 3);
    assert.equal(await store.countReadings({ deviceName: 'd2', resourceNames: ['p', 'h'] }), 2);
    const rs = await store.listReadings({ resourceNames: ['h'] }, { offset: 0, limit: 10 });
    assert.deepEqual(
      rs.map((r) => [r.deviceName, r.origin]),
      [
        ['d2', 3000],
        ['d1', 1000],
      ],
    );
    assert.deepEqual(rs[1], e1.readings[1]);

    assert.equal(await store.deleteEvent(e2.id), true);
    assert.equal(await store.deleteEvent(e2.id), false);
    assert.equal(await store.countReadings({ deviceName: 'd1' }), 2);
    assert.equal(await store.deleteEventsByDevice('d2'), 1);
    assert.equal(await store.countReadings({}), 2);
    assert.equal(await store.deleteEventsOlderThan(1001), 1);
    assert.equal(await store.countEvents({}), 0);
    await store.close();
  });

  it('keeps binary, object, tags and units values exactly', async () => {
    const store = open('b.db');
    const ev = makeEvent({ deviceName: 'x', origin: 1735689600000000123n, resources: ['a'] });
    ev.tags = { site: 'lab', n: 3 };
    const { value: _v, ...base } = ev.readings[0];
    ev.readings = [
      { ...base, valueType: 'Binary', binaryValue: Buffer.from([1, 2, 3]).toString('base64'), mediaType: 'application/octet-stream' },
      { ...base, id: 'c3f7b6c4-5b1e-4f5a-9d7e-2a4b6c8d0e1f', resourceName: 'o', valueType: 'Object', objectValue: { a: [1, 'x'] }, tags: { q: true } },
    ];
    await store.addEvents([ev]);
    assert.deepEqual(await store.getEvent(ev.id), { apiVersion: 'v3', ...ev });
    await store.close();
  });

  it('group-commits concurrent adds and survives reopening', async () => {
    const store = open('c.db');
    const batches: number[] = [];
    const q = new WriteQueue(store, { onCommit: (n) => batches.push(n) });
    const n = 20_000;
    const started = performance.now();
    const events = Array.from({ length: n }, (_, i) => makeEvent({ deviceName: `dev${i % 50}`, origin: i + 1, resources: 10 }));
    const outcomes = await Promise.all(events.map((e) => q.add(e)));
    const secs = (performance.now() - started) / 1000;
    assert.ok(outcomes.every((o) => o === 'stored'));
    assert.ok(batches.length < n / 10, `expected grouping, got ${batches.length} commits`);
    console.log(`# store: ${Math.round((n * 10) / secs)} readings/s in ${batches.length} commits`);
    await q.close();
    await store.close();
    const again = open('c.db');
    assert.equal(await again.countReadings({}), n * 10);
    assert.equal(await again.countEvents({ deviceName: 'dev7' }), n / 50);
    await again.close();
  });
});
