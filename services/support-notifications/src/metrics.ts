import type { Notification, Transmission } from '@edgex-ts/contracts';
import { newCounter, type ServiceRuntime } from '@edgex-ts/runtime';

/** support-notifications' counters on the runtime registry. */
export function notificationMetrics(reg: ServiceRuntime['metrics']) {
  const notifications = newCounter(reg, 'support_notifications_notifications_added_total', 'Notifications accepted, by severity', ['severity']);
  const transmissions = newCounter(
    reg,
    'support_notifications_transmissions_total',
    'Transmission states recorded after each attempt, by channel type and status (SENT, FAILED, RESENDING, ESCALATED)',
    ['channel', 'status'],
  );
  const retention = newCounter(reg, 'support_notifications_retention_removed_total', 'Notifications (with their transmissions) removed by Retention passes');
  return {
    onNotificationAdded: (n: Notification) => notifications.inc({ severity: n.severity }),
    onTransmission: (t: Transmission) => transmissions.inc({ channel: t.channel.type, status: t.status }),
    onRetention: (n: number) => retention.inc(n),
  };
}
