// The SQLite writer thread merges the batches that reach it during a commit; what callers rely on is that
// each batch is still answered for its own events and that deletes see everything sent before them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { errorKind } from '@edgex-ts/contracts';
import { openSqlite } from '@edgex-ts/sqlite';
import { pino } from 'pino';
import { makeEvent } from '../test-support/events.js';
import { ThreadedEventStore } from './threaded-store.js';
import { WriteQueue } from './write-queue.js';

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'core-data-threaded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function open(name: string): ThreadedEventStore {
  const path = join(dir, name);
  return new ThreadedEventStore(openSqlite(path, silent), path);
}

describe('ThreadedEventStore', () => {
  it('a write the database refuses fails as a Database error with its reason, and the store goes on', async () => {
    const path = join(dir, 'refusing.db');
    const store = new ThreadedEventStore(openSqlite(path, silent), path);
    const other = openSqlite(path, silent);
    try {
      other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.nreadings = 3 BEGIN SELECT RAISE(ABORT, 'three is too many'); END`);
      await assert.rejects(store.addEvents([makeEvent({ deviceName: 'r', origin: 1, resources: 3 })]), (e: unknown) => {
        assert.equal(errorKind(e), 'Database');
        assert.match(String(e), /three is too many/);
        return true;
      });
      assert.deepEqual(await store.addEvents([makeEvent({ deviceName: 'r', origin: 2, resources: 1 })]), ['stored']);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('batches sent at once are each answered for their own events; a duplicate across them is stored once', async () => {
    const store = open('concurrent.db');
    try {
      const batches = Array.from({ length: 12 }, (_, b) =>
        Array.from({ length: 30 }, (_, i) => makeEvent({ deviceName: `c${b % 3}`, origin: b * 100 + i + 1, resources: 2 })),
      );
      const resent = batches[4][7];
      const results = await Promise.all([...batches.map((batch) => store.addEvents(batch)), store.addEvents([{ ...resent }])]);
      assert.deepEqual(results, [...batches.map((b) => b.map(() => 'stored')), ['duplicate']]);
      assert.equal(await store.countEvents({}), 360);
      assert.equal(await store.countReadings({ deviceName: 'c1' }), 240);
    } finally {
      await store.close();
    }
  });

  it('a delete sent right after batches still in flight includes their events', async () => {
    const store = open('order.db');
    try {
      const batches = Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 200 }, (_, i) => makeEvent({ deviceName: i % 2 ? 'gone' : 'kept', origin: b * 1000 + i + 1, resources: 3 })),
      );
      const adds = batches.map((batch) => store.addEvents(batch));
      const deleted = store.deleteEventsByDevice('gone');
      const older = store.deleteEventsOlderThan(1000);
      await Promise.all(adds);
      assert.equal(await deleted, 800);
      assert.equal(await older, 100); // the 'kept' events of the first batch
      assert.equal(await store.countEvents({ deviceName: 'gone' }), 0);
      assert.equal(await store.countReadings({ deviceName: 'kept' }), 700 * 3);
    } finally {
      await store.close();
    }
  });

  it('the write queue hands batches over without waiting for commits, and every event is stored once', async () => {
    const store = open('queue.db');
    const commits: number[] = [];
    const queue = new WriteQueue(store, { maxBatchEvents: 50, onCommit: (events) => commits.push(events) });
    const events = Array.from({ length: 3000 }, (_, i) => makeEvent({ deviceName: `q${i % 5}`, origin: i + 1, resources: 2 }));
    const outcomes = await Promise.all([...events.map((e) => queue.add(e)), queue.add({ ...events[10] })]);
    assert.equal(outcomes.filter((o) => o === 'stored').length, 3000);
    assert.equal(outcomes.at(-1), 'duplicate');
    assert.ok(
      commits.every((n) => n <= 50),
      'no batch exceeds maxBatchEvents',
    );
    await queue.close();
    await store.close();
    const again = open('queue.db');
    assert.equal(await again.countReadings({}), 6000);
    assert.equal(await again.countEvents({ deviceName: 'q3' }), 600);
    await again.close();
  });
});
