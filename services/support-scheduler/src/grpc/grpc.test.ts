// support-scheduler's gRPC API on a real server: health and reflection from the runtime, jobs, records and v3
// intervals through SupportSchedulerService, with the same rules (and field names) as REST.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { SupportSchedulerServiceClient, type supportschedulerV1 as pb } from '@edgex-ts/contracts';
import { healthCheck, listServicesByReflection, unaryCall } from '../../../../test/helpers/grpc.js';
import { waitFor } from '../../../../test/helpers/wait.js';
import { startScheduler, tempDir, type SchedulerUnderTest } from '../test-support/harness.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';
import { SUPPORT_SCHEDULER_GRPC_SERVICE } from './index.js';

const dir = tempDir();
let s: SchedulerUnderTest;
let receiver: Receiver;
let client: SupportSchedulerServiceClient;

before(async () => {
  receiver = await startReceiver();
  s = await startScheduler({ Database: { Path: join(dir.path, 'g.db') } });
  client = new SupportSchedulerServiceClient(`127.0.0.1:${s.handle.grpcPort}`, grpc.credentials.createInsecure());
});
after(async () => {
  client.close();
  await s.stop();
  await receiver.close();
  dir.remove();
});

const job = (name: string, definition: Partial<pb.ScheduleDef>): pb.ScheduleJob => ({
  id: '',
  name,
  definition: { type: 'INTERVAL', startTimestamp: 0n, endTimestamp: 0n, interval: '', crontab: '', ...definition },
  autoTriggerMissedRecords: false,
  actions: [
    {
      id: '',
      type: 'REST',
      contentType: 'application/json',
      payload: Buffer.from('{"a":1}'),
      topic: '',
      address: `${receiver.base}/grpc`,
      method: 'POST',
      injectEdgexAuth: false,
      deviceName: '',
      sourceName: '',
    },
  ],
  adminState: '',
  labels: ['g'],
  properties: { k: 'v' },
  created: 0n,
  modified: 0n,
});

test('health SERVING and reflection list SupportSchedulerService', async () => {
  assert.equal(await healthCheck(s.handle.grpcPort, SUPPORT_SCHEDULER_GRPC_SERVICE), 'SERVING');
  assert.ok((await listServicesByReflection(s.handle.grpcPort)).includes(SUPPORT_SCHEDULER_GRPC_SERVICE));
});

test('jobs over gRPC: add, get, list, trigger, records, replace, delete', async () => {
  const { id } = await unaryCall(client, client.addScheduleJob, { scheduleJob: job('grpc-job', { interval: '1h' }) });
  assert.match(id, /^[0-9a-f-]{36}$/);
  const got = (await unaryCall(client, client.getScheduleJob, { name: 'grpc-job' })).scheduleJob!;
  assert.equal(got.adminState, 'UNLOCKED');
  assert.deepEqual(got.properties, { k: 'v' });
  assert.ok(got.created > 0n);
  assert.equal((await unaryCall(client, client.listScheduleJobs, { page: { offset: 0, limit: -1 }, labels: ['g'] })).totalCount, 1);

  await unaryCall(client, client.triggerScheduleJob, { name: 'grpc-job' });
  const req = await waitFor('the POST', () => receiver.requests.find((r) => r.path === '/grpc'));
  assert.equal(req.body, '{"a":1}');
  const records = await waitFor('the record', async () => {
    const res = await unaryCall(client, client.listScheduleActionRecords, {
      page: { offset: 0, limit: 10 },
      jobName: 'grpc-job',
      status: 'SUCCEEDED',
      start: 0n,
      end: 0n,
    });
    return res.totalCount > 0 && res.scheduleActionRecords;
  });
  assert.equal(records[0].action?.address, `${receiver.base}/grpc`);
  assert.equal((await unaryCall(client, client.latestScheduleActionRecords, { jobName: 'grpc-job' })).scheduleActionRecords.length, 1);

  await unaryCall(client, client.updateScheduleJob, { scheduleJob: { ...job('grpc-job', { type: 'CRON', crontab: '0 0 * * *' }), adminState: 'LOCKED' } });
  assert.equal((await unaryCall(client, client.getScheduleJob, { name: 'grpc-job' })).scheduleJob?.definition?.crontab, '0 0 * * *');
  await unaryCall(client, client.deleteScheduleJob, { name: 'grpc-job' });
  await assert.rejects(unaryCall(client, client.getScheduleJob, { name: 'grpc-job' }), (err: grpc.ServiceError) => err.code === grpc.status.NOT_FOUND);
});

test('bad input: INVALID_ARGUMENT naming the field', async () => {
  const invalid = (re: RegExp) => (err: grpc.ServiceError) => err.code === grpc.status.INVALID_ARGUMENT && re.test(err.details);
  await assert.rejects(
    unaryCall(client, client.addScheduleJob, { scheduleJob: job('g1', { type: 'CRON', crontab: '* * *' }) }),
    invalid(/crontab: invalid cron expression/),
  );
  await assert.rejects(
    unaryCall(client, client.addScheduleJob, { scheduleJob: job('g2', { interval: '10ms' }) }),
    invalid(/interval: 10ms is shorter than the scheduler's tick/),
  );
  await assert.rejects(
    unaryCall(client, client.addScheduleJob, { scheduleJob: { ...job('g3', { interval: '1s' }), actions: [] } }),
    invalid(/schedule_job\.actions: must hold at least one action/),
  );
  await assert.rejects(unaryCall(client, client.addScheduleJob, {}), invalid(/schedule_job: is required/));
  await assert.rejects(
    unaryCall(client, client.listScheduleActionRecords, { page: { offset: 0, limit: 1 }, jobName: '', status: 'LOST', start: 0n, end: 0n }),
    invalid(/status: expected one of SUCCEEDED, FAILED, MISSED/),
  );
});

test('v3 intervals and interval actions over gRPC', async () => {
  await unaryCall(client, client.addInterval, {
    interval: { id: '', name: 'g-int', start: '', end: '', interval: '1h', autoTriggerMissedRecords: true, created: 0n, modified: 0n },
  });
  const { interval } = await unaryCall(client, client.getInterval, { name: 'g-int' });
  assert.equal(interval?.autoTriggerMissedRecords, true);
  await unaryCall(client, client.addIntervalAction, {
    action: {
      id: '',
      name: 'g-act',
      intervalName: 'g-int',
      address: { host: '127.0.0.1', port: 1, path: '/x', httpMethod: 'GET', injectEdgexAuth: false },
      content: '',
      contentType: '',
      adminState: '',
      authMethod: '',
      created: 0n,
      modified: 0n,
    },
  });
  assert.equal((await unaryCall(client, client.getIntervalAction, { name: 'g-act' })).action?.address?.path, '/x');
  const names = (await unaryCall(client, client.listIntervalActions, { page: { offset: 0, limit: -1 } })).actions.map((a) => a.name);
  assert.ok(names.includes('g-act'));
  await assert.rejects(unaryCall(client, client.deleteInterval, { name: 'g-int' }), (err: grpc.ServiceError) => err.code === grpc.status.FAILED_PRECONDITION);
  await unaryCall(client, client.deleteIntervalAction, { name: 'g-act' });
  await unaryCall(client, client.deleteInterval, { name: 'g-int' });
  assert.ok(!(await unaryCall(client, client.listIntervals, { page: { offset: 0, limit: -1 } })).intervals.some((i) => i.name === 'g-int'));
});
