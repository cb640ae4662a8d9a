// Retention of schedule action records (EdgeX v4: MaxCap/MinCap) on a real SQLite store, and the running service
// applying it on its Retention.Interval.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { newUuid, type ScheduleActionRecord } from '@edgex-ts/contracts';
import { openSqlite } from '@edgex-ts/sqlite';
import { waitFor } from '../../../../test/helpers/wait.js';
import { sqliteSchedulerStores } from '../store/sqlite/index.js';
import { batchOne, startScheduler, tempDir } from '../test-support/harness.js';
import { applyRetention } from './retention.js';

const dir = tempDir();
after(() => dir.remove());

const record = (created: number): ScheduleActionRecord => ({
  id: newUuid(),
  jobName: 'r',
  action: { type: 'EDGEXMESSAGEBUS', topic: 't' },
  status: 'SUCCEEDED',
  scheduledAt: created,
  created,
});

test('a pass above MaxCap removes the oldest records until MinCap remain; at or below MaxCap it removes nothing', async () => {
  const stores = sqliteSchedulerStores(openSqlite(join(dir.path, 'r.db')));
  try {
    await stores.records.add(Array.from({ length: 10 }, (_, i) => record(1000 + i)));
    assert.equal(await applyRetention(stores.records, { maxCap: 10, minCap: 8 }), 0);
    await stores.records.add([record(2000), record(2001)]);
    assert.equal(await applyRetention(stores.records, { maxCap: 10, minCap: 8 }), 4);
    const kept = (await stores.records.list({ offset: 0, limit: -1 })).items.map((r) => r.created).sort((a, b) => a - b);
    assert.deepEqual(kept, [1004, 1005, 1006, 1007, 1008, 1009, 2000, 2001]);
  } finally {
    await stores.close();
  }
});

test('the service applies Retention on its interval', async () => {
  const s = await startScheduler({ Database: { Path: join(dir.path, 's.db') }, Retention: { Enabled: true, Interval: '300ms', MaxCap: 3, MinCap: 1 } });
  try {
    await batchOne('POST', s.url('/job'), {
      scheduleJob: { name: 'noop', definition: { type: 'INTERVAL', interval: '1h' }, actions: [{ type: 'EDGEXMESSAGEBUS', topic: 't' }] },
    });
    // Without a bus every run FAILs: records all the same.
    for (let i = 0; i < 4; i++) {
      await waitFor(`run ${i + 1} to be taken`, async () => (await fetch(s.url('/job/trigger/name/noop'), { method: 'POST' })).status === 202);
      await waitFor(`run ${i + 1} to finish`, async () => !s.handle.domain.engine.isRunning('job/noop'));
    }
    await waitFor('retention to trim the records to MinCap', async () => {
      const res = (await (await fetch(s.url('/scheduleactionrecord/all'))).json()) as { totalCount: number };
      return res.totalCount === 1;
    });
  } finally {
    await s.stop();
  }
});
