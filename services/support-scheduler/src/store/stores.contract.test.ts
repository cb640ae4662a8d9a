// One contract for support-scheduler's stores (store/types.ts), run against SQLite (a temp file) and MongoDB (a real
// FerretDB): same results, same errors, same order and paging, state kept across a reopen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EdgeXError, newUuid, type Interval, type IntervalAction, type ScheduleActionRecord, type ScheduleJob } from '@edgex-ts/contracts';
import { createLogger } from '@edgex-ts/runtime';
import { databaseBackends, type DatabaseSection } from '../../../../test/helpers/database-backends.js';
import { openSchedulerStores } from './open.js';
import type { SchedulerStores } from './types.js';
import { loadSupportSchedulerConfig } from '../config.js';

const log = createLogger('support-scheduler-store-test', 'ERROR');

const interval = (name: string, created = 1000): Interval => ({ id: newUuid(), name, interval: '1h', created, modified: created });
const action = (name: string, intervalName: string, created = 1000): IntervalAction => ({
  id: newUuid(),
  name,
  intervalName,
  address: { type: 'REST', host: 'localhost', port: 59880, path: '/api/v3/ping', httpMethod: 'GET' },
  adminState: 'UNLOCKED',
  created,
  modified: created,
});
const job = (name: string, labels: string[] = [], created = 1000): ScheduleJob => ({
  id: newUuid(),
  name,
  definition: { type: 'INTERVAL', interval: '10s' },
  actions: [{ id: newUuid(), type: 'EDGEXMESSAGEBUS', topic: 'edgex/x', payload: 'aGk=' }],
  adminState: 'UNLOCKED',
  labels,
  // Keys MongoDB refuses as field names must survive.
  properties: { 'a.b': 1, $c: 'd' },
  created,
  modified: created,
});
const record = (jobName: string, status: ScheduleActionRecord['status'], scheduledAt: number, created: number): ScheduleActionRecord => ({
  id: newUuid(),
  jobName,
  action: { type: 'REST', address: 'http://x:1/', method: 'GET' },
  status,
  scheduledAt,
  created,
});

