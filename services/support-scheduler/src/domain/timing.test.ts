import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgeXError } from '@edgex-ts/contracts';
import { dueTimesBetween, nextDue, parseCron, type Timing } from './timing.js';

const grid = (extra: Partial<Timing> = {}): Timing => ({ kind: 'interval', periodMs: 2000, anchorMs: 10_000, ...extra }) as Timing;

test('an interval is due on its grid from the anchor, within start and end', () => {
  assert.equal(nextDue(grid(), 0), 10_000, 'the anchor itself is the first run');
  assert.equal(nextDue(grid(), 10_000), 12_000);
  assert.equal(nextDue(grid(), 13_999), 14_000);
  assert.equal(nextDue(grid({ endMs: 13_000 }), 12_000), undefined, 'nothing after the end');
});

test('missed runs: counted on the grid, the latest kept', () => {
  assert.deepEqual(dueTimesBetween(grid(), 10_000, 17_000, 10), { times: [12_000, 14_000, 16_000], total: 3, last: 16_000 });
  assert.deepEqual(dueTimesBetween(grid(), 10_000, 1_000_000, 2), { times: [998_000, 1_000_000], total: 495, last: 1_000_000 });
  assert.deepEqual(dueTimesBetween(grid(), 10_000, 1_000_000, 0), { times: [], total: 495, last: 1_000_000 }, 'none kept, still counted');
  assert.deepEqual(dueTimesBetween(grid(), 10_000, 11_999, 10), { times: [], total: 0 });
});

test('cron with seconds, EdgeX time-zone prefix, and refusals naming the field', () => {
  const every3s: Timing = { kind: 'cron', cron: parseCron('*/3 * * * * *', 'crontab') };
  assert.equal(nextDue(every3s, Date.UTC(2026, 0, 1, 0, 0, 1)), Date.UTC(2026, 0, 1, 0, 0, 3));
  assert.deepEqual(dueTimesBetween(every3s, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 10), 1), {
    times: [Date.UTC(2026, 0, 1, 0, 0, 9)],
    total: 3,
    last: Date.UTC(2026, 0, 1, 0, 0, 9),
  });
  const taipei: Timing = { kind: 'cron', cron: parseCron('CRON_TZ=Asia/Taipei 0 0 0 * * *', 'crontab') };
  assert.equal(nextDue(taipei, Date.UTC(2026, 0, 1, 12)), Date.UTC(2026, 0, 1, 16), 'midnight in Taipei is 16:00 UTC');
  assert.equal(nextDue({ ...every3s, startMs: Date.UTC(2030, 0, 1) }, 0), Date.UTC(2030, 0, 1), 'not before start');
  for (const bad of ['61 * * * * *', 'every minute', '* * * * * * * *', 'CRON_TZ=Mars/Olympus 0 * * * *']) {
    assert.throws(
      () => parseCron(bad, 'scheduleJob.definition.crontab'),
      (err: unknown) =>
        err instanceof EdgeXError && err.kind === 'ContractInvalid' && err.message.startsWith('scheduleJob.definition.crontab: invalid cron expression'),
      bad,
    );
  }
});
