// SupportSchedulerClient against a real support-scheduler (SQLite file) and a real HTTP receiver.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { startScheduler, tempDir, type SchedulerUnderTest } from '../../services/support-scheduler/src/test-support/harness.js';
import { startReceiver, type Receiver } from '../../services/support-scheduler/src/test-support/receiver.js';
import { waitFor } from '../../test/helpers/wait.js';
import { SupportSchedulerClient } from './index.js';

const dir = tempDir();
let scheduler: SchedulerUnderTest;
let receiver: Receiver;
let client: SupportSchedulerClient;

before(async () => {
  receiver = await startReceiver();
  scheduler = await startScheduler({ Database: { Path: join(dir.path, 's.db') } });
  client = new SupportSchedulerClient(`http://127.0.0.1:${scheduler.handle.restPort}`);
});
after(async () => {
  await scheduler.stop();
  await receiver.close();
  dir.remove();
});

const isKind = (kind: string) => (err: unknown) => err instanceof EdgeXError && err.kind === kind;

test('jobs: add, get, list by label, update, trigger, records, delete; errors keep their kinds', async () => {
  const id = await client.addScheduleJob({
    name: 'client-job',
    definition: { type: 'INTERVAL', interval: '1h' },
    actions: [{ type: 'REST', address: `${receiver.base}/client`, method: 'PUT', payload: { on: true } }],
    labels: ['l1'],
  });
  assert.match(id, /^[0-9a-f-]{36}$/);
  const job = await client.getScheduleJob('client-job');
  assert.equal(job.id, id);
  assert.equal(job.adminState, 'UNLOCKED');
  assert.equal((await client.listScheduleJobs({ labels: ['l1'] })).totalCount, 1);
  assert.equal((await client.listScheduleJobs({ labels: ['other'] })).totalCount, 0);

  await client.triggerScheduleJob('client-job');
  const req = await waitFor('the PUT', () => receiver.requests.find((r) => r.path === '/client'));
  assert.deepEqual(JSON.parse(req.body), { on: true });
  const latest = await waitFor('the record', async () => {
    const recs = await client.latestScheduleActionRecords('client-job');
    return recs.length > 0 && recs;
  });
  assert.equal(latest[0].status, 'SUCCEEDED');
  assert.equal((await client.listScheduleActionRecords({ jobName: 'client-job', status: 'SUCCEEDED' })).totalCount, 1);
  assert.equal((await client.listScheduleActionRecords({ status: 'MISSED' })).totalCount, 0);

  await client.updateScheduleJob({ name: 'client-job', adminState: 'LOCKED' });
  assert.equal((await client.getScheduleJob('client-job')).adminState, 'LOCKED');
  await assert.rejects(client.triggerScheduleJob('client-job'), isKind('ServiceLocked'));

  await assert.rejects(
    client.addScheduleJob({ name: 'bad', definition: { type: 'CRON', crontab: 'whenever' }, actions: [{ type: 'EDGEXMESSAGEBUS', topic: 't' }] }),
    (err: unknown) => isKind('ContractInvalid')(err) && /crontab: invalid cron expression/.test(errorMessage(err)),
  );
  await client.deleteScheduleJob('client-job');
  await assert.rejects(client.getScheduleJob('client-job'), isKind('NotFound'));
});

test('v3 intervals and interval actions: the action runs on its interval', async () => {
  await client.addInterval({ name: 'every-second', interval: '1s' });
  await client.addIntervalAction({
    name: 'tick',
    intervalName: 'every-second',
    adminState: 'UNLOCKED',
    address: { type: 'REST', host: '127.0.0.1', port: Number(new URL(receiver.base).port), path: '/tick', httpMethod: 'POST' },
    content: 'tock',
    contentType: 'text/plain',
  });
  assert.equal((await client.getInterval('every-second')).interval, '1s');
  assert.equal((await client.getIntervalAction('tick')).address.path, '/tick');
  const got = await waitFor('two ticks', () => {
    const ticks = receiver.requests.filter((r) => r.path === '/tick');
    return ticks.length >= 2 && ticks;
  });
  assert.equal(got[0].body, 'tock');
  const recs = await client.listScheduleActionRecords({ jobName: 'every-second' });
  assert.ok(recs.totalCount >= 2);
  const times = recs.scheduleActionRecords.map((r) => r.scheduledAt).sort((a, b) => a - b);
  assert.equal(times[1] - times[0], 1000, 'one interval apart');

  await client.updateIntervalAction({ name: 'tick', adminState: 'LOCKED' });
  await client.updateInterval({ name: 'every-second', interval: '1h' });
  assert.deepEqual(
    (await client.listIntervals()).intervals.map((i) => [i.name, i.interval]),
    [
      ['midnight', '24h'],
      ['every-second', '1h'],
    ],
    "EdgeX's default interval and ours",
  );
  assert.equal((await client.getIntervalAction('tick')).adminState, 'LOCKED');
  await assert.rejects(client.deleteInterval('every-second'), isKind('StatusConflict'));
  await client.deleteIntervalAction('tick');
  await client.deleteInterval('every-second');
  await assert.rejects(client.getInterval('every-second'), isKind('NotFound'));
});
