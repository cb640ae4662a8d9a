// Schedules running on time through a restart of support-scheduler, on SQLite and on MongoDB (a real FerretDB):
// a job every 2 seconds and a cron job with seconds call a real HTTP receiver; the scheduler is stopped across due
// times and started again on the same database; the records show both missed-run policies (skip and run once).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@edgex-ts/runtime';
import { waitFor } from '../../../../test/helpers/wait.js';
import { databaseBackends } from '../../../../test/helpers/database-backends.js';
import { batchOne, startScheduler, type SchedulerUnderTest } from '../test-support/harness.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';

interface Rec {
  jobName: string;
  status: string;
  scheduledAt: number;
  created: number;
}

async function recordsOf(s: SchedulerUnderTest, job: string): Promise<Rec[]> {
  const res = await fetch(s.url(`/scheduleactionrecord/job/name/${job}?limit=-1`));
  const body = (await res.json()) as { scheduleActionRecords: Rec[] | null };
  return (body.scheduleActionRecords ?? []).sort((a, b) => a.scheduledAt - b.scheduledAt);
}

const succeeded = (recs: Rec[]) => recs.filter((r) => r.status === 'SUCCEEDED');

function assertOnGrid(times: number[], anchor: number, period: number, what: string): void {
  for (const t of times) assert.equal((t - anchor) % period, 0, `${what}: ${new Date(t).toISOString()} is on the ${period} ms grid from ${anchor}`);
}

function assertConsecutive(times: number[], period: number, what: string): void {
  for (let i = 1; i < times.length; i++) assert.equal(times[i] - times[i - 1], period, `${what}: consecutive runs are one period apart`);
}

for (const backend of databaseBackends('support_scheduler_runs')) {
  describe(`schedules through a restart (${backend.name})`, () => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    test('a 2 s job (missed runs skipped) and a cron job with seconds (missed runs run once) keep their grids', async () => {
      const database = backend.fresh();
      let s = await startScheduler({ Database: database });
      const anchor = Math.ceil(Date.now() / 1000) * 1000 + 1000;
      const action = (path: string) => [{ type: 'REST', address: `${receiver.base}${path}`, method: 'GET' }];
      const jobs = {
        every2s: { name: 'every-2s', definition: { type: 'INTERVAL', interval: '2s', startTimestamp: anchor }, actions: action('/every-2s') },
        cron: { name: 'cron-3s', definition: { type: 'CRON', crontab: '*/3 * * * * *' }, autoTriggerMissedRecords: true, actions: action('/cron-3s') },
      };
      assert.equal((await batchOne('POST', s.url('/job'), { scheduleJob: jobs.every2s })).statusCode, 201);
      assert.equal((await batchOne('POST', s.url('/job'), { scheduleJob: jobs.cron })).statusCode, 201);

      await waitFor(
        'two runs of each job',
        async () => succeeded(await recordsOf(s, 'every-2s')).length >= 2 && succeeded(await recordsOf(s, 'cron-3s')).length >= 2,
        {
          timeoutMs: 20_000,
        },
      );
      const before2s = succeeded(await recordsOf(s, 'every-2s')).map((r) => r.scheduledAt);
      const beforeCron = succeeded(await recordsOf(s, 'cron-3s')).map((r) => r.scheduledAt);
      assertOnGrid(before2s, anchor, 2000, 'every-2s');
      assertConsecutive(before2s, 2000, 'every-2s');
      assertOnGrid(beforeCron, 0, 3000, 'cron-3s');
      assertConsecutive(beforeCron, 3000, 'cron-3s');

      // Down across at least one due time of each job (the clock must pass them: nothing else to wait on).
      await s.stop();
      const stoppedAt = Date.now();
      await waitFor('due times of both jobs to pass while the scheduler is down', () => Date.now() > stoppedAt + 3500, { timeoutMs: 10_000 });

      const restartedAt = Date.now();
      const lines: { msg: string; schedule?: string; missed?: number }[] = [];
      const log = createLogger('support-scheduler', 'WARN', { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
      s = await startScheduler({ Database: database }, log);
      const upAgainAt = Date.now();
      try {
        // every-2s skips: the runs it missed are MISSED records on its grid, and it goes on on the grid.
        const after2s = await waitFor('every-2s to run again after the restart', async () => {
          const recs = await recordsOf(s, 'every-2s');
          return succeeded(recs).some((r) => r.scheduledAt > restartedAt) && recs;
        });
        const lastBefore2s = Math.max(
          ...succeeded(after2s)
            .filter((r) => r.created <= stoppedAt)
            .map((r) => r.scheduledAt),
        );
        const missed2s = after2s.filter((r) => r.status === 'MISSED').map((r) => r.scheduledAt);
        assert.ok(missed2s.length >= 1, 'the runs due while down are recorded as MISSED');
        assertOnGrid(missed2s, anchor, 2000, 'every-2s missed');
        assert.ok(
          missed2s.every((t) => t > lastBefore2s && t <= upAgainAt),
          'MISSED runs fall in the time the service was down',
        );
        assertConsecutive(
          after2s.filter((r) => r.status !== 'FAILED').map((r) => r.scheduledAt),
          2000,
          'every-2s across the restart (run, missed, run)',
        );

        // The service said which runs it missed and what it did about them.
        const said = (key: string) => lines.find((l) => l.schedule === key && /missed while the service was down/.test(l.msg));
        assert.match(said('job/every-2s')?.msg ?? '', /run\(s\) missed while the service was down; skipping them/);
        assert.equal(said('job/every-2s')?.missed, missed2s.length);
        assert.match(said('job/cron-3s')?.msg ?? '', /missed while the service was down; running it once now/);

        // cron-3s runs once for what it missed (off its grid, at the restart), then keeps its grid.
        const afterCron = await waitFor('cron-3s to run on its grid after the restart', async () => {
          const recs = await recordsOf(s, 'cron-3s');
          return succeeded(recs).some((r) => r.scheduledAt > restartedAt && r.scheduledAt % 3000 === 0) && recs;
        });
        const missedCron = afterCron.filter((r) => r.status === 'MISSED').map((r) => r.scheduledAt);
        assert.ok(missedCron.length >= 1);
        assertOnGrid(missedCron, 0, 3000, 'cron-3s missed');
        const catchUp = succeeded(afterCron).filter((r) => r.scheduledAt % 3000 !== 0);
        assert.equal(catchUp.length, 1, 'one immediate run for the missed ones');
        assert.ok(catchUp[0].scheduledAt >= restartedAt);
        const onGridAfter = succeeded(afterCron)
          .filter((r) => r.scheduledAt > restartedAt && r.scheduledAt % 3000 === 0)
          .map((r) => r.scheduledAt);
        assertConsecutive(onGridAfter, 3000, 'cron-3s after the restart');
        assert.equal(succeeded(after2s).filter((r) => r.scheduledAt % 2000 !== anchor % 2000).length, 0, 'every-2s ran nothing off its grid');

        // Every SUCCEEDED record is a request the receiver got.
        const got = (path: string) => receiver.requests.filter((r) => r.path === path).length;
        assert.ok(got('/every-2s') >= succeeded(after2s).length);
        assert.ok(got('/cron-3s') >= succeeded(afterCron).length);
      } finally {
        await s.stop();
      }
    });
  });
}
