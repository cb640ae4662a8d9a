import type { Logger } from 'pino';
import { EdgeXError } from '@edgex-ts/contracts';
import { retry, type Backoff } from '@edgex-ts/runtime';
import { isTransientMongoError, toEdgeXError } from './errors.js';

export interface RetryPolicy extends Backoff {
  /** Total time an operation may spend, its retries included, before it fails with ServiceUnavailable. */
  budgetMs: number;
}

/** Pauses start at 50 ms and double up to 1 s, each shortened by up to half at random (see backoffDelay). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 5000, initialDelayMs: 50, maxDelayMs: 1000 };

/** One attempt of an operation; `attempt` counts from 1 (an idempotency-aware caller can tell retries apart). */
export type Attempt<T> = (attempt: number) => Promise<T>;

/** Worth another attempt: a transient failure (see isTransientMongoError), never an EdgeXError `op` threw itself. */
const retryable = (err: unknown): boolean => !(err instanceof EdgeXError) && isTransientMongoError(err);

/**
 * Runs `op`, retrying transient failures (see isTransientMongoError) with the runtime's `retry` (exponential
 * backoff with jitter) until the policy's budget is spent. Every failure leaves as an EdgeXError: ServiceUnavailable
 * when the server stayed unreachable, Database for other errors; EdgeXErrors thrown by `op` itself (e.g.
 * DuplicateName) pass through unchanged.
 */
export async function withRetry<T>(what: string, where: string, op: Attempt<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY, log?: Logger): Promise<T> {
  const started = Date.now();
  let attempts = 0;
  try {
    return await retry(
      (attempt) => {
        attempts = attempt;
        return op(attempt);
      },
      {
        ...policy,
        retryable,
        onRetry: ({ err, attempt, delayMs }) => log?.debug({ err, attempt, delayMs, what }, 'mongodb: transient failure, retrying'),
      },
    );
  } catch (err) {
    if (err instanceof EdgeXError) throw err;
    const tries = attempts > 1 ? ` (gave up after ${attempts} attempts in ${Date.now() - started} ms)` : '';
    throw toEdgeXError(err, `${what}${tries}`, where);
  }
}
