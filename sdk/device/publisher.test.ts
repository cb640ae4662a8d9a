import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { waitFor } from '../../test/helpers/wait.js';
import { EdgeXError, errorMessage, hasErrorKind } from '@edgex-ts/contracts';
import { keptByBus } from './event-delivery.js';
import { EventPublisher } from './publisher.js';

const log = pino({ level: 'silent' });

/** A publish target that can be switched between accepting, failing and holding (like a broker outage). */
function target() {
  const got: string[] = [];
  let mode: 'ok' | 'fail' | 'hold' = 'ok';
  let release: (() => void)[] = [];
  const currentMode = () => mode;
  return {
    got,
    set(m: 'ok' | 'fail' | 'hold') {
      mode = m;
      if (m !== 'hold') {
        for (const r of release) r();
        release = [];
      }
    },
    async publish(_topic: string, item: string) {
      if (mode === 'hold') await new Promise<void>((r) => release.push(r));
      // (read after the hold: the mode may have changed meanwhile)
      if (currentMode() === 'fail') throw new Error('broker down');
      got.push(item);
    },
  };
}

test('publishes in order per device and retries failures without losing items', async () => {
  const t = target();
  const p = new EventPublisher<string>({ publish: (tp, i) => t.publish(tp, i), maxPendingPerDevice: 100, log, retryMinMs: 5, retryMaxMs: 20 });
  t.set('fail');
  for (let i = 0; i < 5; i++) p.enqueue('a', 'topic', `a${i}`);
  await waitFor('some failures', () => p.failures >= 3);
  t.set('ok');
  await waitFor('all published', () => t.got.length === 5);
  assert.deepEqual(t.got, ['a0', 'a1', 'a2', 'a3', 'a4']);
  assert.equal(p.dropped, 0);
  assert.equal(p.pending, 0);
  await p.close();
});

test('bounds pending items per device by dropping the oldest', async () => {
  const t = target();
  const p = new EventPublisher<string>({ publish: (tp, i) => t.publish(tp, i), maxPendingPerDevice: 3, log });
  t.set('hold');
  for (let i = 0; i < 10; i++) p.enqueue('a', 'topic', `a${i}`);
  p.enqueue('b', 'topic', 'b0');
  // a0 is in flight; of a1..a9 only the newest 3 are kept
  assert.equal(p.dropped, 6);
  assert.equal(p.pending, 1 + 3 + 1);
  t.set('ok');
  await waitFor('drained', () => p.pending === 0);
  assert.deepEqual(
    t.got.filter((x) => x.startsWith('a')),
    ['a0', 'a7', 'a8', 'a9'],
  );
  assert.ok(t.got.includes('b0'), 'other devices are not affected');
  await p.close();
});

test('a publish the bus keeps for later delivery (its error says so by kind, however wrapped) is not published twice', async () => {
  let calls = 0;
  const p = new EventPublisher<string>({
    publish: async (_topic, item) => {
      calls++;
      const timeout = new EdgeXError('ServiceUnavailable', 'broker unreachable; the message stays queued');
      throw item === 'x' ? timeout : new Error(`publish of ${item} timed out`, { cause: timeout });
    },
    keptByBus,
    maxPendingPerDevice: 10,
    log,
  });
  p.enqueue('a', 't', 'x');
  p.enqueue('a', 't', 'y');
  await waitFor('both handed over', () => p.handedOver === 2);
  assert.equal(calls, 2);
  await p.close();
  assert.throws(
    () => p.enqueue('a', 't', 'z'),
    (e: unknown) => hasErrorKind(e, 'ServiceUnavailable') && /closed/.test(errorMessage(e)),
  );
});

test('a publish that fails otherwise (e.g. a Communication error with the same words) is retried, not dropped', async () => {
  let calls = 0;
  const got: string[] = [];
  const p = new EventPublisher<string>({
    publish: async (_topic, item) => {
      if (++calls <= 2) throw new EdgeXError('Communication', 'message bus: publish failed; not acknowledged within 1s, the message stays queued');
      got.push(item);
    },
    keptByBus,
    maxPendingPerDevice: 10,
    log,
    retryMinMs: 1,
    retryMaxMs: 5,
  });
  p.enqueue('a', 't', 'x');
  await waitFor('published', () => got.length === 1);
  assert.equal(calls, 3);
  assert.equal(p.handedOver, 0);
  assert.equal(p.failures, 2);
  await p.close();
});

test('close() waits for pending items, up to a deadline', async () => {
  const t = target();
  const p = new EventPublisher<string>({ publish: (tp, i) => t.publish(tp, i), maxPendingPerDevice: 10, log, retryMinMs: 5 });
  t.set('fail');
  p.enqueue('a', 't', 'x');
  const started = Date.now();
  await p.close(50);
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual(t.got, []);
});
