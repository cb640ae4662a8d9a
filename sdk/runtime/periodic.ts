import type { Logger } from 'pino';

export interface PeriodicTask {
  /** Cancels the next pass and waits for a running one to end (a pass that checks `stopped` ends early). */
  stop(): Promise<void>;
}

export interface PeriodicTaskOptions {
  /** Pause between the end of one pass and the start of the next (as edgex-go restarts its timers). */
  intervalMs: number;
  /** Pause before the first pass; default intervalMs. */
  firstDelayMs?: number;
  log: Logger;
  /** The log line when a pass throws (the next pass still runs), e.g. 'Failed to purge events and readings'. */
  failure: string;
  /** One pass; `stopped()` turns true once stop() was called, for passes that work in batches. */
  pass: (stopped: () => boolean) => Promise<void>;
}

/**
 * Runs `pass` every `intervalMs` until stop(): retention and other housekeeping. Passes never overlap, a failed
 * one is logged and does not end the task, and the timer does not keep the process alive.
 */
export function startPeriodicTask(options: PeriodicTaskOptions): PeriodicTask {
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const isStopped = () => stopped;
  const runPass = async (): Promise<void> => {
    try {
      await options.pass(isStopped);
    } catch (err) {
      options.log.error({ err }, options.failure);
    }
  };
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runPass().finally(() => {
        running = undefined;
        schedule(options.intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(options.firstDelayMs ?? options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
