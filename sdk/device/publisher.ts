/**
 * Hands events to the message bus at least once, in order per device: one in-flight publish per device,
 * waiting for the broker's PUBACK; a failed publish is retried with backoff and jitter (so events survive a
 * broker outage). Pending events per device are bounded; when full, the oldest pending event is dropped and logged.
 */
import type { Logger } from 'pino';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';
import { retry } from '@edgex-ts/runtime';

export interface EventPublisherOptions<T> {
  /** Publishes one item; resolves once the broker has it (QoS 1 PUBACK), rejects to have it retried. */
  publish: (topic: string, item: T) => Promise<void>;
  /** Pending items per device (not counting the one in flight) before the oldest is dropped. */
  maxPendingPerDevice: number;
  log: Logger;
  /**
   * True when a failed publish has nevertheless been kept by the bus client for delivery once the broker is
   * back (e.g. a PUBACK timeout while disconnected): the item is then not published again, avoiding duplicates.
   */
  keptByBus?: (err: unknown) => boolean;
  /** First and longest retry delay (ms); doubles in between, with jitter. Defaults 250 / 10 000. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

interface Lane<T> {
  pending: { topic: string; item: T }[];
  active: Promise<void> | undefined;
  dropped: number;
}

export class EventPublisher<T> {
  private readonly lanes = new Map<string, Lane<T>>();
  private closed = false;
  /** Aborted by close(): ends the pauses between retries. */
  private readonly closing = new AbortController();
  /** Items published (PUBACK received). */
  published = 0;
  /** Items dropped because a device's pending queue was full. */
  dropped = 0;
  /** Items whose publish timed out but which the bus client keeps for delivery (see `keptByBus`). */
  handedOver = 0;
  /** Failed publish attempts. */
  failures = 0;

  constructor(private readonly opts: EventPublisherOptions<T>) {
    if (!(opts.maxPendingPerDevice >= 1)) throw new RangeError('maxPendingPerDevice must be >= 1');
  }

  /** Queues `item` for `key` (the device name) and returns at once. */
  enqueue(key: string, topic: string, item: T): void {
    if (this.closed) throw new EdgeXError('ServiceUnavailable', 'event publisher is closed');
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { pending: [], active: undefined, dropped: 0 };
      this.lanes.set(key, lane);
    }
    lane.pending.push({ topic, item });
    if (lane.pending.length > this.opts.maxPendingPerDevice) {
      lane.pending.shift();
      lane.dropped++;
      this.dropped++;
      // first drop of an outage, then every 100th, to keep the log readable
      if (lane.dropped === 1 || lane.dropped % 100 === 0) {
        this.opts.log.warn(
          { device: key, droppedTotal: lane.dropped, pending: lane.pending.length },
          `event queue of ${key} is full (${this.opts.maxPendingPerDevice} pending): dropped the oldest event`,
        );
      }
    }
    if (!lane.active) lane.active = this.pump(key, lane);
  }

  /** Events waiting (including in-flight ones) across all devices. */
  get pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.pending.length + (lane.active ? 1 : 0);
    return n;
  }

  private async pump(key: string, lane: Lane<T>): Promise<void> {
    while (lane.pending.length > 0 && !this.closed) {
      const head = lane.pending.shift()!;
      try {
        await this.publishWithRetry(key, head.topic, head.item);
      } catch (err) {
        if (!this.opts.keptByBus?.(err)) return; // closed while retrying
        this.handedOver++;
        this.opts.log.warn({ device: key, topic: head.topic, err: errorMessage(err) }, 'publish not acknowledged yet; left to the bus client to deliver');
        continue;
      }
      this.published++;
      if (lane.dropped > 0) {
        this.opts.log.info({ device: key, dropped: lane.dropped }, `publishing events of ${key} again after dropping ${lane.dropped}`);
        lane.dropped = 0;
      }
    }
    lane.active = undefined;
  }

  /** Publishes one item, retrying failures until it is published, kept by the bus, or the publisher closes. */
  private publishWithRetry(key: string, topic: string, item: T): Promise<void> {
    return retry(
      async () => {
        try {
          await this.opts.publish(topic, item);
        } catch (err) {
          this.failures++;
          throw err;
        }
      },
      {
        initialDelayMs: this.opts.retryMinMs ?? 250,
        maxDelayMs: this.opts.retryMaxMs ?? 10_000,
        signal: this.closing.signal,
        retryable: (err) => !this.opts.keptByBus?.(err),
        onRetry: ({ err, delayMs }) => this.opts.log.warn({ device: key, topic, err: errorMessage(err), retryInMs: delayMs }, 'publish failed, retrying'),
      },
    );
  }

  /**
   * Stops accepting events and waits up to `drainMs` for pending ones to be published; what is still
   * pending after that is abandoned (logged).
   */
  async close(drainMs = 5_000): Promise<void> {
    if (this.closed) return;
    const active = [...this.lanes.values()].map((l) => l.active).filter((p): p is Promise<void> => !!p);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), drainMs)));
    const result = await Promise.race([Promise.all(active).then(() => 'drained' as const), timeout]);
    clearTimeout(timer);
    this.closed = true;
    this.closing.abort();
    if (result === 'timeout') {
      const left = this.pending;
      if (left > 0) this.opts.log.warn({ pending: left }, `stopping with ${left} events not yet published`);
    }
  }
}
