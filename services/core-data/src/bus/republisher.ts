import { errorMessage, eventWire, type Event } from '@edgex-ts/contracts';
import { newEnvelope, topicLevel, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { Backlog, EventRepublisher } from '../domain/index.js';

/** An event encoded for the bus (its AddEventRequest JSON in an envelope) and the topic it goes to. */
export interface PreparedEvent {
  topic: string;
  envelope: MessageEnvelope;
}

/**
 * Publishes accepted REST/gRPC events as EdgeX does: an AddEventRequest in a MessageEnvelope on
 * `<prefix>/events/core/<service>/<profile>/<device>/<source>`. Publishes are not awaited by the caller;
 * as a Backlog (publishes awaiting their PUBACK) it lets ingest streams pause when the broker is slower
 * than ingest, so unacknowledged publishes cannot pile up in memory.
 */
export class BusRepublisher implements EventRepublisher<PreparedEvent | undefined>, Backlog {
  private pending = 0;
  private failures = 0;
  private waiters: { below: number; resolve: () => void }[] = [];

  constructor(
    private readonly bus: MessageBus,
    private readonly log: Logger,
    /** Every name in the topic escaped (EdgeX's `Service.EnableNameFieldEscape`). */
    private readonly escapeAllNames = false,
  ) {}

  get depth(): number {
    return this.pending;
  }

  whenBelow(n: number): Promise<void> {
    if (this.pending < n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ below: n, resolve }));
  }

  /** Undefined when the broker runs in this process and nobody subscribes to the topic: nothing to encode. */
  prepare(event: Event, serviceName: string): PreparedEvent | undefined {
    const level = (name: string) => topicLevel(name, this.escapeAllNames);
    const topic = this.bus.topic('events', 'core', level(serviceName), level(event.profileName), level(event.deviceName), level(event.sourceName));
    if (!this.bus.mayDeliver(topic)) return undefined;
    return { topic, envelope: newEnvelope({ apiVersion: 'v3', event: eventWire(event) }) };
  }

  publish(prepared: PreparedEvent | undefined): void {
    if (!prepared) return;
    const { topic, envelope } = prepared;
    this.pending++;
    this.bus.publish(topic, envelope).then(
      () => this.settled(),
      (err: unknown) => {
        this.settled();
        if (this.failures++ % 1000 === 0) this.log.warn({ err: errorMessage(err), topic }, 'core-data: re-publish failed');
      },
    );
  }

  private settled(): void {
    this.pending--;
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) this.pending < w.below ? w.resolve() : still.push(w);
    this.waiters = still;
  }
}
