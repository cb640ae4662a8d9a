import type { Event } from '@edgex-ts/sdk/contracts';
import { newEnvelope, type MessageBus } from '@edgex-ts/sdk/runtime';
import type { Logger } from 'pino';
import type { EventRepublisher } from '../domain/core-data.js';

/**
 * Publishes accepted REST/gRPC events as EdgeX does: an AddEventRequest in a MessageEnvelope on
 * `<prefix>/events/core/<service>/<profile>/<device>/<source>`. Publishes are not awaited by the caller;
 * `inFlight` lets ingest paths apply backpressure when the broker is slower than ingest.
 */
export class BusRepublisher implements EventRepublisher {
  private pending = 0;
  private failures = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly log: Logger,
  ) {}

  get inFlight(): number {
    return this.pending;
  }

  republish(event: Event, serviceName: string): void {
    const topic = this.bus.topic('events', 'core', serviceName, event.profileName, event.deviceName, event.sourceName);
    const env = newEnvelope({ apiVersion: 'v3', event });
    this.pending++;
    this.bus.publish(topic, env).then(
      () => {
        this.pending--;
      },
      (err: unknown) => {
        this.pending--;
        if (this.failures++ % 1000 === 0) this.log.warn({ err: (err as Error).message, topic }, 'core-data: re-publish failed');
      },
    );
  }
}
