import { newCounter, newHistogram } from '@edgex-ts/runtime';
import { Gauge, type Registry } from 'prom-client';
import type { IngestObserver, Transport } from './domain/core-data.js';
import type { RetentionPassResult } from './retention.js';

/** core-data's metrics on the runtime registry: ingest by transport, write-queue depth, batch sizes, retention removals. */
export function coreDataMetrics(reg: Registry, queueDepth: () => number) {
  const events = newCounter(reg, 'core_data_events_ingested_total', 'Events persisted (or re-published when PersistData=false)', ['transport']);
  const readings = newCounter(reg, 'core_data_readings_ingested_total', 'Readings of ingested events', ['transport']);
  const busStoreRetries = newCounter(
    reg,
    'core_data_bus_store_retries_total',
    'Failed attempts to store a bus event, retried while the event stays unacknowledged',
  );
  const rejected = newCounter(reg, 'core_data_events_rejected_total', 'Events rejected, by transport and EdgeX error kind', ['transport', 'kind']);
  if (!reg.getSingleMetric('core_data_write_queue_depth')) {
    new Gauge({
      name: 'core_data_write_queue_depth',
      help: 'Events waiting for a commit',
      registers: [reg],
      collect() {
        this.set(queueDepth());
      },
    });
  }
  const batchEvents = newHistogram(
    reg,
    'core_data_write_batch_events',
    'Events per batch handed to the store (the SQLite writer may commit several batches in one transaction)',
    [],
    [1, 2, 5, 10, 50, 100, 500, 1000, 2000, 5000],
  );
  const commitSeconds = newHistogram(
    reg,
    'core_data_write_commit_seconds',
    'Time from handing a batch to the store until it has committed',
    [],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  );
  const retentionEvents = newCounter(
    reg,
    'core_data_retention_events_removed_total',
    'Events (with their readings) removed by Retention passes (global and per-device caps)',
  );
  const observer: IngestObserver = {
    accepted(transport: Transport, n: number, nr: number) {
      events.inc({ transport }, n);
      readings.inc({ transport }, nr);
    },
    rejected(transport: Transport, kind: string) {
      rejected.inc({ transport, kind });
    },
  };
  const onCommit = (n: number, _readings: number, seconds: number) => {
    batchEvents.observe(n);
    commitSeconds.observe(seconds);
  };
  const onRetentionPass = (result: Pick<RetentionPassResult, 'eventsRemoved'>) => retentionEvents.inc(result.eventsRemoved);
  return { observer, onCommit, onBusStoreRetry: () => busStoreRetries.inc(), onRetentionPass };
}
