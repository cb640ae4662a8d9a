import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, retry } from './retry.js';

describe('backoffDelay', () => {
  const backoff = { initialDelayMs: 100, maxDelayMs: 1000 };

  test('grows by the factor up to the maximum, without jitter at random 0', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(backoff, n, () => 0)),
      [100, 200, 400, 800, 1000, 1000],
    );
    assert.deepEqual(
      [1, 2, 3].map((n) => backoffDelay({ ...backoff, factor: 3 }, n, () => 0)),
      [100, 300, 900],
    );
  });

  test('jitter takes up to its share off each pause', () => {
    assert.equal(
      backoffDelay(backoff, 3, () => 0.999999),
      200,
    ); // default jitter 0.5: [200, 400]
    assert.equal(
      backoffDelay({ ...backoff, jitter: 1 }, 3, () => 0.5),
      200,
    );
    assert.equal(
      backoffDelay({ ...backoff, jitter: 0 }, 3, () => 0.9),
      400,
    );
  });
});

describe('retry', () => {
  const fast = { initialDelayMs: 1, maxDelayMs: 2 };

  test('retries until the operation succeeds, telling each failure', async () => {
    const seen: number[] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`failure ${attempt}`);
        return attempt;
      },
      { ...fast, onRetry: ({ attempt, err }) => seen.push(attempt) && assert.match(String(err), /failure/) },
    );
    assert.equal(result, 3);
    assert.deepEqual(seen, [1, 2]);
  });

  test('throws the last failure unchanged after maxAttempts', async () => {
    let calls = 0;
    const last = new Error('still down');
    await assert.rejects(
      retry(
        async () => {
          calls++;
          throw calls === 4 ? last : new Error('down');
        },
        { ...fast, maxAttempts: 4 },
      ),
      (err) => err === last,
    );
    assert.equal(calls, 4);
  });

  test('does not retry what is not retryable', async () => {
    let calls = 0;
    await assert.rejects(
      retry(
        async () => {
          calls++;
          throw new TypeError('bad input');
        },
        { ...fast, retryable: (err) => !(err instanceof TypeError) },
      ),
      TypeError,
    );
    assert.equal(calls, 1);
  });

  test('gives up when the next attempt would start after the budget', async () => {
    let calls = 0;
    await assert.rejects(
      retry(
        async () => {
          calls++;
          throw new Error('down');
        },
        { initialDelayMs: 1000, maxDelayMs: 1000, jitter: 0, budgetMs: 500 },
      ),
      /down/,
    );
    assert.equal(calls, 1);
  });

  test('an abort ends a pause and throws the last failure', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retry(
      async () => {
        calls++;
        throw new Error(`down ${calls}`);
      },
      { initialDelayMs: 60_000, maxDelayMs: 60_000, signal: controller.signal, onRetry: () => controller.abort() },
    );
    await assert.rejects(pending, /down 1/);
    assert.equal(calls, 1);
  });
});
