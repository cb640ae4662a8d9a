/**
 * The device service's own metrics, next to the runtime's: auto-event reads by outcome, events waiting for or
 * dropped before the bus, and the auto-event schedules running.
 */
import { Gauge, type Counter, type Registry } from 'prom-client';
import { newCounter } from '@edgex-ts/runtime';

/** What the gauges read when scraped. */
export interface DeviceServiceMetricSources {
  /** Events waiting for the message bus, all devices. */
  pendingEvents(): number;
  /** Events dropped since start because a device queue was full. */
  droppedEvents(): number;
  /** Auto-event schedules running. */
  autoEventSchedules(): number;
}

export interface DeviceServiceMetrics {
  /** Auto-event reads, labelled `result` ok or error. */
  autoEventReads: Counter<'result'>;
}

export function registerDeviceServiceMetrics(registry: Registry, sources: DeviceServiceMetricSources): DeviceServiceMetrics {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('device_events_pending', 'Events waiting for the message bus (all devices)', sources.pendingEvents);
  gauge('device_events_dropped', 'Events dropped since start because a device queue was full', sources.droppedEvents);
  gauge('device_autoevents_running', 'Auto-event schedules running (LOCKED devices have none)', sources.autoEventSchedules);
  return { autoEventReads: newCounter(registry, 'device_readings_total', 'Auto-event reads', ['result']) };
}
