import { EdgeXError } from '@edgex-ts/contracts';
import type { AddOutcome, EventRecord, EventStore } from './types.js';

export interface WriteQueueOptions {
  /** Most events committed in one transaction (bounds how long one commit holds the event loop). */
  maxBatchEvents?: number;
  /**
   * How long (ms) a small batch waits for company before committing. Commits cost about the same for one
   * event as for hundreds (index pages rewritten to the WAL), so lingering a little multiplies throughput.
   */
  lingerMs?: number;
  /** Called after every commit with the batch size and its duration in seconds. */
  onCommit?: (events: number, readings: number, seconds: number) => void;
}

interface Pending {
  /** Dropped once handed to the store: only the store's copy waits for the commit. */
  event: EventRecord | undefined;
  readings: number;
  resolve: (o: AddOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: events added while a commit is running, or in the same turn of the event loop, are
 * written together in one transaction. Each caller's promise settles only after the transaction holding
 * its event has committed (or failed), never before. A store that merges concurrent batches itself (the
 * SQLite writer thread) gets each batch at once, so its next transaction is waiting for it rather than
 * for this thread to come round; any other store commits one batch at a time.
 */
export class WriteQueue {
  private pending: Pending[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly lingerMs: number;
  private lastBatch = 0;
  private closed = false;
  private waiters: { below: number; resolve: () => void }[] = [];
  private idleWaiters: (() => void)[] = [];
  /** Batches handed to the store and not yet settled, and the events in them. */
  private batchesInFlight = 0;
  private eventsInFlight = 0;
  private readonly maxBatch: number;

  constructor(
    private readonly store: EventStore,
    private readonly opts: WriteQueueOptions = {},
  ) {
    this.maxBatch = opts.maxBatchEvents ?? 250;
    this.lingerMs = opts.lingerMs ?? 2;
  }

  /** Events waiting for a commit (including those of the commits in progress). */
  get depth(): number {
    return this.pending.length + this.eventsInFlight;
  }

  add(event: EventRecord): Promise<AddOutcome> {
    if (this.closed) return Promise.reject(new EdgeXError('ServiceUnavailable', 'core-data write queue is closed'));
    return new Promise<AddOutcome>((resolve, reject) => {
      this.pending.push({ event, readings: event.readings.length, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once fewer than `n` events are waiting (immediately when that is already so). */
  whenBelow(n: number): Promise<void> {
    if (this.depth < n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ below: n, resolve }));
  }

  /** Stops accepting events and resolves once everything already added is committed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.pending.length > 0) this.schedule();
    if (this.pending.length === 0 && this.batchesInFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    const full = this.pending.length >= this.maxBatch || this.closed;
    const merging = this.store.mergesConcurrentAdds === true;
    // A store that merges batches takes each one at once; any other commits one batch at a time.
    if (!merging && this.batchesInFlight > 0) return;
    // Linger only when traffic is concurrent (the last batch grouped several events); a lone serial
    // producer (e.g. the bus, which handles one message at a time) commits at once.
    const now = full || merging || this.lastBatch <= 1;
    if (this.scheduled && !(now && this.timer)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = true;
    if (now || this.lingerMs <= 0) {
      // setImmediate runs after pending I/O callbacks, so everything that has arrived joins this batch.
      setImmediate(() => void this.flush());
    } else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.lingerMs);
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.pending.length === 0) {
      if (this.batchesInFlight === 0) this.settleIdle();
      return;
    }
    const batch = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch);
    this.pending = batch === this.pending ? [] : this.pending.slice(this.maxBatch);
    this.batchesInFlight++;
    this.eventsInFlight += batch.length;
    this.lastBatch = batch.length;
    if (this.pending.length > 0) this.schedule();
    const started = process.hrtime.bigint();
    try {
      const outcomes = await this.store.addEvents(handOver(batch));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let readings = 0;
      for (const p of batch) readings += p.readings;
      this.opts.onCommit?.(batch.length, readings, seconds);
      for (let i = 0; i < batch.length; i++) batch[i].resolve(outcomes[i]);
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.batchesInFlight--;
      this.eventsInFlight -= batch.length;
    }
    this.notifyWaiters();
    if (this.pending.length > 0) this.schedule();
    else if (this.batchesInFlight === 0) this.settleIdle();
  }

  private notifyWaiters(): void {
    if (this.waiters.length === 0) return;
    const depth = this.depth;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) depth < w.below ? w.resolve() : still.push(w);
    this.waiters = still;
  }

  private settleIdle(): void {
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of idle) r();
  }
}

/** The batch's events, taken out of it (no reference stays here while the commit runs). */
function handOver(batch: Pending[]): EventRecord[] {
  const events = batch.map((p) => p.event!);
  for (const p of batch) p.event = undefined;
  return events;
}
