import { setTimeout as sleep } from 'node:timers/promises';

/** Exponential backoff: the pause before attempt n+1 grows from initialDelayMs by `factor` up to maxDelayMs. */
export interface Backoff {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /**
   * Share of each pause drawn at random, 0..1 (default 0.5: a pause of d lies in [d/2, d]). Jitter keeps a fleet
   * of gateways that lost the same server from retrying in lockstep when it comes back.
   */
  jitter?: number;
}

/** The pause after the `attempt`-th failure (attempt counts from 1), with jitter from `random` (0 ≤ r < 1). */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const factor = backoff.factor ?? 2;
  const jitter = Math.min(Math.max(backoff.jitter ?? 0.5, 0), 1);
  const ceiling = Math.min(backoff.initialDelayMs * factor ** Math.max(attempt - 1, 0), backoff.maxDelayMs);
  return Math.round(ceiling * (1 - jitter * random()));
}

export interface RetryOptions extends Backoff {
  /** Attempts in all, the first included; default unlimited. */
  maxAttempts?: number;
  /** Time from the first attempt after which no further attempt starts; default unlimited. */
  budgetMs?: number;
  /** Whether a failure is worth another attempt; default: every failure. */
  retryable?: (err: unknown) => boolean;
  /** Stops the retries: the pending pause ends and the last failure is thrown. */
  signal?: AbortSignal;
  /** Called after each failure that will be retried, before the pause (log it here). */
  onRetry?: (failure: { err: unknown; attempt: number; delayMs: number }) => void;
  /** For tests: the source of jitter. */
  random?: () => number;
}

/**
 * Runs `op` until it succeeds, retrying failures with exponential backoff and jitter. Gives up, throwing the
 * last failure unchanged, when it is not retryable, after maxAttempts, when the next attempt would start after
 * budgetMs, or when `signal` aborts. `op` receives the attempt number (from 1).
 */
export async function retry<T>(op: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const started = Date.now();
  const maxAttempts = options.maxAttempts ?? Infinity;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      if (options.signal?.aborted || attempt >= maxAttempts || !(options.retryable?.(err) ?? true)) throw err;
      const delayMs = backoffDelay(options, attempt, options.random);
      if (options.budgetMs !== undefined && Date.now() - started + delayMs > options.budgetMs) throw err;
      options.onRetry?.({ err, attempt, delayMs });
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch {
        throw err; // aborted while pausing
      }
    }
  }
}
