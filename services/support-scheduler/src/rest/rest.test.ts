// support-scheduler's EdgeX REST API on a real server (SQLite file): EdgeX v3 intervals and interval actions, EdgeX
// v4 jobs, their batch answers, bad input named by field, triggering against a real HTTP receiver.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../../test/helpers/wait.js';
import { batchOne, startScheduler, tempDir, type SchedulerUnderTest } from '../test-support/harness.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';

interface Answer {
  statusCode: number;
  message?: string;
  totalCount?: number;
  [key: string]: unknown;
}
const getJson = async (url: string): Promise<{ status: number; body: Answer }> => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Answer };
};

const restJob = (name: string, address: string, extra: Record<string, unknown> = {}) => ({
  scheduleJob: {
    name,
    definition: { type: 'INTERVAL', interval: '1h' },
    actions: [{ type: 'REST', address, method: 'POST', contentType: 'text/plain', payload: 'hello' }],
    adminState: 'UNLOCKED',
    ...extra,
  },
});

describe('support-scheduler REST', () => {
  const dir = tempDir();
  let s: SchedulerUnderTest;
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
    s = await startScheduler({ Database: { Path: join(dir.path, 'scheduler.db') } });
  });
  after(async () => {
    await s.stop();
    await receiver.close();
    dir.remove();
  });

  test('EdgeX default schedule: interval midnight and interval action scrub-aged-events, seeded once', async () => {
    const interval = await getJson(s.url('/interval/name/midnight'));
    assert.equal(interval.status, 200);
    assert.deepEqual(
      { ...(interval.body.interval as object), id: undefined, created: undefined, modified: undefined },
      {
        id: undefined,
        created: undefined,
        modified: undefined,
        name: 'midnight',
        start: '20180101T000000',
        interval: '24h',
      },
    );
    const action = (await getJson(s.url('/intervalaction/name/scrub-aged-events'))).body.action as Record<string, unknown>;
    assert.equal(action.intervalName, 'midnight');
    assert.deepEqual(action.address, { type: 'REST', host: 'localhost', port: 59880, path: '/api/v3/event/age/604800000000000', httpMethod: 'DELETE' });
    assert.equal(action.adminState, 'UNLOCKED');

    // An interval still used by an action cannot go; once both are deleted a restart does not bring them back.
    assert.equal((await fetch(s.url('/interval/name/midnight'), { method: 'DELETE' })).status, 409);
    assert.equal((await fetch(s.url('/intervalaction/name/scrub-aged-events'), { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(s.url('/interval/name/midnight'), { method: 'DELETE' })).status, 200);
    await s.stop();
    s = await startScheduler({ Database: { Path: join(dir.path, 'scheduler.db') } });
    assert.equal((await getJson(s.url('/interval/name/midnight'))).status, 404);
    assert.equal((await getJson(s.url('/intervalaction/all'))).body.totalCount, 0);
  });

  test('jobs: batch add (207 per item), get, list by label, patch, delete', async () => {
    const res = await fetch(s.url('/job'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { apiVersion: 'v3', requestId: '7b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c', ...restJob('crud-a', `${receiver.base}/a`, { labels: ['x'] }) },
        { apiVersion: 'v3', ...restJob('crud-a', `${receiver.base}/a`) },
        { apiVersion: 'v3', ...restJob('crud-b', `${receiver.base}/b`, { definition: { type: 'CRON', crontab: '0 0 1 1 *' } }) },
      ]),
    });
    assert.equal(res.status, 207);
    const items = (await res.json()) as Answer[];
    assert.equal(items[0].statusCode, 201);
    assert.equal(items[0].requestId, '7b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c');
    assert.match(String(items[0].id), /^[0-9a-f-]{36}$/);
    assert.equal(items[1].statusCode, 409);
    assert.equal(items[2].statusCode, 201);

    const job = (await getJson(s.url('/job/name/crud-a'))).body.scheduleJob as Record<string, any>;
    assert.equal(job.adminState, 'UNLOCKED');
    assert.deepEqual(job.properties, {});
    assert.equal(job.actions[0].payload, Buffer.from('hello').toString('base64'));
    assert.deepEqual((await getJson(s.url('/job/all?labels=x'))).body.totalCount, 1);

    assert.equal((await batchOne('PATCH', s.url('/job'), { scheduleJob: { name: 'crud-a', adminState: 'LOCKED', labels: ['y'] } })).statusCode, 200);
    const patched = (await getJson(s.url('/job/name/crud-a'))).body.scheduleJob as Record<string, any>;
    assert.equal(patched.adminState, 'LOCKED');
    assert.deepEqual(patched.labels, ['y']);
    assert.equal(patched.definition.interval, '1h', 'fields not sent are kept');
    assert.equal((await batchOne('PATCH', s.url('/job'), { scheduleJob: { name: 'nope', adminState: 'LOCKED' } })).statusCode, 404);
    assert.equal((await fetch(s.url('/job/trigger/name/crud-a'), { method: 'POST' })).status, 423, 'a LOCKED job is not triggered');

    assert.equal((await fetch(s.url('/job/name/crud-b'), { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(s.url('/job/name/crud-b'), { method: 'DELETE' })).status, 404);
    assert.equal((await getJson(s.url('/job/name/crud-b'))).status, 404);
  });

  test('bad input: 400 naming the field', async () => {
    // A request EdgeX's DTO validation refuses is one 400; a rule only the service checks (cron syntax, the tick)
    // is a 400 item of the 207.
    const bad = async (item: Record<string, unknown>, field: RegExp) => {
      const res = await fetch(s.url('/job'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([{ apiVersion: 'v3', ...item }]),
      });
      const body = (await res.json()) as Answer | Answer[];
      const answer = Array.isArray(body) ? body[0] : body;
      assert.equal(answer.statusCode, 400, JSON.stringify(answer));
      assert.match(answer.message ?? '', field);
    };
    const job = (definition: object, action: object = { type: 'REST', address: `${receiver.base}/x`, method: 'GET' }) => ({
      scheduleJob: { name: 'bad', definition, actions: [action] },
    });
    await bad(job({ type: 'CRON', crontab: '61 * * * * *' }), /scheduleJob\.definition\.crontab: invalid cron expression/);
    await bad(job({ type: 'CRON', crontab: 'CRON_TZ=Nowhere/Atlantis 0 0 * * *' }), /scheduleJob\.definition\.crontab: invalid cron expression/);
    await bad(job({ type: 'INTERVAL', interval: 'every day' }), /scheduleJob\.definition\.interval: invalid duration/);
    await bad(job({ type: 'INTERVAL', interval: '100ms' }), /scheduleJob\.definition\.interval: 100ms is shorter than the scheduler's tick of 500ms/);
    await bad(
      job({ type: 'INTERVAL', interval: '1s' }, { type: 'CARRIER_PIGEON' }),
      /actions\[0\]\.type: expected one of EDGEXMESSAGEBUS, REST, DEVICECONTROL/,
    );
    await bad(
      job({ type: 'INTERVAL', interval: '1s' }, { type: 'REST', address: 'localhost:59880/api', method: 'GET' }),
      /actions\[0\]\.address: must be an http or https URL/,
    );
    await bad(job({ type: 'INTERVAL', interval: '1s' }, { type: 'DEVICECONTROL', sourceName: 'x' }), /actions\[0\]\.deviceName: is required/);
    await bad(job({ type: 'INTERVAL', interval: '1s' }, { type: 'DEVICECONTROL', deviceName: 'x' }), /actions\[0\]\.sourceName: is required/);

    const interval = await batchOne('POST', s.url('/interval'), { interval: { name: 'fast', interval: '100ms' } });
    assert.equal(interval.statusCode, 400);
    assert.match(interval.message ?? '', /interval\.interval: 100ms is shorter than the scheduler's tick/);
    const orphan = await batchOne('POST', s.url('/intervalaction'), {
      action: { name: 'orphan', intervalName: 'no-such', adminState: 'UNLOCKED', address: { type: 'REST', host: '127.0.0.1', port: 1, httpMethod: 'GET' } },
    });
    assert.equal(orphan.statusCode, 404);
    assert.match(orphan.message ?? '', /interval no-such does not exist/);

    const notArray = await fetch(s.url('/job'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"apiVersion":"v3"}' });
    assert.equal(notArray.status, 400);
    assert.equal((await getJson(s.url('/scheduleactionrecord/status/LOST'))).status, 400);
    assert.equal((await getJson(s.url('/scheduleactionrecord/all?start=10&end=5'))).status, 400);
    assert.equal((await getJson(s.url('/job/all?limit=100000'))).status, 400);
  });

  test('trigger: 202, the REST action reaches the receiver, its record says SUCCEEDED; a 500 or a hang is FAILED, never a stuck service', async () => {
    assert.equal((await batchOne('POST', s.url('/job'), restJob('poke', `${receiver.base}/poke`))).statusCode, 201);
    const triggered = await fetch(s.url('/job/trigger/name/poke'), { method: 'POST' });
    assert.equal(triggered.status, 202);
    const req = await waitFor('the receiver to get the POST', () => receiver.requests.find((r) => r.path === '/poke'));
    assert.equal(req.method, 'POST');
    assert.equal(req.body, 'hello');
    assert.equal(req.contentType, 'text/plain');
    const records = await waitFor('a record of the run', async () => {
      const { body } = await getJson(s.url('/scheduleactionrecord/job/name/poke'));
      return (body.totalCount ?? 0) > 0 && (body.scheduleActionRecords as Record<string, any>[]);
    });
    assert.equal(records[0].status, 'SUCCEEDED');
    assert.equal(records[0].jobName, 'poke');
    assert.equal(records[0].action.address, `${receiver.base}/poke`);

    receiver.answer(500);
    await fetch(s.url('/job/trigger/name/poke'), { method: 'POST' });
    await waitFor('a FAILED record', async () => (await getJson(s.url('/scheduleactionrecord/job/name/poke/status/FAILED'))).body.totalCount === 1);

    receiver.answer('hang');
    assert.equal((await fetch(s.url('/job/trigger/name/poke'), { method: 'POST' })).status, 202);
    // While the target hangs the service answers, and the same job is not started twice.
    assert.equal((await fetch(s.url('/job/trigger/name/poke'), { method: 'POST' })).status, 409);
    assert.equal((await getJson(s.url('/job/name/poke'))).status, 200);
    await waitFor(
      'the hung call to fail at Service.RequestTimeout',
      async () => (await getJson(s.url('/scheduleactionrecord/status/FAILED'))).body.totalCount === 2,
      {
        timeoutMs: 15_000,
      },
    );
    receiver.answer(200);

    const latest = (await getJson(s.url('/scheduleactionrecord/latest/job/name/poke'))).body;
    assert.equal(latest.totalCount, 1);
    assert.equal((latest.scheduleActionRecords as Record<string, any>[])[0].status, 'FAILED');
    assert.equal((await fetch(s.url('/job/trigger/name/nope'), { method: 'POST' })).status, 404);
  });

  test('a target slower than the schedule: runs are not stacked, the due times in between are MISSED', async () => {
    receiver.answer('hang');
    try {
      assert.equal(
        (
          await batchOne('POST', s.url('/job'), {
            scheduleJob: {
              name: 'slow',
              definition: { type: 'INTERVAL', interval: '500ms' },
              actions: [{ type: 'REST', address: `${receiver.base}/slow`, method: 'GET' }],
            },
          })
        ).statusCode,
        201,
      );
      const records = await waitFor(
        'a FAILED run (Service.RequestTimeout) and MISSED runs while it hung',
        async () => {
          const { body } = await getJson(s.url('/scheduleactionrecord/job/name/slow?limit=-1'));
          const recs = body.scheduleActionRecords as { status: string }[] | null;
          return recs?.some((r) => r.status === 'FAILED') && recs.some((r) => r.status === 'MISSED') && recs;
        },
        { timeoutMs: 15_000 },
      );
      assert.equal((await fetch(s.url('/job/name/slow'), { method: 'DELETE' })).status, 200);
      // One request per run that started: the MISSED ones never reached the target.
      const started = records.filter((r) => r.status !== 'MISSED').length;
      assert.ok(receiver.requests.filter((r) => r.path === '/slow').length <= started + 1);
    } finally {
      receiver.answer(200);
    }
  });

  test('metrics count runs by status', async () => {
    const text = await (await fetch(`http://127.0.0.1:${s.handle.restPort}/metrics`)).text();
    assert.match(text, /support_scheduler_action_runs_total\{status="SUCCEEDED"[^}]*\} [1-9]/);
    assert.match(text, /support_scheduler_action_runs_total\{status="FAILED"[^}]*\} [1-9]/);
  });
});
