import { newCounter, type ServiceRuntime } from '@edgex-ts/runtime';
import type { LoggingObserver } from './domain/index.js';

/** support-logging's metrics: entries received, and entries removed by reason (request, age, cap). */
export function supportLoggingMetrics(reg: ServiceRuntime['metrics']): LoggingObserver {
  const received = newCounter(reg, 'support_logging_entries_received_total', 'Log entries stored');
  const removed = newCounter(
    reg,
    'support_logging_entries_removed_total',
    'Log entries removed, by reason: request, age (Retention.MaxAge) or cap (Retention.MaxCap)',
    ['reason'],
  );
  return {
    received: (n) => received.inc(n),
    removed: (reason, n) => removed.inc({ reason }, n),
  };
}
