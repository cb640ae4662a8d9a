/**
 * Records the events device services publish on the EdgeX message bus (`<prefix>/events/device/...`), as
 * core-data or an app service would receive them, and lets a test wait for the next one.
 */
import { randomUUID } from 'node:crypto';
import { decodeCborDto, isCborContentType, type Event } from '@edgex-ts/contracts';
import { connectMessageBus, createLogger, messageBusSectionSchema, payloadJson, topicLevel, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';

/** One event as it arrived, with the topic it was published on. */
export interface RecordedEvent {
  topic: string;
  event: Event;
}

/** Which events a wait is for; every given field must match. */
export interface EventFilter {
  device?: string;
  /** The event's source: the device command or resource read. */
  source?: string;
  where?: (event: Event) => boolean;
}

export interface RecordEventsOptions {
  /** The broker, e.g. `{ host: '127.0.0.1', port: 1883 }`. */
  host: string;
  port: number;
  /** Only events of this device service (default: every device service's). */
  serviceName?: string;
  /** The bus's BaseTopicPrefix (default `edgex`). */
  prefix?: string;
}

interface Waiter {
  filter: EventFilter;
  resolve: (recorded: RecordedEvent) => void;
}

function matches(filter: EventFilter, { event }: RecordedEvent): boolean {
  return (
    (filter.device === undefined || event.deviceName === filter.device) &&
    (filter.source === undefined || event.sourceName === filter.source) &&
    (filter.where === undefined || filter.where(event))
  );
}

function describe(filter: EventFilter): string {
  const parts = [filter.device && `device ${filter.device}`, filter.source && `source ${filter.source}`, filter.where && 'a condition'];
  return parts.filter(Boolean).join(', ') || 'any event';
}

/** The event of an AddEventRequest envelope: JSON, or CBOR as EdgeX's Go services send events with binary readings. */
function eventOf(env: MessageEnvelope): Event {
  const request = isCborContentType(env.contentType) ? (decodeCborDto(env.payload, 'event payload') as { event: Event }) : payloadJson<{ event: Event }>(env);
  return request.event;
}

/**
 * Every event published while it runs, in arrival order. `nextEvent()` hands each recorded event out once:
 * the oldest one not yet taken that matches, or the next to arrive.
 */
export class EventRecorder {
  private readonly recorded: RecordedEvent[] = [];
  private readonly taken = new Set<RecordedEvent>();
  private readonly waiters = new Set<Waiter>();

  private constructor(private readonly bus: MessageBus) {}

  /** Connects to the broker and subscribes to the events topic; events are recorded once this resolves. */
  static async connect(opts: RecordEventsOptions): Promise<EventRecorder> {
    const config = messageBusSectionSchema.parse({
      Host: opts.host,
      Port: opts.port,
      BaseTopicPrefix: opts.prefix ?? 'edgex',
      Optional: { ClientId: `edgex-ts-event-recorder-${randomUUID()}`, CleanSession: true },
    });
    const bus = await connectMessageBus(config, createLogger('event-recorder', 'ERROR'), config.Optional.ClientId);
    const recorder = new EventRecorder(bus);
    const service = opts.serviceName === undefined ? '+' : topicLevel(opts.serviceName);
    await bus.subscribe(bus.topic('events', 'device', service, '#'), async (env, topic) => recorder.add({ topic, event: eventOf(env) }));
    return recorder;
  }

  /** The events recorded so far that match `filter` (all by default), oldest first. */
  events(filter: EventFilter = {}): Event[] {
    return this.recorded.filter((r) => matches(filter, r)).map((r) => r.event);
  }

  /**
   * The oldest recorded event matching `filter` that no earlier call returned, or the next one to arrive.
   * Rejects after `timeoutMs` (default 10 s) naming what it waited for.
   */
  nextEvent(filter: EventFilter = {}, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<RecordedEvent> {
    const ready = this.recorded.find((r) => !this.taken.has(r) && matches(filter, r));
    if (ready) {
      this.taken.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        filter,
        resolve: (recorded) => {
          clearTimeout(timer);
          resolve(recorded);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no event for ${describe(filter)} within ${timeoutMs} ms (${this.recorded.length} recorded)`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Unsubscribes and disconnects. */
  close(): Promise<void> {
    return this.bus.close();
  }

  private add(recorded: RecordedEvent): void {
    this.recorded.push(recorded);
    for (const waiter of this.waiters) {
      if (matches(waiter.filter, recorded)) {
        this.waiters.delete(waiter);
        this.taken.add(recorded);
        waiter.resolve(recorded);
        return;
      }
    }
  }
}

/** Starts recording the events published on the broker at host:port (see {@link EventRecorder}). */
export function recordEvents(opts: RecordEventsOptions): Promise<EventRecorder> {
  return EventRecorder.connect(opts);
}
