import { systemEventWire } from '@edgex-ts/contracts';
import { newEnvelope, topicLevel, type MessageBus } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import { correlation } from '../correlation.js';
import type { SystemEventNotice, SystemEventSink } from '../domain/events.js';

/**
 * Publishes system events on `<prefix>/system-events/<source>/<type>/<action>/<owner>[/<profileName>]`
 * (reference §4.2). Publishing runs in the background: a failure is logged and never reaches the request
 * whose data is already stored. flush() waits for what is still in flight (used on stop).
 */
export class BusSystemEventSink implements SystemEventSink {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: MessageBus,
    private readonly log: Logger,
    /** Every name in the topic escaped (EdgeX's `Service.EnableNameFieldEscape`). */
    private readonly escapeAllNames = false,
  ) {}

  static topicOf(bus: Pick<MessageBus, 'topic'>, notice: SystemEventNotice, escapeAllNames = false): string {
    const { source, type, action, owner } = notice.event;
    const parts = ['system-events', source, type, action, topicLevel(owner, escapeAllNames)];
    if (notice.profileName) parts.push(topicLevel(notice.profileName, escapeAllNames));
    return bus.topic(...parts);
  }

  emit(notice: SystemEventNotice): void {
    const topic = BusSystemEventSink.topicOf(this.bus, notice, this.escapeAllNames);
    const done = this.bus
      .publish(topic, newEnvelope(systemEventWire(notice.event), { contentType: 'application/json', correlationID: correlation.getStore() }))
      .then(
        () => this.log.debug({ topic }, 'system event published'),
        (err: unknown) => this.log.error({ err, topic }, `unable to publish ${notice.event.action} system event for ${notice.event.type}`),
      );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  /** Waits for in-flight publishes, at most `timeoutMs` (they stay queued in the MQTT client after that). */
  async flush(timeoutMs = 5000): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.warn({ pending: this.inFlight.size }, 'system events still unconfirmed at stop');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([Promise.all([...this.inFlight]).then(() => undefined), timeout]);
    clearTimeout(timer);
  }
}
