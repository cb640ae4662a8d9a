// One contract for the LogStore interface, run against SQLite and MongoDB (a real FerretDB): same matches, same
// order, same paging, same removals.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogEntry } from '@edgex-ts/contracts';
import { databaseSectionSchema, timeOrderedUuid } from '@edgex-ts/runtime';
import { pino } from 'pino';
import { databaseBackends } from '../../../../test/helpers/database-backends.js';
import { openLogStore } from './open.js';

const silent = pino({ level: 'silent' });

function entry(fields: Partial<LogEntry> & { created: number }): LogEntry {
  return { id: timeOrderedUuid(fields.created), originService: 'svc', logLevel: 'INFO', message: '', args: [], ...fields };
}

const ENTRIES: LogEntry[] = [
  entry({ originService: 'core-data', logLevel: 'INFO', message: 'Event stored', created: 1000 }),
  entry({ originService: 'core-data', logLevel: 'ERROR', message: 'Store failed 100%', args: ['device', 'Random-Integer-Device'], created: 2000 }),
  entry({ originService: 'core-command', logLevel: 'WARN', message: 'device offline', args: ['attempts', 3], created: 3000 }),
  entry({ originService: 'core-command', logLevel: 'DEBUG', message: 'request a.b*c', created: 3000 }),
  entry({ originService: 'device-virtual', logLevel: 'TRACE', message: 'tick', created: 5000 }),
];

for (const { name, fresh: overrides } of databaseBackends('support_logging_contract')) {
  const database = () => databaseSectionSchema.parse(overrides());
  describe(`LogStore on ${name}`, () => {
    const fresh = async () => {
      const store = await openLogStore(database(), silent);
      await store.add(ENTRIES);
      return store;
    };
    const messages = (entries: LogEntry[]) => entries.map((e) => e.message);
    const all = { offset: 0, limit: 100 };

    test('entries come back as stored, ordered by created (then id) either way', async () => {
      const store = await fresh();
      try {
        const oldest = await store.find({}, all, 'oldest-first');
        assert.deepEqual(oldest, ENTRIES);
        assert.deepEqual(await store.find({}, all, 'newest-first'), [...ENTRIES].reverse());
        assert.equal(await store.count({}), 5);
      } finally {
        await store.close();
      }
    });

    test('filters by service, level, keyword (message or args, case-sensitive, no wildcards) and inclusive time range, all combined', async () => {
      const store = await fresh();
      try {
        const find = async (filter: Parameters<typeof store.find>[0]) => messages(await store.find(filter, all, 'oldest-first'));
        assert.deepEqual(await find({ originServices: ['core-command', 'device-virtual'] }), ['device offline', 'request a.b*c', 'tick']);
        assert.deepEqual(await find({ logLevels: ['ERROR', 'WARN'] }), ['Store failed 100%', 'device offline']);
        assert.deepEqual(await find({ keywords: ['offline', 'tick'] }), ['device offline', 'tick']);
        assert.deepEqual(await find({ keywords: ['Random-Integer'] }), ['Store failed 100%'], 'a keyword found in args');
        assert.deepEqual(await find({ keywords: ['event'] }), [], 'case-sensitive');
        assert.deepEqual(await find({ keywords: ['100%'] }), ['Store failed 100%']);
        assert.deepEqual(await find({ keywords: ['.*'] }), [], 'regex characters are literal');
        assert.deepEqual(await find({ keywords: ['a.b*c'] }), ['request a.b*c']);
        assert.deepEqual(await find({ start: 2000, end: 3000 }), ['Store failed 100%', 'device offline', 'request a.b*c']);
        assert.deepEqual(await find({ originServices: ['core-command'], logLevels: ['WARN'], start: 3000, end: 3000, keywords: ['device'] }), [
          'device offline',
        ]);
        assert.equal(await store.count({ originServices: ['core-data'] }), 2);
        assert.equal(await store.count({ originServices: ['nobody'] }), 0);
      } finally {
        await store.close();
      }
    });

    test('pages with offset and limit', async () => {
      const store = await fresh();
      try {
        assert.deepEqual(messages(await store.find({}, { offset: 1, limit: 2 }, 'newest-first')), ['request a.b*c', 'device offline']);
        assert.deepEqual(await store.find({}, { offset: 5, limit: 2 }, 'newest-first'), []);
      } finally {
        await store.close();
      }
    });

    test('removes by filter and the oldest first, saying how many', async () => {
      const store = await fresh();
      try {
        assert.equal(await store.remove({ logLevels: ['DEBUG', 'TRACE'] }), 2);
        assert.equal(await store.removeOldest(2), 2);
        assert.deepEqual(messages(await store.find({}, all, 'oldest-first')), ['device offline']);
        assert.equal(await store.remove({ end: 2999 }), 0);
        assert.equal(await store.removeOldest(10), 1);
        assert.equal(await store.removeOldest(10), 0);
      } finally {
        await store.close();
      }
    });

    test('an entry stored again (a retried batch) is not doubled; args keep integers beyond 2^53 exact', async () => {
      const store = await fresh();
      try {
        const big = entry({ message: 'big', args: ['origin', 1_700_000_000_000_000_001n, 'nested', { a: [1, 'x'] }], created: 9000 });
        await store.add([ENTRIES[0], big]);
        assert.equal(await store.count({}), 6);
        const [back] = await store.find({ keywords: ['big'] }, all, 'oldest-first');
        assert.deepEqual(back, big);
      } finally {
        await store.close();
      }
    });

    test('entries outlive the store: reopened, the same file or database holds them', async () => {
      const db = database();
      const first = await openLogStore(db, silent);
      await first.add(ENTRIES);
      await first.close();
      const again = await openLogStore(db, silent);
      try {
        assert.deepEqual(await again.find({}, all, 'oldest-first'), ENTRIES);
      } finally {
        await again.close();
      }
    });
  });
}
