import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../test/helpers/wait.js';
import { IntervalRunner } from './scheduler.js';

test('first run happens immediately, then on the interval', async () => {
  const times: number[] = [];
  const start = Date.now();
  const r = new IntervalRunner({ intervalMs: 40, run: async () => void times.push(Date.now() - start) });
  r.start();
  assert.equal(times.length, 1, 'the first run begins inside start()');
  await waitFor('4 runs', () => times.length >= 4);
  await r.stop();
  // deadline grid: the 4th run is not before 3 intervals
  assert.ok(times[3] >= 3 * 40 - 2, `4th run at ${times[3]} ms`);
});

test('a slow run skips ticks instead of overlapping or queueing', async () => {
  let active = 0;
  let maxActive = 0;
  let skippedReported = 0;
  let release: () => void = () => {};
  const r = new IntervalRunner({
    intervalMs: 10,
    run: async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      if (r.runs === 0) await new Promise<void>((res) => (release = res));
      active--;
    },
    onSkip: (n) => (skippedReported += n),
  });
  r.start();
  await waitFor('first run blocked', () => active === 1);
  // let several deadlines pass while the first run is blocked
  const blockedAt = Date.now();
  await waitFor('time passes', () => Date.now() - blockedAt >= 55);
  release();
  await waitFor('3 runs', () => r.runs >= 3);
  await r.stop();
  assert.equal(maxActive, 1);
  assert.ok(r.skipped >= 4, `skipped ${r.skipped}`);
  assert.equal(skippedReported, r.skipped);
});

test('errors are reported and the schedule continues; stop() halts it', async () => {
  const errors: unknown[] = [];
  const r = new IntervalRunner({
    intervalMs: 5,
    run: async () => {
      throw new Error('boom');
    },
    onError: (e) => errors.push(e),
  });
  r.start();
  await waitFor('3 errors', () => errors.length >= 3);
  await r.stop();
  const n = r.runs;
  const t = Date.now();
  await waitFor('some time', () => Date.now() - t > 30);
  assert.equal(r.runs, n);
  assert.equal(r.isRunning, false);
  assert.throws(() => new IntervalRunner({ intervalMs: 0, run: async () => {} }), RangeError);
});