for (const backend of databaseBackends('support_scheduler_contract')) {
  describe(`support-scheduler stores (${backend.name})`, () => {
    const open = (database: DatabaseSection) =>
      openSchedulerStores(loadSupportSchedulerConfig({ overrides: { Database: database }, argv: [], env: {} }).Database, log);
    let stores: SchedulerStores;
    let database: DatabaseSection;
    before(async () => {
      database = backend.fresh();
      stores = await open(database);
    });
    after(() => stores.close());

    test('entities: unique names and ids, get by name and id, update, delete, list ordered and paged', async () => {
      const a = interval('a', 2000);
      await stores.intervals.add(a);
      await stores.intervals.add(interval('b', 1000));
      await assert.rejects(
        stores.intervals.add(interval('a')),
        (err: unknown) => err instanceof EdgeXError && err.kind === 'DuplicateName' && /name a/.test(err.message),
      );
      await assert.rejects(stores.intervals.add({ ...interval('c'), id: a.id }), (err: unknown) => err instanceof EdgeXError && err.kind === 'DuplicateName');
      assert.deepEqual(await stores.intervals.byName('a'), a);
      assert.deepEqual(await stores.intervals.byId(a.id!), a);
      assert.equal(await stores.intervals.byName('zz'), undefined);
      const page = await stores.intervals.list({ offset: 0, limit: -1 });
      assert.equal(page.totalCount, 2);
      assert.deepEqual(
        page.items.map((i) => i.name),
        ['b', 'a'],
        'ordered by created',
      );
      assert.deepEqual(
        (await stores.intervals.list({ offset: 1, limit: 1 })).items.map((i) => i.name),
        ['a'],
      );
      assert.equal(await stores.intervals.update({ ...a, interval: '2h' }), true);
      assert.equal((await stores.intervals.byName('a'))?.interval, '2h');
      assert.equal(await stores.intervals.update(interval('ghost')), false);
      assert.equal(await stores.intervals.deleteByName('a'), true);
      assert.equal(await stores.intervals.deleteByName('a'), false);
    });

    test('interval actions are found by their interval', async () => {
      await stores.intervalActions.add(action('x1', 'iv', 1));
      await stores.intervalActions.add(action('x2', 'iv', 2));
      await stores.intervalActions.add(action('y1', 'other', 3));
      assert.deepEqual(
        (await stores.intervalActions.byInterval('iv')).map((a) => a.name),
        ['x1', 'x2'],
      );
      const x1 = (await stores.intervalActions.byName('x1'))!;
      await stores.intervalActions.update({ ...x1, intervalName: 'other' });
      assert.deepEqual(
        (await stores.intervalActions.byInterval('other')).map((a) => a.name),
        ['x1', 'y1'],
      );
    });

    test('jobs: DTO kept exactly (user map keys too), filtered by every label', async () => {
      const j = job('j1', ['red', 'big']);
      await stores.jobs.add(j);
      await stores.jobs.add(job('j2', ['red'], 2000));
      assert.deepEqual(await stores.jobs.byName('j1'), j);
      assert.deepEqual(
        (await stores.jobs.list({ offset: 0, limit: -1, labels: ['red'] })).items.map((x) => x.name),
        ['j1', 'j2'],
      );
      const both = await stores.jobs.list({ offset: 0, limit: -1, labels: ['red', 'big'] });
      assert.equal(both.totalCount, 1);
      assert.equal(both.items[0].name, 'j1');
    });

    test('records: filters, newest first, latest run of a job, count, oldest removed first', async () => {
      await stores.records.add([
        record('r', 'SUCCEEDED', 100, 1000),
        record('r', 'FAILED', 100, 1000),
        record('r', 'SUCCEEDED', 200, 2000),
        record('s', 'MISSED', 50, 1500),
      ]);
      const all = await stores.records.list({ offset: 0, limit: -1 });
      assert.equal(all.totalCount, 4);
      assert.deepEqual(
        all.items.map((x) => x.created),
        [2000, 1500, 1000, 1000],
      );
      assert.equal((await stores.records.list({ offset: 0, limit: -1, jobName: 'r' })).totalCount, 3);
      assert.equal((await stores.records.list({ offset: 0, limit: -1, status: 'SUCCEEDED' })).totalCount, 2);
      assert.equal((await stores.records.list({ offset: 0, limit: -1, jobName: 'r', status: 'FAILED' })).totalCount, 1);
      assert.equal((await stores.records.list({ offset: 0, limit: -1, start: 1500, end: 1999 })).totalCount, 1);
      const page = await stores.records.list({ offset: 1, limit: 2 });
      assert.equal(page.totalCount, 4);
      assert.deepEqual(
        page.items.map((x) => x.created),
        [1500, 1000],
      );
      assert.deepEqual(
        (await stores.records.latestOfJob('r')).map((x) => x.scheduledAt),
        [200],
      );
      assert.deepEqual(await stores.records.latestOfJob('none'), []);
      assert.equal(await stores.records.count(), 4);
      assert.equal(await stores.records.deleteOldest(2), 2);
      assert.deepEqual(
        (await stores.records.list({ offset: 0, limit: -1 })).items.map((x) => x.created),
        [2000, 1500],
      );
    });

    test('engine state and seeded names survive a reopen', async () => {
      await stores.state.setLastRun('job/a', 123);
      await stores.state.setLastRun('job/a', 456);
      await stores.state.setLastRun('job/b', 1);
      await stores.state.forget('job/b');
      await stores.state.markSeeded('interval', 'midnight');
      await stores.state.markSeeded('interval', 'midnight');
      await stores.close();
      stores = await open(database);
      assert.equal(await stores.state.lastRun('job/a'), 456);
      assert.equal(await stores.state.lastRun('job/b'), undefined);
      assert.equal(await stores.state.wasSeeded('interval', 'midnight'), true);
      assert.equal(await stores.state.wasSeeded('intervalaction', 'midnight'), false);
      assert.equal((await stores.jobs.byName('j1'))?.name, 'j1');
    });
  });
}
