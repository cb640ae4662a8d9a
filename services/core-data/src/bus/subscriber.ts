import { nameOfTopicLevel, payloadDto, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import { errorMessage, type Event } from '@edgex-ts/contracts';
import type { Logger } from 'pino';
import type { DataDomain } from '../domain/index.js';

/**
 * Events from the bus handled at once. Their handlers start in arrival order, so they reach the write queue
 * in order and group-commit together; beyond this many unacknowledged events the bus stops reading and the
 * broker keeps the backlog.
 */
export const BUS_MAX_IN_FLIGHT = 500;

/** Pause between attempts to store an event while storage fails: doubling from the first, up to the last. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

export interface SubscriberOptions {
  /** True once the service is stopping: events that could not be stored stay unacknowledged. */
  stopping: () => boolean;
  /** Called for every failed attempt that will be retried (for metrics). */
  onRetry?: () => void;
}

/**
 * Ingests device events from `<prefix>/events/device/#`: AddEventRequests in JSON, or in CBOR as EdgeX's Go
 * device SDK publishes events with Binary readings (envelope contentType application/cbor). The handler
 * resolves only after the event is committed, so the runtime's PUBACK means "persisted".
 * - A message that is not a valid AddEventRequest, or that core-data refuses (too large, bad names), is
 *   logged with its topic and reason and dropped (acknowledged); it never stops later messages.
 * - An event whose id is already stored is a redelivery of one that was committed before its PUBACK went
 *   out: acknowledged without storing it twice.
 * - While storage fails (database error, writer gone), the event is retried with backoff and stays
 *   unacknowledged, so the broker keeps it; if the service stops meanwhile it is left unacknowledged and the
 *   broker delivers it again to the next session.
 */
export async function subscribeDeviceEvents(bus: MessageBus, domain: DataDomain, log: Logger, options: SubscriberOptions): Promise<void> {
  const filter = bus.topic('events', 'device', '#');
  const serviceSegment = bus.prefix.split('/').length + 2;
  await bus.subscribe(
    filter,
    async (env: MessageEnvelope, topic: string) => {
      const parse = (): Event => domain.parseAddEventRequest(payloadDto(env)).event;
      let first: Event | undefined;
      try {
        first = parse();
      } catch (err) {
        log.warn({ topic, reason: errorMessage(err) }, 'core-data: dropped invalid event from the bus');
        return;
      }
      const eventId = first.id;
      const serviceName = nameOfTopicLevel(topic.split('/')[serviceSegment] ?? '') ?? '';
      // Retries parse the payload again rather than keep the event's objects alive while storage is down.
      const attempt = () => {
        const event = first ?? parse();
        first = undefined;
        return domain.addEvent(event, { transport: 'bus', sizeBytes: env.payload.length, serviceName });
      };
      await storeUntilDone(attempt, { topic, eventId, log, ...options });
    },
    { maxInFlight: BUS_MAX_IN_FLIGHT },
  );
}

interface StoreContext {
  topic: string;
  eventId: string;
  log: Logger;
  stopping: () => boolean;
  onRetry?: () => void;
}

/** Kinds that say "this event is refused", as opposed to "storage did not work". */
const REFUSALS = new Set(['ContractInvalid', 'LimitExceeded', 'InvalidId']);

async function storeUntilDone(store: () => Promise<unknown>, ctx: StoreContext): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await store();
      if (attempt > 0) ctx.log.info({ topic: ctx.topic, attempts: attempt + 1 }, 'core-data: stored event from the bus after retrying');
      return;
    } catch (err) {
      const kind = (err as { kind?: string }).kind;
      if (kind === 'DuplicateName') {
        ctx.log.debug({ topic: ctx.topic, id: ctx.eventId }, 'core-data: event already stored (redelivery)');
        return;
      }
      if (kind !== undefined && REFUSALS.has(kind)) {
        ctx.log.warn({ topic: ctx.topic, kind, reason: errorMessage(err) }, 'core-data: dropped event from the bus');
        return;
      }
      if (ctx.stopping()) {
        ctx.log.warn({ topic: ctx.topic, id: ctx.eventId }, 'core-data: stopping; event left unacknowledged for redelivery');
        return new Promise<never>(() => undefined);
      }
      ctx.onRetry?.();
      const waitMs = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(attempt, 10));
      // One error line per doubling keeps the log readable during a long outage.
      if ((attempt & (attempt - 1)) === 0) {
        ctx.log.error({ topic: ctx.topic, err, attempt: attempt + 1, retryInMs: waitMs }, 'core-data: could not store event from the bus; retrying');
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
