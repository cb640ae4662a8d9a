import type { Logger } from 'pino';
import { EdgeXError } from '@edgex-ts/contracts';
import { isTransientMongoError, toEdgeXError } from './errors.js';

export interface RetryPolicy {
  /** Total time an operation may spend, its retries included, before it fails with ServiceUnavailable. */
  budgetMs: number;
  /** First pause between attempts; doubled after each, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 5000, initialDelayMs: 50, maxDelayMs: 1000 };

/** One attempt of an operation; `attempt` counts from 1 (an idempotency-aware caller can tell retries apart). */
export type Attempt<T> = (attempt: number) => Promise<T>;

/**
 * Runs `op`, retrying transient failures (see isTransientMongoError) with exponential backoff until the policy's
 * budget is spent. Every failure leaves as an EdgeXError: ServiceUnavailable when the server stayed unreachable,
 * Database for other errors; EdgeXErrors thrown by `op` itself (e.g. DuplicateName) pass through unchanged.
 */
export async function withRetry<T>(
  what: string,
  where: string,
  op: Attempt<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  log?: Logger,
): Promise<T> {
  const started = Date.now();
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      if (err instanceof EdgeXError) throw err;
      const elapsed = Date.now() - started;
      if (!isTransientMongoError(err) || elapsed + delay > policy.budgetMs) {
        const tries = attempt > 1 ? ` (gave up after ${attempt} attempts in ${elapsed} ms)` : '';
        throw toEdgeXError(err, `${what}${tries}`, where);
      }
      log?.debug({ err, attempt, what }, 'mongodb: transient failure, retrying');
      await pause(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
