/**
 * Delivers the events a device service produces (auto-events, async readings, `ds-pushevent` commands) to the
 * message bus, on EdgeX's topic `<prefix>/events/device/<service>/<profile>/<device>/<source>`, through a
 * per-device at-least-once publisher.
 */
import type { Logger } from 'pino';
import { hasErrorKind, type Event } from '@edgex-ts/contracts';
import { newEnvelope, topicLevel, type MessageBus } from '@edgex-ts/runtime';
import type { DeviceServiceConfig } from './config.js';
import { EventPublisher } from './publisher.js';

/**
 * True when the bus did not get the broker's acknowledgement in time but keeps the message queued and sends it
 * once the broker is back: publishing it again would only send it twice. The bus says so with the kind of its
 * error (a timed-out publish while the broker is unreachable is unavailable, not failed).
 */
export function keptByBus(err: unknown): boolean {
  return hasErrorKind(err, 'ServiceUnavailable');
}

export interface EventDeliveryOptions {
  serviceName: string;
  /** The runtime's bus; undefined with `MessageBus.Disabled`. */
  bus: MessageBus | undefined;
  config: DeviceServiceConfig;
  log: Logger;
}

export class EventDelivery {
  /** Undefined without a bus. */
  private readonly publisher: EventPublisher<Event> | undefined;
  private warnedNoBus = false;

  constructor(private readonly opts: EventDeliveryOptions) {
    const bus = opts.bus;
    if (bus) {
      this.publisher = new EventPublisher<Event>({
        log: opts.log,
        maxPendingPerDevice: opts.config.Device.MaxPendingEvents,
        publish: (topic, event) => bus.publish(topic, newEnvelope({ apiVersion: 'v3', requestId: crypto.randomUUID(), event })),
        keptByBus,
      });
    }
  }

  /** Queues `event` for the bus and returns at once (without a bus: dropped, warned about once). */
  deliver(event: Event): void {
    if (!this.publisher) {
      if (!this.warnedNoBus) this.opts.log.warn('MessageBus.Disabled: auto-event readings are not published');
      this.warnedNoBus = true;
      return;
    }
    this.publisher.enqueue(event.deviceName, this.topicOf(event), event);
  }

  /** Events waiting for the bus, in flight included. */
  get pending(): number {
    return this.publisher?.pending ?? 0;
  }

  /** Events dropped because a device's queue was full. */
  get dropped(): number {
    return this.publisher?.dropped ?? 0;
  }

  /** The bus topic of an event: `<prefix>/events/device/<service>/<profile>/<device>/<source>`. */
  topicOf(event: Event): string {
    const { bus, config } = this.opts;
    const prefix = bus?.prefix ?? config.MessageBus.BaseTopicPrefix;
    const names = [this.opts.serviceName, event.profileName, event.deviceName, event.sourceName].map((n) =>
      topicLevel(n, config.Service.EnableNameFieldEscape),
    );
    return [prefix, 'events', 'device', ...names].join('/');
  }

  /** Stops accepting events and drains the pending ones (up to the publisher's deadline). */
  async close(): Promise<void> {
    await this.publisher?.close();
  }
}
