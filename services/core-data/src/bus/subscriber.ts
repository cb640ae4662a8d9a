import { payloadJson, type MessageBus, type MessageEnvelope } from '@edgex-ts/sdk/runtime';
import type { Logger } from 'pino';
import type { CoreDataDomain } from '../domain/core-data.js';

/**
 * Events from the bus handled at once. Their handlers start in arrival order, so they reach the write queue
 * in order and group-commit together; beyond this many unacknowledged events the bus stops reading and the
 * broker keeps the backlog.
 */
export const BUS_MAX_IN_FLIGHT = 500;

/**
 * Ingests device events from `<prefix>/events/device/#`. The handler resolves only after the event is
 * committed, so the runtime's PUBACK means "persisted". A message that is not a valid AddEventRequest is
 * logged with its topic and reason and dropped (acknowledged); it never stops later messages.
 */
export async function subscribeDeviceEvents(bus: MessageBus, domain: CoreDataDomain, log: Logger): Promise<void> {
  const filter = bus.topic('events', 'device', '#');
  await bus.subscribe(filter, async (env: MessageEnvelope, topic: string) => {
    try {
      const raw = payloadJson<unknown>(env);
      const req = domain.parseAddEventRequest(raw);
      const serviceName = topic.split('/')[bus.prefix.split('/').length + 2] ?? '';
      await domain.addEvent(req.event, { transport: 'bus', sizeBytes: env.payload.length, serviceName });
    } catch (err) {
      const e = err as { kind?: string; message?: string };
      if (e.kind === undefined || e.kind === 'Database' || e.kind === 'Unknown') {
        // Not a problem with the message: let it surface (the runtime logs it; the broker keeps order).
        log.error({ topic, err }, 'core-data: could not store event from the bus');
        throw err;
      }
      log.warn({ topic, kind: e.kind, reason: e.message }, 'core-data: dropped invalid event from the bus');
    }
  }, { maxInFlight: BUS_MAX_IN_FLIGHT });
}
