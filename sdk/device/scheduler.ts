/**
 * A fixed-rate interval runner for one auto-event: the first run happens immediately, then one every
 * `intervalMs` on a deadline grid (start + k·interval, so runs do not drift). Runs never overlap: when a
 * run outlasts one or more deadlines, those ticks are skipped (counted, reported through `onSkip`) and
 * the next run waits for the next deadline in the future.
 */
export interface IntervalRunnerOptions {
  intervalMs: number;
  /** One tick; a rejection is passed to `onError` and the schedule carries on. */
  run: () => Promise<void>;
  onError?: (err: unknown) => void;
  /** Called with the number of ticks skipped because the previous run was still busy. */
  onSkip?: (skipped: number) => void;
}

export class IntervalRunner {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private running: Promise<void> | undefined;
  private next = 0;
  /** Completed runs (successful or not). */
  runs = 0;
  /** Ticks skipped because a run was still busy at their deadline. */
  skipped = 0;

  constructor(private readonly opts: IntervalRunnerOptions) {
    if (!(opts.intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${opts.intervalMs}`);
  }

  /** Starts the schedule; the first run begins right away. Calling start() on a running runner is a no-op. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.next = Date.now();
    this.fire();
  }

  /** Stops the schedule and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  get isRunning(): boolean {
    return !this.stopped;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.running = (async () => {
      try {
        await this.opts.run();
      } catch (err) {
        this.opts.onError?.(err);
      } finally {
        this.runs++;
      }
    })();
    void this.running.then(() => this.schedule());
  }

  private schedule(): void {
    this.running = undefined;
    if (this.stopped) return;
    const now = Date.now();
    this.next += this.opts.intervalMs;
    if (this.next < now) {
      const missed = Math.floor((now - this.next) / this.opts.intervalMs) + 1;
      this.skipped += missed;
      this.next += missed * this.opts.intervalMs;
      this.opts.onSkip?.(missed);
    }
    this.timer = setTimeout(() => this.fire(), this.next - now);
  }
}
