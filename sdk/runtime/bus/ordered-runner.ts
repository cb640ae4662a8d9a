/**
 * Runs one subscription's message handlers: started in arrival order, at most `concurrency` at a time.
 * `pending` counts messages not yet settled (running + waiting to start), which is what the bus bounds
 * when it decides whether to keep reading from the broker.
 */
export class OrderedRunner {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    private readonly onSettled: () => void,
  ) {}

  get pending(): number {
    return this.running + this.waiting.length;
  }

  /** Resolves when `job` has settled (it must not reject: callers catch inside). */
  run(job: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const start = () => {
        this.running++;
        void job().finally(() => {
          this.running--;
          resolve();
          this.waiting.shift()?.();
          this.onSettled();
        });
      };
      if (this.running < this.concurrency && this.waiting.length === 0) start();
      else this.waiting.push(start);
    });
  }
}
