// withRetry's contract, without a server: which failures are retried, for how long, and what leaves. The driver's
// own error classes stand for what a lost server makes it throw (mongo.test.ts does it with a real FerretDB).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { EdgeXError, errorKind } from '@edgex-ts/contracts';
import { withRetry } from './retry.js';

const policy = { budgetMs: 300, initialDelayMs: 5, maxDelayMs: 20 };

describe('withRetry', () => {
  test('retries transient failures until the operation succeeds, telling it the attempt', async () => {
    const seen: number[] = [];
    const result = await withRetry(
      'add x',
      'mongodb://db/',
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new MongoNetworkError('connection 1 to db closed');
        return 'done';
      },
      policy,
    );
    assert.equal(result, 'done');
    assert.deepEqual(seen, [1, 2, 3]);
  });

  test('a failure that is not transient leaves at once as Database, naming the operation and the server', async () => {
    let attempts = 0;
    await assert.rejects(
      withRetry(
        'add x',
        'mongodb://db/',
        async () => {
          attempts++;
          throw new MongoServerError({ message: 'unknown operator $nonsense', code: 2 });
        },
        policy,
      ),
      (e: unknown) => {
        assert.equal(errorKind(e), 'Database');
        assert.match(String(e), /add x: database mongodb:\/\/db\/ failed: unknown operator \$nonsense/);
        return true;
      },
    );
    assert.equal(attempts, 1);
  });

  test('a server that stays away: ServiceUnavailable once the budget is spent, with the number of attempts', async () => {
    let attempts = 0;
    await assert.rejects(
      withRetry(
        'read x',
        'mongodb://db/',
        async () => {
          attempts++;
          throw new MongoNetworkError('connect ECONNREFUSED');
        },
        policy,
      ),
      (e: unknown) => {
        assert.equal(errorKind(e), 'ServiceUnavailable');
        assert.match(String(e), new RegExp(`read x \\(gave up after ${attempts} attempts in \\d+ ms\\): database mongodb://db/ is unavailable`));
        return true;
      },
    );
    assert.ok(attempts > 1);
  });

  test("the operation's own EdgeXError passes through unchanged and is not retried", async () => {
    const mine = new EdgeXError('DuplicateName', 'device d1 already exists');
    let attempts = 0;
    await assert.rejects(
      withRetry(
        'add d1',
        'mongodb://db/',
        async () => {
          attempts++;
          throw mine;
        },
        policy,
      ),
      (e: unknown) => e === mine,
    );
    assert.equal(attempts, 1);
  });
});
