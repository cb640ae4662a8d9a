import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { pino } from 'pino';
import { startPeriodicTask } from './periodic.js';

// The task's timer does not hold the process open (a service's servers do): hold it for each test.
beforeEach(() => {
  const hold = setInterval(() => undefined, 60_000);
  afterEachHold = () => clearInterval(hold);
});
let afterEachHold = (): void => undefined;
afterEach(() => afterEachHold());

/** A logger whose error lines are collected. */
function recordingLog(): { log: pino.Logger; errors: string[] } {
  const errors: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => errors.push((JSON.parse(line) as { msg: string }).msg) });
  return { log, errors };
}

test('passes run one after the other, a failed pass is logged and the next still runs', async () => {
  const { log, errors } = recordingLog();
  let running = 0;
  let overlapped = false;
  let passes = 0;
  let thirdPass!: () => void;
  const third = new Promise<void>((resolve) => (thirdPass = resolve));
  const task = startPeriodicTask({
    intervalMs: 1,
    firstDelayMs: 0,
    log,
    failure: 'housekeeping failed',
    pass: async () => {
      running++;
      overlapped ||= running > 1;
      passes++;
      await new Promise<void>((resolve) => setImmediate(resolve));
      running--;
      if (passes === 1) throw new Error('database away');
      if (passes === 3) thirdPass();
    },
  });
  await third;
  await task.stop();
  assert.equal(overlapped, false, 'a pass never starts while the previous one runs');
  assert.deepEqual(errors, ['housekeeping failed'], 'the failure is logged once, with the given line');
});

test('stop() waits for the running pass, which sees stopped() turn true, and no pass follows', async () => {
  const { log } = recordingLog();
  let passes = 0;
  let seenStopped = false;
  let started!: () => void;
  const passStarted = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const task = startPeriodicTask({
    intervalMs: 1,
    firstDelayMs: 0,
    log,
    failure: 'failed',
    pass: async (stopped) => {
      passes++;
      started();
      await released;
      seenStopped = stopped();
    },
  });
  await passStarted;
  let stopReturned = false;
  const stopping = task.stop().then(() => (stopReturned = true));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(stopReturned, false, 'stop() waits while a pass runs');
  release();
  await stopping;
  assert.equal(seenStopped, true, 'the pass saw stopped() true after stop() was called');
  assert.equal(passes, 1, 'no pass starts after stop()');
});
